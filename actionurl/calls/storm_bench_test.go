package calls

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
)

// The storm: 2,500 calls of four events each (incoming, connected, hold,
// disconnected), 10,000 events in all, played into the real listener by 32
// phones. Phone p plays calls p, p+32, p+64 ..., each call's events in
// order, one request at a time, as a desk phone does.
const (
	stormCalls   = 2500
	stormPerCall = 4
	stormPhones  = 32
	stormEvents  = stormCalls * stormPerCall
)

var (
	stormKinds   = [stormPerCall]string{"incoming", "connected", "hold", "disconnected"}
	stormActions = [stormPerCall]string{"inbound", "connected", "hold", "disconnected"}
)

// BenchmarkEventStorm measures the path phone event → journal → outbox →
// CRM request in two ways, because a storm has two questions.
//
// How much can the resident take in? The saturation runs let every phone
// send its next event the moment the last one is answered (a closed
// loop), against a fast CRM and against one that takes two seconds per
// request; they report events/s and show that a slow CRM does not slow
// intake. Their latencies are those of a queue kept full on purpose: with
// 32 requests always in flight, the mean wait is 32 ÷ throughput (Little's
// law), so they show the cost per event rather than a delay a desk would
// see.
//
// How quickly does a CRM hear of an event? The paced runs send the same
// 10,000 events at a fixed rate (an open loop, as phones do: a phone does
// not hold back a call's events because the PC is busy), and report p50
// and p99 from the moment a phone sends an event to the moment its request
// arrives at the CRM. A phone that is still waiting for an answer when its
// next event is due sends it late, and that event's latency counts from
// when it was due, so a slow answer cannot hide itself by delaying the
// measurement (coordinated omission).
//
// Every run fails on any lost or repeated request.
func BenchmarkEventStorm(b *testing.B) {
	b.Run("saturation-fast-crm", func(b *testing.B) { benchStorm(b, 0, 0) })
	b.Run("saturation-slow-crm", func(b *testing.B) { benchStorm(b, 2*time.Second, 0) })
	for _, rate := range stormRates {
		b.Run(fmt.Sprintf("paced-%d-per-s", rate), func(b *testing.B) { benchStorm(b, 0, float64(rate)) })
	}
}

// stormRates are the paced runs' rates, in events per second.
var stormRates = []int{1000, 2000, 4000}

// benchStorm plays the storm against a CRM taking crmDelay per request,
// at rate events per second (0: as fast as the resident answers).
func benchStorm(b *testing.B, crmDelay time.Duration, rate float64) {
	b.ReportAllocs()
	var (
		took            time.Duration
		intake, toCRM   []time.Duration
		late, delivered int
		deliveredIn     time.Duration
	)
	for range b.N {
		b.StopTimer()
		rig := newStormRig(b, crmDelay)
		b.StartTimer()
		start := time.Now()
		var err error
		intake, late, err = rig.play(start, rate)
		took = time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if crmDelay == 0 {
			var last time.Time
			toCRM, last, err = rig.waitDelivered(5 * time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			deliveredIn = last.Sub(start)
			delivered = len(toCRM)
		} else {
			// Nothing may be lost while the CRM lags: every URL is in
			// the outbox, on disk.
			if err := rig.s.journal.Sync(context.Background()); err != nil {
				b.Fatal(err)
			}
			ds, err := rig.s.journal.Deliveries(context.Background(), journal.Query{Limit: stormEvents})
			if err != nil || len(ds) != stormEvents {
				b.Fatalf("%d deliveries recorded, want %d (%v)", len(ds), stormEvents, err)
			}
		}
		rig.close()
		b.StartTimer()
	}
	b.ReportMetric(float64(stormEvents)/took.Seconds(), "events/s")
	b.ReportMetric(percentile(intake, 0.99), "intake-p99-ms")
	if crmDelay == 0 {
		b.ReportMetric(percentile(toCRM, 0.50), "event-to-crm-p50-ms")
		b.ReportMetric(percentile(toCRM, 0.99), "event-to-crm-p99-ms")
		b.ReportMetric(float64(delivered)/deliveredIn.Seconds(), "delivered/s")
	}
	if rate > 0 {
		b.ReportMetric(float64(late), "late-sends")
	}
}

type stormKey struct{ nr, action string }

// stormRig is a call service behind the real listener on 127.0.0.1, with
// its outgoing URLs pointed at a CRM on 127.0.0.1 that notes when each one
// arrives.
type stormRig struct {
	s      *Service
	crm    *httptest.Server
	client *http.Client
	base   string
	cancel context.CancelFunc
	served chan struct{}

	mu      sync.Mutex
	sent    map[stormKey]time.Time
	arrived map[stormKey]time.Time
	repeats int
	all     chan struct{}
}

func newStormRig(b *testing.B, crmDelay time.Duration) *stormRig {
	b.Helper()
	r := &stormRig{
		sent:    make(map[stormKey]time.Time, stormEvents),
		arrived: make(map[stormKey]time.Time, stormEvents),
		all:     make(chan struct{}),
	}
	r.crm = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		at := time.Now()
		if crmDelay > 0 {
			select {
			case <-time.After(crmDelay):
			case <-req.Context().Done():
				return
			}
		}
		k := stormKey{req.URL.Query().Get("nr"), strings.TrimPrefix(req.URL.Path, "/e/")}
		r.mu.Lock()
		defer r.mu.Unlock()
		if _, dup := r.arrived[k]; dup {
			r.repeats++
		}
		r.arrived[k] = at
		if len(r.arrived) == stormEvents {
			close(r.all)
		}
	}))
	cfg := config.Default()
	for _, ev := range config.Events {
		cfg.Outgoing = append(cfg.Outgoing, config.Outgoing{Event: ev, URL: r.crm.URL + "/e/<$action>?nr=<$remote_party>&guid=<$call_guid>", Enabled: true})
	}
	s, err := Open(Options{
		JournalPath: filepath.Join(b.TempDir(), journal.FileName),
		Config:      func() config.Config { return cfg },
		Token:       func() string { return callsToken },
		Sender:      outgoing.NewHTTPSender(outgoing.DefaultWorkers, "bench"),
	})
	if err != nil {
		b.Fatal(err)
	}
	r.s = s
	s.Start()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	policy, err := actionurl.NewPolicy(port, nil, nil, "untrusted", "", "")
	if err != nil {
		b.Fatal(err)
	}
	l := actionurl.NewListener(actionurl.ListenerOptions{Policy: policy, Events: s.Events()})
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.served = make(chan struct{})
	go func() {
		defer close(r.served)
		_ = l.Serve(ctx, []net.Listener{ln})
	}()
	r.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: stormPhones}}
	r.base = fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/", port, callsToken)
	return r
}

