package actionurl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/internal/fakeclock"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// wireCounter counts every request that leaves for the phone, including
// the ones the phone answers with an authentication challenge, so "the
// phone received nothing" means nothing at all went out.
type wireCounter struct {
	inner http.RoundTripper
	n     atomic.Int64
}

func (w *wireCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	w.n.Add(1)
	return w.inner.RoundTrip(r)
}

// syncBuffer collects log output from many goroutines, and tells waiters
// when a line with a given text arrives.
type syncBuffer struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	watchers []logWatcher
}

type logWatcher struct {
	texts []string
	ch    chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	line := string(p)
	kept := b.watchers[:0]
	for _, w := range b.watchers {
		all := true
		for _, t := range w.texts {
			all = all && strings.Contains(line, t)
		}
		if all {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	b.watchers = kept
	return b.buf.Write(p)
}

// seen returns a channel closed when a log line containing all texts is
// written from now on.
func (b *syncBuffer) seen(texts ...string) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan struct{})
	b.watchers = append(b.watchers, logWatcher{texts: texts, ch: ch})
	return ch
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// attackOptions shape an attack rig; the zero value is the tray-less
// default: allowed origin https://crm.example, confirm "untrusted".
type attackOptions struct {
	origins            []string
	confirm            string
	canConfirm         bool
	confirmer          Confirmer
	remember           func(string) error
	limit              *rate.Limiter
	limits             Limits
	username, password string
	// phonePassword is the phone's (and the driver's) password.
	phonePassword string
	// driverPassword, when set, is what the driver sends instead.
	driverPassword string
	// wrap wraps the real Snom driver (a slow or failing phone).
	wrap func(phone.Driver) phone.Driver
	// events builds the /phone/ handler, given the rig's log.
	events func(*slog.Logger) http.Handler
}

// attackRig is a listener in front of a simulated Snom phone, with every
// observable side recorded: the wire to the phone, the log, the refusal
// reports.
type attackRig struct {
	sim   brandsim.Dialer
	wire  *wireCounter
	l     *Listener
	ds    *DialService
	port  int
	addr  string // 127.0.0.1:PORT
	base  string // http://127.0.0.1:PORT
	logs  *syncBuffer
	clock *fakeclock.Clock // of the rate limit and the refusal reports
	token string
	// client is the rig's own HTTP client, so no connection it leaves
	// open delays the listener's shutdown.
	client *http.Client
	// user and password are the listener credentials, if any.
	user, password string

	mu      sync.Mutex
	reports []RefusalReport
}

func newAttackRig(t *testing.T, o attackOptions) *attackRig {
	t.Helper()
	if o.phonePassword == "" {
		o.phonePassword = "s3cret"
	}
	if o.driverPassword == "" {
		o.driverPassword = o.phonePassword
	}
	if o.origins == nil {
		o.origins = []string{"https://crm.example"}
	}
	if o.confirm == "" {
		o.confirm = ConfirmUntrusted
	}
	sim, _, err := brandsim.StartDialer("snom", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: o.phonePassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	wire := &wireCounter{inner: http.DefaultTransport.(*http.Transport).Clone()}
	drv, err := brands.Open(phone.Settings{Brand: "snom", Address: sim.URL(), Username: "admin", Password: o.driverPassword, Timeout: 5 * time.Second, Transport: wire})
	if err != nil {
		t.Fatal(err)
	}
	if o.wrap != nil {
		drv = o.wrap(drv)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	p, err := NewPolicy(port, nil, o.origins, o.confirm, o.username, o.password)
	if err != nil {
		t.Fatal(err)
	}
	r := &attackRig{sim: sim, wire: wire, port: port, addr: ln.Addr().String(), base: "http://" + ln.Addr().String(),
		logs: &syncBuffer{}, clock: fakeclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), token: control.NewToken(), user: o.username, password: o.password}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.ds = &DialService{
		Phone:     func() phone.Driver { return drv },
		Prepare:   testPrepare,
		Limit:     o.limit,
		Confirmer: o.confirmer,
		Remember:  o.remember,
		OnRefused: func(rep RefusalReport) {
			r.mu.Lock()
			r.reports = append(r.reports, rep)
			r.mu.Unlock()
		},
		Now: r.clock.Now,
		Log: log,
	}
	var events http.Handler
	if o.events != nil {
		events = o.events(log)
	}
	r.l = NewListener(ListenerOptions{
		Policy: p, Switches: Switches{Enabled: true, Incoming: true, MakeCall: true},
		Dial: r.ds, Control: NewControl(r.token, testRoutes(r.ds)), Events: events, CanConfirm: o.canConfirm,
		Limits: o.limits, Log: log,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.l.Serve(ctx, []net.Listener{ln}); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	tr := http.DefaultTransport.(*http.Transport).Clone()
	r.client = &http.Client{Transport: tr, Timeout: 60 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return r
}

// refusals returns the refusal reports so far.
func (r *attackRig) refusals() []RefusalReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RefusalReport(nil), r.reports...)
}

// phoneUntouched fails the test if anything at all reached the phone.
func (r *attackRig) phoneUntouched(t *testing.T) {
	t.Helper()
	if n := r.wire.n.Load(); n != 0 {
		t.Errorf("%d requests went out to the phone, want none", n)
	}
	if d := r.sim.Dialed(); len(d) != 0 {
		t.Errorf("the phone dialed %v, want nothing", d)
	}
}

// legitDial is the legitimate client of the same run: a local program
// dialing number, which must reach the phone.
func (r *attackRig) legitDial(t *testing.T, number string) {
	t.Helper()
	before := len(r.sim.Dialed())
	var hdr http.Header
	if r.user != "" {
		req, _ := http.NewRequest("GET", "/", nil)
		req.SetBasicAuth(r.user, r.password)
		hdr = http.Header{"Authorization": req.Header["Authorization"]}
	}
	res, body := r.do(t, "GET", "/command.htm?number="+number, hdr, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("legitimate dial: %d %q, want 200", res.StatusCode, body)
	}
	d := r.sim.Dialed()
	if len(d) != before+1 || d[len(d)-1].Number != number {
		t.Fatalf("legitimate dial: the phone dialed %v, want %s last", d, number)
	}
}

// do sends a request with Go's client (which adds nothing a browser would).
func (r *attackRig) do(t *testing.T, method, target string, hdr http.Header, body string) (*http.Response, string) {
	t.Helper()
	return roundTrip(t, r.client, testRequest(t, method, r.base+target, hdr, body))
}

// raw sends text as it is over a fresh connection and reads one answer, so
// that a test controls every byte (an empty Host, duplicate headers).
func (r *attackRig) raw(t *testing.T, text string) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, text); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", clip(text), err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// rawGet builds a GET with the given header lines (each "Name: value").
func rawGet(target string, lines ...string) string {
	return fmt.Sprintf("GET %s HTTP/1.1\r\n%s\r\nConnection: close\r\n\r\n", target, strings.Join(lines, "\r\n"))
}

// fakeConfirmer is the person at the screen, as a test double: it answers
// every question with decision and records what it was shown.
type fakeConfirmer struct {
	mu       sync.Mutex
	decision Decision
	err      error
	asked    []ConfirmRequest
	// hold, when set, keeps the question open until it is closed.
	hold    chan struct{}
	waiting chan struct{}
}

func (f *fakeConfirmer) Confirm(ctx context.Context, req ConfirmRequest) (Decision, error) {
	f.mu.Lock()
	f.asked = append(f.asked, req)
	hold, waiting := f.hold, f.waiting
	f.mu.Unlock()
	if waiting != nil {
		waiting <- struct{}{}
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return Decision{}, ctx.Err()
		}
	}
	return f.decision, f.err
}

func (f *fakeConfirmer) questions() []ConfirmRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ConfirmRequest(nil), f.asked...)
}

// gatedPhone is a slow phone: each dial waits until the gate opens.
type gatedPhone struct {
	phone.Driver
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedPhone) Dial(ctx context.Context, o phone.DialOptions) error {
	g.entered <- struct{}{}
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Driver.Dial(ctx, o)
}

// testRoutes is the control API's table as far as this package answers it.
func testRoutes(ds *DialService) map[string]http.Handler {
	return map[string]http.Handler{control.RouteDial: DialHandler(ds), control.RoutePing: PingHandler()}
}
