package main

import (
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/packaging/programs"

	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// binary is the front program, `dialbridge`, built once per test run by
// TestMain beside its two siblings, as they are installed: the tests run
// what people run, and the front hands most commands to this package's
// program (dialbridge-resident) in the same process.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if fuzzing() {
		// The fuzz targets run the resident in this process; building the
		// programs in every fuzz worker would eat the fuzzing time.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "dialbridge-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, programs.Front)
	for name, pkg := range map[string]string{programs.Front: "../dialbridge", programs.Resident: ".", programs.Windows: "../dialbridge-ui"} {
		build := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", name, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fuzzing reports whether this test process fuzzes (go test -fuzz, or one
// of its workers) rather than runs the tests.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if fl := flag.Lookup(name); fl != nil && fl.Value.String() != "" && fl.Value.String() != "false" {
			return true
		}
	}
	return false
}

// syncBuffer collects a process's output for assertions while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is a running dialbridge.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{} // closed when the process exited
	err    error         // its exit error, valid once done is closed
}

// startServe runs `dialbridge serve --config cfg` with extra environment and
// waits until its control file appears and answers.
func startServe(t *testing.T, cfgPath string, env ...string) *process {
	t.Helper()
	p := runBinary(t, append(os.Environ(), env...), "serve", "--config", cfgPath)
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := control.WaitReady(ctx, cfgPath, p.cmd.Process.Pid, p.done); errors.Is(err, control.ErrExited) {
		t.Fatalf("dialbridge serve exited early (%v):\n%s", p.err, p.stderr.String())
	} else if err != nil {
		t.Fatalf("dialbridge serve did not come up:\n%s", p.stderr.String())
	}
	return p
}

// runBinary starts the dialbridge binary with args in env, its stderr
// kept, and notes its end in done and err.
func runBinary(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, args...)
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	return p
}

// kill ends the resident with SIGKILL: no shutdown, no last write.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// stop asks the resident to shut down, as the session does at log-out,
// and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", p.err, p.stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("dialbridge did not stop on SIGTERM:\n%s", p.stderr.String())
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(b))
}

// TestServeDialsASnomPhoneEndToEnd is the walking skeleton's proof: the real
// binary, a config file, a Snom simulator with Digest, every client path.
func TestServeDialsASnomPhoneEndToEnd(t *testing.T) {
	sim, _, err := brandsim.StartWith("snom", "admin", "pa55")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	dir := t.TempDir()
	port := configtest.FreePort(t)
	cfg := configtest.Write(t, dir, fmt.Sprintf(`
[listener]
port = %d

[phone]
brand = "snom"
address = %q
username = "admin"
identity = "101@pbx.example"

[dialing]
country = "DE"
area_code = "30"
`, port, sim.URL()))
	p := startServe(t, cfg, "DIALBRIDGE_PHONE_PASSWORD=pa55")
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	// A click-to-dial extension, Yealink style, with an encoded plus.
	if status, body := get(t, base+"/servlet?key=number=%2B49%2030%201234567"); status != 200 {
		t.Fatalf("yealink format: %d %s", status, body)
	}
	// Mia's native format, on the IPv6 loopback when the machine has it.
	if status, body := get(t, base+"/?action=make_call&target=204"); status != 200 {
		t.Fatalf("native format: %d %s", status, body)
	}
	// The command line.
	out, err := exec.Command(binary, "dial", "--config", cfg, "0049 30 7654321").CombinedOutput()
	if err != nil {
		t.Fatalf("dialbridge dial: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "dialing") {
		t.Errorf("dialbridge dial printed %q", out)
	}
	got := sim.(phone.DialRecorder).Dialed()
	want := []phone.DialOptions{
		{Number: "0301234567", Identity: "101@pbx.example"},
		{Number: "204", Identity: "101@pbx.example"},
		{Number: "0307654321", Identity: "101@pbx.example"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("phone dialed %v, want %v", got, want)
	}

	// A web page is refused and the phone hears nothing of it.
	req, _ := http.NewRequest("GET", base+"/?action=make_call&target=204", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 || len(sim.(phone.DialRecorder).Dialed()) != 3 {
		t.Errorf("cross-site request: status %d, phone dialed %d times", res.StatusCode, len(sim.(phone.DialRecorder).Dialed()))
	}

	// SIGTERM stops it cleanly and removes the control file.
	p.stop(t)
	if _, err := os.Stat(control.FilePath(cfg)); !os.IsNotExist(err) {
		t.Errorf("control file left behind: %v", err)
	}
	if strings.Contains(p.stderr.String(), "pa55") {
		t.Errorf("the phone password appears in the log:\n%s", p.stderr.String())
	}
}

func TestServeRejectsABadConfigWithKeyAndLine(t *testing.T) {
	dir := t.TempDir()
	cfg := configtest.Write(t, dir, "[listener]\nport = 70000\ncolor = \"blue\"\n")
	out, err := exec.Command(binary, "serve", "--config", cfg).CombinedOutput()
	if err == nil {
		t.Fatalf("serve accepted a bad config:\n%s", out)
	}
	for _, want := range []string{"line 2: listener.port: 70000 is not a TCP port", "line 3: unknown setting listener.color"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDialWithoutPhoneExplainsWithin502(t *testing.T) {
	dir := t.TempDir()
	port := configtest.FreePort(t)
	dead := configtest.FreePort(t) // nothing listens there
	cfg := configtest.Write(t, dir, fmt.Sprintf("[listener]\nport = %d\n[phone]\nbrand = \"snom\"\naddress = \"127.0.0.1:%d\"\n", port, dead))
	startServe(t, cfg, "DIALBRIDGE_PHONE_PASSWORD=unused")
	status, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/command.htm?number=204", port))
	if status != 502 || !strings.Contains(body, "The phone at 127.0.0.1 cannot be reached") {
		t.Errorf("got %d %q", status, body)
	}
	out, err := exec.Command(binary, "dial", "--config", cfg, "204").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "cannot be reached") {
		t.Errorf("dialbridge dial: err %v, output %q", err, out)
	}
}

func TestServeDemoRunsWithoutHardware(t *testing.T) {
	dir := t.TempDir()
	port := configtest.FreePort(t)
	cfg := configtest.Write(t, dir, fmt.Sprintf("[listener]\nport = %d\n", port))
	p := startServe(t, cfg)
	if status, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/command.htm?number=204", port)); status != 200 {
		t.Fatalf("demo dial: %d %s", status, body)
	}
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	found := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "simulated demo phone") {
			found = true
		}
	}
	if !found {
		t.Errorf("log does not say the demo phone is used:\n%s", p.stderr.String())
	}
}

// TestServeSaysItHasNoHotkey: [desktop] hotkey is the tray app's; a
// headless resident must not leave the key set without a word.
func TestServeSaysItHasNoHotkey(t *testing.T) {
	dir := t.TempDir()
	cfg := configtest.Write(t, dir, fmt.Sprintf(`
[listener]
port = %d

[phone]
brand = "demo"

[desktop]
hotkey = "ctrl+alt+d"
`, configtest.FreePort(t)))
	p := startServe(t, cfg)
	want := `msg="dialbridge serve has no hotkey: [desktop] hotkey works in the tray app (dialbridge, or dialbridge demo)" hotkey=ctrl+alt+d`
	if got := p.stderr.String(); !strings.Contains(got, want) {
		t.Errorf("serve's log:\n%s\nwant a line with %s", got, want)
	}
}
