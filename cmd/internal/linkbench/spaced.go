package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// settle is how long the spaced run waits after the resident came up: past
// its start-up memory release (10 s), so the dials meet the resident as it
// waits all day, not as it starts.
const settle = 12 * time.Second

// runSpaced measures the dial hop the way people dial: one request every
// `every`, after the resident has been idle, never back to back. Each round
// sends Mia's dial request to the resident's listener and, after another
// pause, the same command straight to the simulated phone with the client
// the driver uses (Digest on both sides, as with a real phone). The two
// kinds of request alternate, so a slow moment of the machine hits both.
// With phoneProcess the phone runs in a process of its own: in this one,
// the direct request found the phone's goroutines in the very process
// that had just sent it, with no process to wake, which no real phone
// offers; that made the direct figure about half of what it is against a
// phone elsewhere (0.41 vs 0.74 ms p50 in runs side by side).
func runSpaced(out io.Writer, dialbridge string, n int, every time.Duration, phoneProcess bool) error {
	if n < 1 {
		return errors.New("-n must be at least 1")
	}
	const user, pass = "admin", "s3cret"
	phoneURL, stopPhone, err := startPhone(phoneProcess, user, pass)
	if err != nil {
		return err
	}
	defer stopPhone()
	dir, err := os.MkdirTemp("", "linkbench-spaced")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	res, err := startResident(dialbridge, dir, phoneURL, user, pass)
	if err != nil {
		return err
	}
	defer res.stop()
	time.Sleep(settle)

	// A CRM or a browser extension keeps its connection to the listener
	// open, as the direct client keeps its own to the phone.
	viaListener := &http.Client{Timeout: 30 * time.Second}
	target := fmt.Sprintf("http://127.0.0.1:%d/?action=make_call&target=%%2B49301234567", res.port)
	direct, err := phonehttp.New(phonehttp.Options{Brand: "snom", Address: phoneURL, Username: user, Password: pass})
	if err != nil {
		return err
	}
	q := url.Values{"number": {"+49301234567"}}
	var listener, straight []time.Duration
	for i := 0; i < n; i++ {
		time.Sleep(every)
		start := time.Now()
		r, err := viaListener.Get(target)
		if err != nil {
			return fmt.Errorf("dial %d through the listener: %w", i+1, err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			return fmt.Errorf("dial %d through the listener: HTTP %d %s", i+1, r.StatusCode, body)
		}
		listener = append(listener, time.Since(start))

		time.Sleep(every)
		start = time.Now()
		pr, err := direct.Get(context.Background(), "dial", "/command.htm", q)
		if err != nil || pr.Status != http.StatusOK {
			return fmt.Errorf("dial %d straight to the phone: %v", i+1, err)
		}
		straight = append(straight, time.Since(start))
	}
	where := "in linkbench's process"
	if phoneProcess {
		where = "in a process of its own"
	}
	fmt.Fprintf(out, "%d dials each, one every %s after the resident idled %s, simulated Snom phone (Digest) on loopback %s\n", n, every, settle, where)
	fmt.Fprintf(out, "%-34s %12s %12s\n", "path", "p50", "p99")
	fmt.Fprintf(out, "%-34s %12s %12s\n", "through the listener", pct(listener, 50), pct(listener, 99))
	fmt.Fprintf(out, "%-34s %12s %12s\n", "straight to the phone", pct(straight, 50), pct(straight, 99))
	for _, m := range []struct {
		key string
		d   []time.Duration
	}{{"via-listener", listener}, {"direct-to-phone", straight}} {
		fmt.Fprintf(out, "BenchmarkDialLatencySpaced/%s 1 %.0f p50-µs %.0f p99-µs\n", m.key, ms(m.d, 50)*1000, ms(m.d, 99)*1000)
	}
	return nil
}

// startPhone starts the simulated Snom phone that wants Digest with user
// and pass: in a process of its own when own is set, as a real phone is
// another device, so that neither the direct request nor the resident's
// finds the phone awake in the process that just sent the request.
func startPhone(own bool, user, pass string) (url string, stop func(), err error) {
	if !own {
		sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: pass}})
		if err != nil {
			return "", nil, err
		}
		return sim.URL(), func() { _ = sim.Close() }, nil
	}
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(self, "-serve-phone", user+":"+pass)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	outp, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting the simulated phone: %w", err)
	}
	stop = func() { _ = in.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(outp).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("the simulated phone did not say its address: %w", err)
	}
	return strings.TrimSpace(line), stop, nil
}

// servePhone is the phone's process: it serves a simulated Snom phone that
// wants Digest with the credentials "user:pass", prints its URL and runs
// until its standard input closes (linkbench ended).
func servePhone(creds string) error {
	user, pass, _ := strings.Cut(creds, ":")
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: pass}})
	if err != nil {
		return err
	}
	defer sim.Close()
	fmt.Println(sim.URL())
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}