// play sends the storm and returns each event's intake latency (sent →
// answered) and how many events went out late because their phone was
// still waiting for an answer. rate 0 is the closed loop.
func (r *stormRig) play(start time.Time, rate float64) (intake []time.Duration, late int, err error) {
	intake = make([]time.Duration, 0, stormEvents)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(chan error, stormPhones)
	)
	for p := range stormPhones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, stormEvents/stormPhones+stormPerCall)
			behind := 0
			defer func() {
				mu.Lock()
				intake = append(intake, mine...)
				late += behind
				mu.Unlock()
			}()
			j := 0 // this phone's events so far
			for c := p; c < stormCalls; c += stormPhones {
				nr := fmt.Sprint(100000 + c)
				for i, kind := range stormKinds {
					t0 := time.Now()
					if rate > 0 {
						due := start.Add(time.Duration(float64(j*stormPhones+p) / rate * float64(time.Second)))
						if wait := due.Sub(t0); wait > 0 {
							time.Sleep(wait)
							t0 = time.Now()
						} else if wait < -time.Millisecond/10 {
							behind++
							t0 = due
						}
					}
					j++
					r.mu.Lock()
					r.sent[stormKey{nr, stormActions[i]}] = t0
					r.mu.Unlock()
					res, err := r.client.Get(r.base + kind + "?call_id=storm" + nr + "&remote=" + nr)
					if err != nil {
						failed <- err
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						failed <- fmt.Errorf("event refused with %d", res.StatusCode)
						return
					}
					mine = append(mine, time.Since(t0))
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-failed:
		return nil, 0, err
	default:
		return intake, late, nil
	}
}

// waitDelivered waits until every event's request has reached the CRM
// and returns each one's latency (sent → arrived) and when the last one
// arrived.
func (r *stormRig) waitDelivered(limit time.Duration) (lat []time.Duration, last time.Time, err error) {
	select {
	case <-r.all:
	case <-time.After(limit):
		r.mu.Lock()
		defer r.mu.Unlock()
		return nil, last, fmt.Errorf("lost: %d of %d requests arrived", len(r.arrived), stormEvents)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.repeats != 0 || len(r.arrived) != stormEvents {
		return nil, last, fmt.Errorf("%d arrived, %d repeated", len(r.arrived), r.repeats)
	}
	lat = make([]time.Duration, 0, len(r.arrived))
	for k, at := range r.arrived {
		lat = append(lat, at.Sub(r.sent[k]))
		if at.After(last) {
			last = at
		}
	}
	return lat, last, nil
}

func (r *stormRig) close() {
	r.cancel()
	<-r.served
	r.s.Close()
	r.crm.Close()
	r.client.CloseIdleConnections()
}
