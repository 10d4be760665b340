package actionurl

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// reportLatency adds p50 and p99 of the measured durations to the
// benchmark's output, beside ns/op, so the dial hop is judged by its tail.
func reportLatency(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
}

// realRules is the resident's Prepare (actionurl.Prepare) with German
// rules: the dialing rules, then the blocked list for a number the
// person did not type, as every link and web page dial goes.
func realRules() func(number string, typed bool) (string, error) {
	rules := config.Dialing{Country: "DE", AreaCode: "30", InternalMaxDigits: 4, Format: "national"}.Rules()
	return PrepareWith(func() dialplan.Rules { return rules })
}

// BenchmarkDialLatency compares a dial through the listener (client →
// listener → policy → dialing rules → Snom driver → simulated phone) with
// a client sending the same command straight to the simulated phone. The
// ratio of the two is the cost of the hop (goal ≤ 2.5×). Both clients
// keep their connection open between requests, as a browser extension or
// CRM does.
func BenchmarkDialLatency(b *testing.B) {
	opts := phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret"}
	b.Run("via-listener", func(b *testing.B) {
		r := newRig(b, rigOptions{simOpts: opts, prepare: realRules()})
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		target := r.base + "/servlet?key=number=%2B49301234567"
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			start := time.Now()
			res, err := hc.Get(target)
			if err != nil {
				b.Fatal(err)
			}
			// Read to the end, so the connection is used again.
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
			lat = append(lat, time.Since(start))
		}
		reportLatency(b, lat)
	})
	b.Run("direct-to-phone", func(b *testing.B) {
		sim, _, err := brandsim.StartTuned("snom", opts)
		if err != nil {
			b.Fatal(err)
		}
		defer sim.Close()
		// The same client the driver uses, so both sides pay for Digest.
		c, err := phonehttp.New(phonehttp.Options{Brand: "snom", Address: sim.URL(), Username: "admin", Password: "s3cret"})
		if err != nil {
			b.Fatal(err)
		}
		q := url.Values{"number": {"+49301234567"}}
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			start := time.Now()
			res, err := c.Get(context.Background(), "dial", "/command.htm", q)
			if err != nil || res.Status != 200 {
				b.Fatalf("direct dial: %v", err)
			}
			lat = append(lat, time.Since(start))
		}
		reportLatency(b, lat)
	})
}
