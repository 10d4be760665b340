package outgoing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// memStore is an in-memory Store for the outbox tests; the journal's own
// tests run the outbox against SQLite.
type memStore struct {
	mu       sync.Mutex
	rows     map[int64]Delivery
	reserved int64
}

func newMemStore(rows ...Delivery) *memStore {
	s := &memStore{rows: map[int64]Delivery{}}
	for _, d := range rows {
		s.rows[d.ID] = d
	}
	return s
}

func (s *memStore) AddDeliveries(ds []Delivery, done func(error)) {
	s.mu.Lock()
	for _, d := range ds {
		s.rows[d.ID] = d
	}
	s.mu.Unlock()
	done(nil)
}

func (s *memStore) UpdateDelivery(d Delivery, done func(error)) {
	s.mu.Lock()
	s.rows[d.ID] = d
	s.mu.Unlock()
	done(nil)
}

func (s *memStore) ReserveDeliveryIDs(upTo int64, done func(error)) {
	s.mu.Lock()
	s.reserved = upTo
	s.mu.Unlock()
	done(nil)
}

func (s *memStore) PendingDeliveries(context.Context) ([]Delivery, error) {
	var out []Delivery
	for _, d := range s.all() {
		if d.Status == StatusPending {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *memStore) LastDeliveryID(context.Context) (int64, error) {
	s.mu.Lock()
	last := s.reserved
	s.mu.Unlock()
	for _, d := range s.all() {
		last = max(last, d.ID)
	}
	return last, nil
}

func (s *memStore) all() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, 0, len(s.rows))
	for _, d := range s.rows {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// crm is a test server that records what reached it and answers what the
// test tells it to.
type crm struct {
	*httptest.Server
	mu       sync.Mutex
	got      []string
	keys     []string
	answer   func(r *http.Request) int
	received chan string
}

func newCRM(t *testing.T, answer func(r *http.Request) int) *crm {
	c := &crm{answer: answer, received: make(chan string, 1000)}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		if c.answer != nil {
			status = c.answer(r)
		}
		if status == http.StatusOK {
			c.mu.Lock()
			c.got = append(c.got, r.URL.RequestURI())
			c.keys = append(c.keys, r.Header.Get("Idempotency-Key"))
			c.mu.Unlock()
			c.received <- r.URL.RequestURI()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *crm) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

// finals collects the deliveries that reached their final state.
type finals struct {
	ch chan Delivery
}

func newFinals() *finals { return &finals{ch: make(chan Delivery, 1000)} }

func (f *finals) wait(t *testing.T, n int) []Delivery {
	t.Helper()
	var out []Delivery
	timeout := time.After(30 * time.Second)
	for len(out) < n {
		select {
		case d := <-f.ch:
			out = append(out, d)
		case <-timeout:
			t.Fatalf("only %d of %d deliveries finished: %+v", len(out), n, out)
		}
	}
	return out
}

func openOutbox(t *testing.T, o Options) *Outbox {
	t.Helper()
	if o.Backoff == nil {
		o.Backoff = func(int) time.Duration { return time.Millisecond }
	}
	b, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	t.Cleanup(b.Close)
	return b
}

func delivery(call, action, url string) Delivery {
	return Delivery{CallGUID: call, Action: phone.Action(action), URL: url, Mode: ModeBackground}
}

func TestOutboxDeliversInOrderPerCall(t *testing.T) {
	c := newCRM(t, nil)
	store := newMemStore()
	f := newFinals()
	b := openOutbox(t, Options{Store: store, Workers: 3, OnFinal: func(d Delivery) { f.ch <- d }})
	var all []Delivery
	for call := range 5 {
		for _, a := range []string{"inbound", "connected", "hold", "hold", "disconnected"} {
			all = append(all, delivery(fmt.Sprint("call", call), a, fmt.Sprintf("%s/%d/%s", c.URL, call, a)))
		}
	}
	// Interleaved, as events of parallel calls arrive.
	for i := range 5 {
		var batch []Delivery
		for call := range 5 {
			batch = append(batch, all[call*5+i])
		}
		if err := b.Enqueue(batch)(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	f.wait(t, 25)
	got := c.requests()
	if len(got) != 25 {
		t.Fatalf("CRM got %d requests, want 25", len(got))
	}
	for call := range 5 {
		var seq []string
		for _, r := range got {
			if strings.HasPrefix(r, fmt.Sprintf("/%d/", call)) {
				seq = append(seq, strings.TrimPrefix(r, fmt.Sprintf("/%d/", call)))
			}
		}
		if want := "inbound connected hold hold disconnected"; strings.Join(seq, " ") != want {
			t.Errorf("call %d arrived as %v, want %s", call, seq, want)
		}
	}
	for _, d := range store.all() {
		if d.Status != StatusDelivered || d.Attempts != 1 || d.HTTPStatus != 200 || d.Done.IsZero() {
			t.Errorf("stored %+v", d)
		}
	}
	if b.Pending() != 0 {
		t.Errorf("%d still pending", b.Pending())
	}
	seen := map[string]bool{}
	for _, k := range c.keys {
		if k == "" || seen[k] {
			t.Errorf("idempotency key %q missing or repeated", k)
		}
		seen[k] = true
	}
}

// orderSender records the order of the requests it is asked to make and
// answers each at once.
type orderSender struct {
	mu  sync.Mutex
	got []string
}

func (s *orderSender) Send(_ context.Context, d Delivery) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, d.URL)
	return Result{Status: http.StatusOK}
}

// TestOutboxSendsTheOldestEventFirst: a call's next delivery, blocked
// behind its previous one, goes before the deliveries of other calls that
// are younger; it does not queue up again behind them.
func TestOutboxSendsTheOldestEventFirst(t *testing.T) {
	tests := []struct {
		name    string
		enqueue [][]Delivery
		want    string
	}{
		{
			name: "the second event of a call before a younger call",
			enqueue: [][]Delivery{{
				delivery("a", "inbound", "a1"), delivery("a", "connected", "a2"), delivery("b", "inbound", "b1"),
			}},
			want: "a1 a2 b1",
		},
		{
			name: "calls interleaved",
			enqueue: [][]Delivery{
				{delivery("a", "inbound", "a1"), delivery("b", "inbound", "b1")},
				{delivery("a", "connected", "a2"), delivery("c", "inbound", "c1"), delivery("b", "connected", "b2")},
			},
			want: "a1 b1 a2 c1 b2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &orderSender{}
			f := newFinals()
			// One worker, so that the order of the requests is the order
			// of the queue. The outbox is started once everything is in.
			b, err := Open(context.Background(), Options{Store: newMemStore(), Sender: s, Workers: 1,
				OnFinal: func(d Delivery) { f.ch <- d }})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			n := 0
			for _, ds := range tt.enqueue {
				n += len(ds)
				if err := b.Enqueue(ds)(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			b.Start()
			f.wait(t, n)
			s.mu.Lock()
			defer s.mu.Unlock()
			if got := strings.Join(s.got, " "); got != tt.want {
				t.Errorf("sent %s, want %s", got, tt.want)
			}
		})
	}
}

func TestOutboxRetriesAndGivesUp(t *testing.T) {
	var mu sync.Mutex
	fails := map[string]int{"/flaky": 2}
	c := newCRM(t, func(r *http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/flaky":
			if fails["/flaky"] > 0 {
				fails["/flaky"]--
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		case "/wrong":
			return http.StatusNotFound
		}
		return http.StatusOK
	})
	store := newMemStore()
	f := newFinals()
	b := openOutbox(t, Options{Store: store, OnFinal: func(d Delivery) { f.ch <- d }})
	wait := b.Enqueue([]Delivery{
		delivery("a", "inbound", c.URL+"/flaky"),
		delivery("a", "connected", c.URL+"/ok"),
		delivery("b", "inbound", c.URL+"/wrong"),
		delivery("b", "connected", c.URL+"/ok2"),
	})
	if err := wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]Delivery{}
	for _, d := range f.wait(t, 4) {
		byURL[strings.TrimPrefix(d.URL, c.URL)] = d
	}
	check := func(path string, status Status, attempts int, errPart string) {
		t.Helper()
		d := byURL[path]
		if d.Status != status || d.Attempts != attempts || !strings.Contains(d.LastError, errPart) {
			t.Errorf("%s: status %s after %d attempts, error %q; want %s after %d, error containing %q",
				path, d.Status, d.Attempts, d.LastError, status, attempts, errPart)
		}
	}
	check("/flaky", StatusDelivered, 3, "")
	check("/ok", StatusDelivered, 1, "")
	check("/wrong", StatusFailed, 1, "refused the request with HTTP 404 (Not Found); check the URL")
	check("/ok2", StatusDelivered, 1, "")
	if got := c.requests(); indexOf(got, "/flaky") < 0 || indexOf(got, "/flaky") > indexOf(got, "/ok") {
		t.Errorf("call a out of order: %v", got)
	}
}

func TestOutboxGivesUp(t *testing.T) {
	c := newCRM(t, func(*http.Request) int { return http.StatusBadGateway })
	var mu sync.Mutex
	now := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Minute) // every look at the clock is a minute later
		return now
	}
	f := newFinals()
	b := openOutbox(t, Options{Store: newMemStore(), Now: clock, GiveUp: 10 * time.Minute, OnFinal: func(d Delivery) { f.ch <- d }})
	b.Enqueue([]Delivery{delivery("c", "inbound", c.URL+"/down")})
	d := f.wait(t, 1)[0]
	// Created at minute 2 (Start looked at minute 1); attempt k settles at
	// minute 2+k and gives up once ten minutes have passed.
	if d.Status != StatusFailed || d.Attempts != 10 || !strings.Contains(d.LastError, "gave up after 10 attempts: 127.0.0.1") ||
		!strings.Contains(d.LastError, "answered HTTP 502 (Bad Gateway)") {
		t.Errorf("got %+v", d)
	}
	// The journal keeps the reason as its sentence too, which reads the same.
	if d.Says == nil || d.Says.Key != "outgoing.err.gave_up" || d.Says.Sentence().Error() != d.LastError {
		t.Errorf("the reason %q is kept as the sentence %+v", d.LastError, d.Says)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// TestOutboxSlowServer: a server that does not answer holds up neither
// Enqueue nor other calls, and a delivery cut short by Close stays pending.
func TestOutboxSlowServer(t *testing.T) {
	release := make(chan struct{})
	hanging := make(chan struct{}, 10)
	c := newCRM(t, func(r *http.Request) int {
		if r.URL.Path == "/slow" {
			hanging <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		return http.StatusOK
	})
	defer close(release)
	store := newMemStore()
	f := newFinals()
	b, err := Open(context.Background(), Options{Store: store, Workers: 2, OnFinal: func(d Delivery) { f.ch <- d }})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	if err := b.Enqueue([]Delivery{delivery("slow", "inbound", c.URL+"/slow"), delivery("slow", "connected", c.URL+"/after")})(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-hanging
	for i := range 20 {
		if err := b.Enqueue([]Delivery{delivery(fmt.Sprint("fast", i), "inbound", fmt.Sprintf("%s/fast/%d", c.URL, i))})(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	f.wait(t, 20)
	if indexOf(c.requests(), "/after") >= 0 {
		t.Error("the second delivery of a call went out before the first was answered")
	}
	b.Close()
	var pending []string
	for _, d := range store.all() {
		if d.Status == StatusPending {
			pending = append(pending, strings.TrimPrefix(d.URL, c.URL))
		}
	}
	if strings.Join(pending, " ") != "/slow /after" {
		t.Errorf("pending after Close: %v", pending)
	}
}

// TestOutboxResumesAfterRestart: what a crashed resident left pending is
// delivered by the next one, once, and numbering continues.
func TestOutboxResumesAfterRestart(t *testing.T) {
	c := newCRM(t, nil)
	created := time.Now().Add(-time.Minute)
	store := newMemStore(
		Delivery{ID: 1, CallGUID: "a", Action: "inbound", URL: c.URL + "/1", Mode: ModeBackground, Status: StatusDelivered, Created: created},
		Delivery{ID: 2, CallGUID: "a", Action: "connected", URL: c.URL + "/2", Mode: ModeBackground, Status: StatusPending, Created: created, Attempts: 3},
		Delivery{ID: 3, CallGUID: "a", Action: "disconnected", URL: c.URL + "/3", Mode: ModeBackground, Status: StatusPending, Created: created},
		Delivery{ID: 4, CallGUID: "b", Action: "inbound", URL: c.URL + "/4", Mode: ModeBrowser, Status: StatusPending, Created: created},
	)
	f := newFinals()
	opener := &recordingOpener{}
	b := openOutbox(t, Options{Store: store, Opener: opener, OnFinal: func(d Delivery) { f.ch <- d }})
	f.wait(t, 2)
	if got := c.requests(); strings.Join(got, " ") != "/2 /3" {
		t.Errorf("CRM got %v, want /2 /3", got)
	}
	ds := []Delivery{delivery("c", "inbound", c.URL+"/5")}
	if err := b.Enqueue(ds)(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ds[0].ID != 5 {
		t.Errorf("new delivery got id %d, want 5", ds[0].ID)
	}
	f.wait(t, 1)
	rows := store.all()
	if rows[1].Attempts != 4 || rows[3].Status != StatusFailed || !strings.Contains(rows[3].LastError, "stopped before it could open the browser") ||
		rows[3].Says == nil || rows[3].Says.Key != "outgoing.err.stopped_before_browser" {
		t.Errorf("stored %+v", rows)
	}
	if len(opener.opened()) != 0 {
		t.Errorf("a stale browser delivery was opened: %v", opener.opened())
	}
}

type recordingOpener struct {
	mu   sync.Mutex
	urls []string
	err  error
}

func (o *recordingOpener) Open(_ context.Context, u string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.urls = append(o.urls, u)
	return o.err
}

func (o *recordingOpener) opened() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

func TestOutboxOpensBrowserOnce(t *testing.T) {
	store := newMemStore()
	f := newFinals()
	opener := &recordingOpener{}
	b := openOutbox(t, Options{Store: store, Opener: opener, OnFinal: func(d Delivery) { f.ch <- d }})
	d := delivery("a", "inbound", "https://crm.example/popup?nr=42")
	d.Mode = ModeBrowser
	b.Enqueue([]Delivery{d})
	if got := f.wait(t, 1)[0]; got.Status != StatusDelivered {
		t.Errorf("browser delivery: %+v", got)
	}
	opener.err = errors.New("xdg-open could not open the browser: exit status 3")
	b.Enqueue([]Delivery{d})
	if got := f.wait(t, 1)[0]; got.Status != StatusFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "exit status 3") {
		t.Errorf("failed browser delivery: %+v", got)
	}
	if got := opener.opened(); len(got) != 2 {
		t.Errorf("opened %v", got)
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 30: 5 * time.Minute} {
		got := DefaultBackoff(attempts)
		if got < want || got > want+want/5 {
			t.Errorf("DefaultBackoff(%d) = %v, want %v plus up to a fifth", attempts, got, want)
		}
	}
}

// TestOutboxSaysWhenDeliveriesFailAndWhenTheyWorkAgain: the first failed
// attempt turns Failing on, the next success turns it off, each told once.
func TestOutboxSaysWhenDeliveriesFailAndWhenTheyWorkAgain(t *testing.T) {
	var mu sync.Mutex
	fails := 2
	c := newCRM(t, func(*http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	var told []bool
	f := newFinals()
	b := openOutbox(t, Options{Store: newMemStore(), OnFinal: func(d Delivery) { f.ch <- d },
		OnFailing: func(on bool) { mu.Lock(); told = append(told, on); mu.Unlock() }})
	if b.Failing() {
		t.Error("failing before any attempt")
	}
	if err := b.Enqueue([]Delivery{delivery("a", "inbound", c.URL+"/in")})(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.wait(t, 1)
	mu.Lock()
	defer mu.Unlock()
	if want := []bool{true, false}; !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	if b.Failing() {
		t.Error("still failing after the delivery went through")
	}
}
