package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
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
func runSpaced(out io.Writer, dialbridge string, n int, every time.Duration) error {
	if n < 1 {
		return errors.New("-n must be at least 1")
	}
	const user, pass = "admin", "s3cret"
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: pass}})
	if err != nil {
		return err
	}
	defer sim.Close()
	dir, err := os.MkdirTemp("", "linkbench-spaced")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	res, err := startResident(dialbridge, dir, sim.URL(), user, pass)
	if err != nil {
		return err
	}
	defer res.stop()
	time.Sleep(settle)

	// A CRM or a browser extension keeps its connection to the listener
	// open, as the direct client keeps its own to the phone.
	viaListener := &http.Client{Timeout: 30 * time.Second}
	target := fmt.Sprintf("http://127.0.0.1:%d/?action=make_call&target=%%2B49301234567", res.port)
	direct, err := phonehttp.New(phonehttp.Options{Brand: "snom", Address: sim.URL(), Username: user, Password: pass})
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
	fmt.Fprintf(out, "%d dials each, one every %s after the resident idled %s, simulated Snom phone (Digest) on loopback\n", n, every, settle)
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
