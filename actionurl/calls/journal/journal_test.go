package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

func openTemp(t *testing.T) (*Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	return openAt(t, path), path
}

// openAt opens the journal at path with empty dialing rules and closes it
// when the test ends; closing twice is harmless, so a test may close it
// itself to see what a closed journal does.
func openAt(t *testing.T, path string) *Journal {
	t.Helper()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	j.UseRules(dialplan.Rules{}, nil)
	t.Cleanup(func() { j.Close() })
	return j
}

// wait turns a done callback into something a test can wait for.
func wait(t *testing.T) (func(error), func()) {
	ch := make(chan error, 1)
	return func(err error) { ch <- err }, func() {
		t.Helper()
		select {
		case err := <-ch:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the journal did not commit")
		}
	}
}

var t0 = time.UnixMilli(time.Date(2019, 3, 25, 9, 34, 22, 0, time.UTC).UnixMilli())

func TestCallsAndDeliveries(t *testing.T) {
	j, _ := openTemp(t)
	c := phone.Call{ID: "TC@1", CSTAID: "-3", GUID: "g1", Direction: phone.Inbound, Local: "101@pbx", Remote: "42",
		RemoteAlias: "Peter", Created: t0}
	j.RecordCall(c, nil)
	c.Connected = t0.Add(5 * time.Second)
	j.RecordCall(c, nil)
	j.AddDeliveries([]outgoing.Delivery{
		{ID: 1, CallGUID: "g1", Action: phone.ActionInbound, URL: "https://user:secret@crm.example/in?nr=42", Mode: outgoing.ModeBackground,
			Status: outgoing.StatusPending, Created: t0, NextAttempt: t0},
		{ID: 2, CallGUID: "g1", Action: phone.ActionConnected, URL: "https://crm.example/c", Mode: outgoing.ModeBrowser,
			Status: outgoing.StatusPending, Created: t0.Add(5 * time.Second)},
	}, nil)
	other := phone.Call{ID: "TC@2", GUID: "g2", Direction: phone.Outbound, Remote: "43", Created: t0.Add(time.Minute),
		Disconnected: t0.Add(2 * time.Minute)}
	j.RecordCall(other, nil)
	done, waitDone := wait(t)
	j.UpdateDelivery(outgoing.Delivery{ID: 1, Status: outgoing.StatusDelivered, Attempts: 2, HTTPStatus: 200,
		Done: t0.Add(3 * time.Second)}, done)
	waitDone()

	ctx := context.Background()
	active, err := j.ActiveCalls(ctx, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0] != c {
		t.Errorf("active calls %+v, want %+v", active, c)
	}
	pending, err := j.PendingDeliveries(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID != 2 || pending[0].Mode != outgoing.ModeBrowser {
		t.Errorf("pending %+v, %v", pending, err)
	}
	if last, err := j.LastDeliveryID(ctx); last != 2 || err != nil {
		t.Errorf("last id %d, %v", last, err)
	}

	calls, err := j.Calls(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].GUID != "g2" || calls[1].GUID != "g1" {
		t.Fatalf("calls %+v", calls)
	}
	if got := calls[0]; got.Outcome != "not answered" || got.Direction != "outbound" || len(got.Deliveries) != 0 {
		t.Errorf("outbound call %+v", got)
	}
	got := calls[1]
	if got.Outcome != "active" || got.Connected == nil || !got.Connected.Equal(c.Connected) || len(got.Deliveries) != 2 {
		t.Fatalf("inbound call %+v", got)
	}
	d := got.Deliveries[0]
	if d.URL != "https://crm.example/in?nr=42" || d.Status != "delivered" || d.Attempts != 2 || d.HTTPStatus != 200 || d.NextAttempt != nil {
		t.Errorf("delivery %+v", d)
	}
	if data, err := json.Marshal(d); err != nil || string(data) == "" {
		t.Errorf("JSON: %s %v", data, err)
	}

	since, err := j.Calls(ctx, Query{Since: t0.Add(30 * time.Second)})
	if err != nil || len(since) != 1 || since[0].GUID != "g2" {
		t.Errorf("calls since: %+v %v", since, err)
	}
	ds, err := j.Deliveries(ctx, Query{Status: outgoing.StatusPending})
	if err != nil || len(ds) != 1 || ds[0].ID != 2 {
		t.Errorf("pending deliveries: %+v %v", ds, err)
	}
	if limited, _ := j.Deliveries(ctx, Query{Limit: 1}); len(limited) != 1 || limited[0].ID != 2 {
		t.Errorf("newest delivery: %+v", limited)
	}
}

func TestPrune(t *testing.T) {
	j, _ := openTemp(t)
	j.RecordCall(phone.Call{ID: "1", GUID: "old", Created: t0, Disconnected: t0.Add(time.Minute)}, nil)
	j.RecordCall(phone.Call{ID: "2", GUID: "new", Created: t0.Add(48 * time.Hour), Disconnected: t0.Add(49 * time.Hour)}, nil)
	j.AddDeliveries([]outgoing.Delivery{
		{ID: 1, CallGUID: "old", URL: "https://x/1", Status: outgoing.StatusDelivered, Created: t0},
		{ID: 2, CallGUID: "old", URL: "https://x/2", Status: outgoing.StatusPending, Created: t0},
	}, nil)
	done, waitDone := wait(t)
	j.Prune(t0.Add(24*time.Hour), done)
	waitDone()
	calls, _ := j.Calls(context.Background(), Query{})
	ds, _ := j.Deliveries(context.Background(), Query{})
	if len(calls) != 1 || calls[0].GUID != "new" || len(ds) != 1 || ds[0].ID != 2 {
		t.Errorf("after prune: calls %+v deliveries %+v", calls, ds)
	}
}

func TestCloseCommitsQueuedWritesAndRefusesLaterOnes(t *testing.T) {
	j, path := openTemp(t)
	for i := range 200 {
		j.RecordCall(phone.Call{ID: "x", GUID: string(rune('a'+i%26)) + time.Duration(i).String(), Created: t0}, nil)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	var got error
	j.RecordCall(phone.Call{GUID: "late"}, func(err error) { got = err })
	if !errors.Is(got, ErrClosed) {
		t.Errorf("write after close: %v", got)
	}
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	calls, err := r.Calls(context.Background(), Query{Limit: 1000})
	if err != nil || len(calls) != 200 {
		t.Errorf("read back %d calls, %v", len(calls), err)
	}
	var refused error
	r.RecordCall(phone.Call{GUID: "ro"}, func(err error) { refused = err })
	if !errors.Is(refused, ErrClosed) {
		t.Errorf("write to a read-only journal: %v", refused)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	_, err := OpenReadOnly(filepath.Join(t.TempDir(), FileName))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v", err)
	}
}

func TestReaderWhileWriting(t *testing.T) {
	j, path := openTemp(t)
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 300 {
			j.RecordCall(phone.Call{ID: "1", GUID: time.Duration(i).String(), Created: t0}, nil)
		}
	}()
	for range 50 {
		if _, err := r.Calls(context.Background(), Query{}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// TestDeliveryIDReservation: the outbox's reservation counts as handed
// out, survives a restart, and a clean close may lower it, though never
// below an id that is stored.
func TestDeliveryIDReservation(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	ctx := context.Background()
	tests := []struct {
		name string
		do   func(j *Journal, done func(error))
		want int64
	}{
		{"empty", func(j *Journal, done func(error)) { done(nil) }, 0},
		{"reserved", func(j *Journal, done func(error)) { j.ReserveDeliveryIDs(1024, done) }, 1024},
		{"stored above it", func(j *Journal, done func(error)) {
			j.AddDeliveries([]outgoing.Delivery{{ID: 2000, CallGUID: "g", Action: phone.ActionInbound,
				URL: "http://crm.example/", Mode: outgoing.ModeBackground, Status: outgoing.StatusPending, Created: t0}}, done)
		}, 2000},
		{"lowered", func(j *Journal, done func(error)) { j.ReserveDeliveryIDs(5, done) }, 2000},
		{"raised", func(j *Journal, done func(error)) { j.ReserveDeliveryIDs(3072, done) }, 3072},
	}
	for _, tt := range tests {
		// A fresh open each time: what counts is what is on disk.
		j, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		done, waitDone := wait(t)
		tt.do(j, done)
		waitDone()
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		j, err = Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := j.LastDeliveryID(ctx)
		j.Close()
		if err != nil || got != tt.want {
			t.Errorf("%s: LastDeliveryID = %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
}

// TestOutboxSurvivesRestart runs the outbox on the journal: the CRM is
// down, dialbridge stops with deliveries pending, starts again, the CRM
// comes back, and every delivery arrives exactly once.
func TestOutboxSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the CRM is down

	j := openAt(t, path)
	tries := make(chan outgoing.Delivery, 100)
	failing := &countingSender{inner: outgoing.NewHTTPSender(2, "test"), seen: tries}
	b, err := outgoing.Open(context.Background(), outgoing.Options{Store: j, Sender: failing,
		Backoff: func(int) time.Duration { return time.Hour }})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	var ds []outgoing.Delivery
	for _, a := range []phone.Action{phone.ActionInbound, phone.ActionConnected, phone.ActionDisconnected} {
		ds = append(ds, outgoing.Delivery{CallGUID: "g1", Action: a, URL: "http://" + addr + "/e/" + string(a), Mode: outgoing.ModeBackground})
	}
	if err := b.Enqueue(ds)(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-tries // the first attempt failed; the rest wait behind it
	b.Close()
	j.Close()

	var mu sync.Mutex
	got := map[string]int{}
	crm := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path]++
		mu.Unlock()
	}))
	crm.Listener, err = net.Listen("tcp4", addr)
	if err != nil {
		t.Skipf("the CRM's port was taken meanwhile: %v", err)
	}
	crm.Start()
	defer crm.Close()

	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	// The failed attempt's retry was scheduled an hour ahead, and the new
	// outbox keeps that schedule; its clock runs two hours ahead so that
	// the retry is due at once.
	delivered := make(chan outgoing.Delivery, 10)
	b, err = outgoing.Open(context.Background(), outgoing.Options{Store: j,
		Now:     func() time.Time { return time.Now().Add(2 * time.Hour) },
		OnFinal: func(d outgoing.Delivery) { delivered <- d }})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	defer b.Close()
	for range 3 {
		select {
		case d := <-delivered:
			if d.Status != outgoing.StatusDelivered {
				t.Errorf("delivery %+v", d)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("only %v arrived", got)
		}
	}
	b.Close()
	mu.Lock()
	defer mu.Unlock()
	for _, a := range []string{"inbound", "connected", "disconnected"} {
		if got["/e/"+a] != 1 {
			t.Errorf("%s arrived %d times", a, got["/e/"+a])
		}
	}
	if pending, _ := j.PendingDeliveries(context.Background()); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
}

// TestOutboxRecordsEveryOutcome: deliveries go out before their rows are
// on disk, yet every outcome must land after its row, never be overwritten
// by it (which would leave a delivered request pending, to be sent again
// after a restart). Many calls enqueue at once from many goroutines, as
// phone events arrive, against a CRM that answers at once.
func TestOutboxRecordsEveryOutcome(t *testing.T) {
	j, _ := openTemp(t)
	crm := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer crm.Close()
	const calls, perCall = 64, 4
	finals := make(chan outgoing.Delivery, calls*perCall)
	b, err := outgoing.Open(context.Background(), outgoing.Options{Store: j,
		OnFinal: func(d outgoing.Delivery) { finals <- d }})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	var wg sync.WaitGroup
	for c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, a := range []phone.Action{phone.ActionInbound, phone.ActionConnected, phone.ActionHold, phone.ActionDisconnected}[:perCall] {
				d := outgoing.Delivery{CallGUID: fmt.Sprint("g", c), Action: a, URL: crm.URL + "/e/" + string(a),
					Mode: outgoing.ModeBackground}
				if err := b.Enqueue([]outgoing.Delivery{d})(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for range calls * perCall {
		select {
		case d := <-finals:
			if d.Status != outgoing.StatusDelivered {
				t.Errorf("delivery %+v", d)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("not every delivery finished")
		}
	}
	b.Close()
	if err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if pending, err := j.PendingDeliveries(context.Background()); err != nil || len(pending) != 0 {
		t.Errorf("%d deliveries still pending on disk after they were delivered (%v)", len(pending), err)
	}
	ds, err := j.Deliveries(context.Background(), Query{Limit: calls * perCall})
	if err != nil || len(ds) != calls*perCall {
		t.Fatalf("%d deliveries on disk, want %d (%v)", len(ds), calls*perCall, err)
	}
	if last, err := j.LastDeliveryID(context.Background()); err != nil || last != calls*perCall {
		t.Errorf("LastDeliveryID after a clean close = %d (%v), want %d", last, err, calls*perCall)
	}
}

type countingSender struct {
	inner outgoing.Sender
	seen  chan outgoing.Delivery
}

func (s *countingSender) Send(ctx context.Context, d outgoing.Delivery) outgoing.Result {
	r := s.inner.Send(ctx, d)
	s.seen <- d
	return r
}

func BenchmarkRecordCall(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ch := make(chan error, 1)
		i := 0
		for pb.Next() {
			i++
			j.RecordCall(phone.Call{ID: "1", GUID: time.Now().String() + string(rune(i)), Created: t0},
				func(err error) { ch <- err })
			if err := <-ch; err != nil {
				b.Error(err)
				return
			}
		}
	})
}
