// Command linkbench measures how long a clicked phone link takes to reach
// the desk phone: from the start of `dialbridge tel:...` (what the desktop
// runs) to the simulated phone receiving the dial, against directdial, the
// smallest program that sends the same control-API request. It prints p50
// and p99 of both, and of the handler process's whole life and peak memory.
// .ci/bench-link.sh builds the binaries and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

func main() {
	dialbridge := flag.String("dialbridge", "bin/dialbridge", "the dialbridge binary to measure")
	direct := flag.String("direct", "", "the directdial binary to compare with (empty: skip)")
	n := flag.Int("n", 50, "runs per program")
	link := flag.String("link", "tel:+49 30 1234567", "the link to dial")
	perResident := flag.Int("per-resident", 5, "dials per resident before a fresh one starts (the resident limits dials nobody typed to a burst of 5)")
	every := flag.Duration("every", 0, "instead of links: one dial request every this long after the resident settled (e.g. 3s), through the listener and straight to the phone")
	phoneProcess := flag.Bool("phone-process", true, "with -every: run the simulated phone in a process of its own, as a real phone is another device")
	servePhoneCreds := flag.String("serve-phone", "", "internal: be the simulated phone with these credentials (user:pass) for -phone-process")
	flag.Parse()
	var err error
	switch {
	case *servePhoneCreds != "":
		err = servePhone(*servePhoneCreds)
	case *every > 0:
		err = runSpaced(os.Stdout, *dialbridge, *n, *every, *phoneProcess)
	default:
		err = run(os.Stdout, *dialbridge, *direct, *link, *n, *perResident)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkbench:", err)
		os.Exit(1)
	}
}

// sample is one run of a link program.
type sample struct {
	toPhone time.Duration // process start -> the phone got the dial
	exited  time.Duration // process start -> process exit
	maxRSS  int64         // peak resident memory, KiB (0 where unknown)
}

func run(out io.Writer, dialbridge, direct, link string, n, perResident int) error {
	if n < 1 || perResident < 1 {
		return errors.New("-n and -per-resident must be at least 1")
	}
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{}})
	if err != nil {
		return err
	}
	defer sim.Close()
	dir, err := os.MkdirTemp("", "linkbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// key names the program in the benchmark lines for cmd/internal/benchreport.
	programs := []struct{ name, path, key string }{{"dialbridge " + link, dialbridge, "dialbridge-tel"}}
	if direct != "" {
		programs = append(programs, struct{ name, path, key string }{"directdial (baseline)", direct, "direct"})
	}
	results := make([][]sample, len(programs))
	var res *resident
	defer func() {
		if res != nil {
			res.stop()
		}
	}()
	dials := 0
	// Interleave the programs so that a slow moment of the machine hits both.
	for i := 0; i < n; i++ {
		for p, prog := range programs {
			if res == nil || dials == perResident {
				if res != nil {
					res.stop()
				}
				if res, err = startResident(dialbridge, dir, sim.URL(), "", "unused"); err != nil {
					return err
				}
				dials = 0
			}
			s, err := once(prog.path, link, res.cfg, sim)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", prog.name, i+1, err)
			}
			dials++
			results[p] = append(results[p], s)
		}
	}
	fmt.Fprintf(out, "%d runs each, resident already running, simulated Snom phone on loopback\n", n)
	fmt.Fprintf(out, "%-34s %12s %12s %12s %12s %10s\n", "program", "phone p50", "phone p99", "exit p50", "exit p99", "max RSS")
	for p, prog := range programs {
		toPhone, exited, rss := split(results[p])
		fmt.Fprintf(out, "%-34s %12s %12s %12s %12s %7d KiB\n", prog.name,
			pct(toPhone, 50), pct(toPhone, 99), pct(exited, 50), pct(exited, 99), maxOf(rss))
	}
	for p, prog := range programs {
		toPhone, _, rss := split(results[p])
		fmt.Fprintf(out, "BenchmarkLinkLatency/%s 1 %.2f p50-ms %.2f p99-ms %d KiB-maxrss\n", prog.key,
			ms(toPhone, 50), ms(toPhone, 99), maxOf(rss))
	}
	return nil
}

// once runs prog with link and times it against the phone's receipt.
func once(prog, link, cfg string, sim *snom.Sim) (sample, error) {
	before := len(sim.Requests())
	cmd := exec.Command(prog, link)
	cmd.Env = append(os.Environ(), "DIALBRIDGE_CONFIG="+cfg)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	received := make(chan time.Time, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() {
		if _, err := sim.WaitRequests(ctx, before+1); err == nil {
			received <- time.Now()
		}
		close(received)
	}()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	err := cmd.Wait()
	exited := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	got, ok := <-received
	if !ok {
		return sample{}, errors.New("the phone never received the dial")
	}
	return sample{toPhone: got.Sub(start), exited: exited, maxRSS: maxRSS(cmd.ProcessState)}, nil
}

// resident is a `dialbridge serve` the runs talk to.
type resident struct {
	cmd  *exec.Cmd
	cfg  string
	port int
	done chan struct{}
}

// startResident starts `dialbridge serve` with the simulated Snom phone at
// phoneURL, which wants phoneUser and phonePass (both "" or "unused" when it
// wants no password).
func startResident(dialbridge, dir, phoneURL, phoneUser, phonePass string) (*resident, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cfgDir, err := os.MkdirTemp(dir, "resident")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(cfgDir, "config.toml")
	body := fmt.Sprintf("[listener]\nport = %d\n\n[phone]\nbrand = \"snom\"\naddress = %q\nusername = %q\n\n[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n", port, phoneURL, phoneUser)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		return nil, err
	}
	r := &resident{cmd: exec.Command(dialbridge, "serve", "--config", cfg), cfg: cfg, port: port, done: make(chan struct{})}
	// From the environment, so the resident does not ask a keyring that a
	// bench machine may not have.
	r.cmd.Env = append(os.Environ(), "DIALBRIDGE_PHONE_PASSWORD="+phonePass)
	var stderr strings.Builder
	r.cmd.Stderr = &stderr
	if err := r.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting dialbridge serve: %w", err)
	}
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch err := control.WaitReady(ctx, cfg, r.cmd.Process.Pid, r.done); {
	case err == nil:
		return r, nil
	case errors.Is(err, control.ErrExited):
		return nil, fmt.Errorf("dialbridge serve exited at start: %s", stderr.String())
	}
	r.stop()
	return nil, fmt.Errorf("dialbridge serve did not come up within 30s: %s", stderr.String())
}

func (r *resident) stop() {
	_ = r.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func split(s []sample) (toPhone, exited []time.Duration, rss []int64) {
	for _, x := range s {
		toPhone = append(toPhone, x.toPhone)
		exited = append(exited, x.exited)
		rss = append(rss, x.maxRSS)
	}
	return toPhone, exited, rss
}

// ms is pct in milliseconds, for the benchmark lines.
func ms(d []time.Duration, p int) float64 {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := max((p*len(s)+99)/100, 1)
	return float64(s[rank-1].Microseconds()) / 1000
}

// pct is the nearest-rank percentile p of d.
func pct(d []time.Duration, p int) string {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := (p*len(s) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return s[rank-1].Round(10 * time.Microsecond).String()
}

func maxOf(v []int64) int64 {
	var m int64
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
