package deb

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/packaging/programs"
	"github.com/dialbridge/dialbridge/packaging/run"
	"github.com/dialbridge/dialbridge/packaging/xdg"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// needTools skips the test where the Debian tools it drives are missing
// (not Linux, or deps.sh not run).
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the .deb is tested on Linux")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (bash .ci/deps.sh installs it)", tool)
		}
	}
}

// buildDeb returns $DIALBRIDGE_DEB, or builds the package with
// .ci/package-deb.sh into a temporary directory.
func buildDeb(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DIALBRIDGE_DEB"); p != "" {
		return p
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "../../.ci/package-deb.sh", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	path, err := cmd.Output()
	if err != nil {
		t.Fatalf("building the .deb: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(path))
}

// mustRun runs a program with env as its environment (nil: this test's)
// for at most a minute and returns its output, failing t with the
// program's own words when it fails.
func mustRun(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := run.Exec(env)(ctx, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// waitDial waits until the phone has carried out n dials and returns the
// last.
func waitDial(t *testing.T, sim brandsim.Phone, n int, what string) phone.DialOptions {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := sim.WaitRequests(ctx, n); err != nil {
		t.Fatalf("%s: the phone got %d requests, want %d: %v", what, len(sim.Requests()), n, err)
	}
	d := sim.(phone.DialRecorder).Dialed()
	if len(d) != n {
		t.Fatalf("%s: the phone dialed %v", what, d)
	}
	return d[n-1]
}

// stopResident ends the resident that the control file of cfg names (one
// this test started, directly or through a link).
func stopResident(t *testing.T, cfg string) {
	t.Helper()
	cf, err := control.ReadFile(control.FilePath(cfg))
	if err != nil {
		return
	}
	p, err := os.FindProcess(cf.PID)
	if err != nil {
		return
	}
	_ = p.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(control.FilePath(cfg)); os.IsNotExist(err) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = p.Kill()
}

func TestDebHandlesPhoneLinks(t *testing.T) {
	needTools(t, "dpkg-deb", "dpkg", "desktop-file-validate", "xdg-mime", "xdg-open", "gio")
	deb := buildDeb(t)
	root := t.TempDir()
	mustRun(t, nil, "dpkg-deb", "-x", deb, root)
	bin := filepath.Join(root, "usr/bin/dialbridge")
	entry := filepath.Join(root, "usr/share/applications", xdg.DesktopID)
	autostart := filepath.Join(root, "etc/xdg/autostart", xdg.DesktopID)

	t.Run("contents", func(t *testing.T) {
		for _, p := range []string{entry, autostart} {
			if out, err := exec.Command("desktop-file-validate", p).CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("desktop-file-validate %s: %v\n%s", p, err, out)
			}
		}
		for _, size := range []string{"16x16", "32x32", "48x48", "256x256"} {
			if _, err := os.Stat(filepath.Join(root, "usr/share/icons/hicolor", size, "apps/dialbridge.png")); err != nil {
				t.Errorf("icon %s: %v", size, err)
			}
		}
		for _, name := range []string{programs.Front, programs.Resident, programs.Windows} {
			if fi, err := os.Stat(filepath.Join(root, "usr/bin", name)); err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("program %s: %v %v", name, fi, err)
			}
		}
		for _, b := range nativehost.SystemBrowsers(root) {
			data, err := os.ReadFile(b.File())
			if err != nil || !strings.Contains(string(data), `"path": "/usr/bin/dialbridge"`) {
				t.Errorf("%s's host manifest: %v\n%s", b.Name, err, data)
			}
		}
		if out := mustRun(t, nil, bin, "version"); !strings.HasPrefix(out, "dialbridge ") {
			t.Errorf("dialbridge version: %q", out)
		}
		if got := mustRun(t, nil, "dpkg-deb", "-f", deb, "Package"); strings.TrimSpace(got) != "dialbridge" {
			t.Errorf("Package: %q", got)
		}
	})

	t.Run("every library the programs need is a dependency", func(t *testing.T) {
		var libs []string
		for _, name := range []string{programs.Front, programs.Resident, programs.Windows} {
			f, err := elf.Open(filepath.Join(root, "usr/bin", name))
			if err != nil {
				t.Fatal(err)
			}
			more, err := f.ImportedLibraries()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			libs = append(libs, more...)
		}
		depends := map[string]bool{}
		for _, d := range strings.Split(mustRun(t, nil, "dpkg-deb", "-f", deb, "Depends"), ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(d), " ")
			depends[name] = true
		}
		for _, lib := range libs {
			out, _ := exec.Command("dpkg", "-S", lib).Output()
			var owners []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				pkgs, path, ok := strings.Cut(line, ": ")
				if !ok || filepath.Base(path) != lib {
					continue
				}
				for _, p := range strings.Split(pkgs, ", ") {
					p, _, _ = strings.Cut(p, ":")
					owners = append(owners, p)
				}
			}
			found := false
			for _, o := range owners {
				found = found || depends[o]
			}
			if !found {
				t.Errorf("a program needs %s (from %v), which no dependency provides", lib, owners)
			}
		}
	})

	sim, _, err := brandsim.StartWith("snom", "admin", "pa55")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	home := t.TempDir()
	cfg := filepath.Join(home, "dialbridge", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("[listener]\nport = %d\n\n[phone]\nbrand = \"snom\"\naddress = %q\nusername = \"admin\"\n\n[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n", configtest.FreePort(t), sim.URL())
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopResident(t, cfg) })

	// The desktop passes no flags: DIALBRIDGE_CONFIG selects the config,
	// the password comes from the environment as on a server.
	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Join(root, "usr/bin") + ":" + os.Getenv("PATH"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local/share"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_DIRS=" + filepath.Join(root, "usr/share") + ":/usr/share",
		"XDG_CONFIG_DIRS=" + filepath.Join(root, "etc/xdg"),
		"XDG_CURRENT_DESKTOP=",
		"DIALBRIDGE_CONFIG=" + cfg,
		"DIALBRIDGE_PHONE_PASSWORD=pa55",
	}
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}

	t.Run("gio open with the packaged entry", func(t *testing.T) {
		// The test root is not /usr: point the packaged entry at its binary.
		kf, err := os.ReadFile(entry)
		if err != nil {
			t.Fatal(err)
		}
		abs := strings.Replace(string(kf), "\nExec=dialbridge %u\n", "\nExec="+xdg.ExecArg(bin)+" %u\n", 1)
		if abs == string(kf) {
			t.Fatalf("the packaged entry has no 'Exec=dialbridge %%u' line:\n%s", kf)
		}
		if err := os.WriteFile(entry, []byte(abs), 0o644); err != nil {
			t.Fatal(err)
		}
		mustRun(t, env, "xdg-mime", "default", xdg.DesktopID, "x-scheme-handler/tel", "x-scheme-handler/callto", "x-scheme-handler/sip")
		if got := strings.TrimSpace(mustRun(t, env, "xdg-mime", "query", "default", "x-scheme-handler/tel")); got != xdg.DesktopID {
			t.Fatalf("xdg-mime query default x-scheme-handler/tel = %q", got)
		}
		srv := exec.Command(bin, "serve")
		srv.Env = env
		var srvErr bytes.Buffer
		srv.Stderr = &srvErr
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		waitResident(t, cfg, srv.Process.Pid, &srvErr)
		mustRun(t, env, "gio", "open", "tel:+49 30 1234567")
		if got := waitDial(t, sim, 1, "gio open tel:"); got.Number != "0301234567" {
			t.Errorf("the phone dialed %q, want 0301234567", got.Number)
		}
	})

	t.Run("xdg-open after dialbridge register", func(t *testing.T) {
		before := len(sim.(phone.DialRecorder).Dialed())
		mustRun(t, env, bin, "unregister")
		// The package's entry stays installed and may still be the only
		// handler; what unregister owes is the user's choice undone.
		if list, _ := os.ReadFile(filepath.Join(home, ".config/mimeapps.list")); strings.Contains(string(list), xdg.DesktopID) {
			t.Errorf("mimeapps.list still names dialbridge after unregister:\n%s", list)
		}
		out := mustRun(t, env, bin, "register")
		if out != "tel:     dialbridge\ncallto:  dialbridge\nsip:     dialbridge\nbrowser: dialbridge's extension reaches dialbridge in Chromium, Google Chrome, Microsoft Edge, Brave, Firefox\n" {
			t.Errorf("register printed %q", out)
		}
		userEntry := filepath.Join(home, ".local/share/applications", xdg.DesktopID)
		if out, err := exec.Command("desktop-file-validate", userEntry).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("the entry register wrote: %v\n%s", err, out)
		}
		if os.Getenv("DISPLAY") == "" {
			t.Skip("xdg-open hands links to the desktop's handler only with a display (run inside .ci/desktop-session.sh)")
		}
		mustRun(t, env, "xdg-open", "callto:+49 30 7654321")
		if got := waitDial(t, sim, before+1, "xdg-open callto:"); got.Number != "0307654321" {
			t.Errorf("the phone dialed %q, want 0307654321", got.Number)
		}
	})

	t.Run("a link starts the resident when none runs", func(t *testing.T) {
		stopResident(t, cfg)
		// Without a display the handler starts the headless resident.
		headless := append([]string(nil), env...)
		for i, kv := range headless {
			if strings.HasPrefix(kv, "DISPLAY=") {
				headless[i] = "DISPLAY="
			}
		}
		before := len(sim.(phone.DialRecorder).Dialed())
		mustRun(t, headless, "gio", "open", "sip:+49301112222@pbx.example")
		if got := waitDial(t, sim, before+1, "gio open sip: with no resident"); got.Number != "0301112222" {
			t.Errorf("the phone dialed %q, want 0301112222", got.Number)
		}
	})

	t.Run("autostart", func(t *testing.T) {
		if out := mustRun(t, env, bin, "autostart", "status"); out != "dialbridge starts at login\n" {
			t.Errorf("with the package's entry: %q", out)
		}
		if out := mustRun(t, env, bin, "autostart", "off"); out != "dialbridge does not start at login\n" {
			t.Errorf("off: %q", out)
		}
		if out := mustRun(t, env, bin, "autostart", "on"); out != "dialbridge starts at login\n" {
			t.Errorf("on: %q", out)
		}
	})
}

// waitResident waits until the resident with pid answers on its control
// file.
func waitResident(t *testing.T, cfg string, pid int, stderr *bytes.Buffer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := control.WaitReady(ctx, cfg, pid, nil); err != nil {
		t.Fatalf("dialbridge serve did not come up (%v):\n%s", err, stderr.String())
	}
}
