// Package simtest holds what every brand's driver tests share: the
// harness that pairs the brand's simulator and driver with one login, the
// refusal table it runs, and the assertions that a recorded request is
// exactly the one the phone's protocol wants and that a replaced phone
// certificate is refused. It imports testing, so
// only _test files use it; the simulators themselves stay free of it.
package simtest

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// Want is the request a driver must send. Header lists only the headers
// that matter to the protocol; others (User-Agent, Authorization) are not
// compared.
type Want struct {
	Method   string
	Path     string
	RawQuery string
	Header   map[string]string
	Body     string
}

// Request fails t unless got is exactly want.
func Request(t *testing.T, got phonesim.Request, want Want) {
	t.Helper()
	if got.Method != want.Method {
		t.Errorf("method = %s, want %s", got.Method, want.Method)
	}
	if got.Path != want.Path {
		t.Errorf("path = %s, want %s", got.Path, want.Path)
	}
	if got.RawQuery != want.RawQuery {
		t.Errorf("query = %q, want %q", got.RawQuery, want.RawQuery)
	}
	keys := make([]string, 0, len(want.Header))
	for k := range want.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if g := got.Header.Get(k); g != want.Header[k] {
			t.Errorf("header %s = %q, want %q", k, g, want.Header[k])
		}
	}
	if string(got.Body) != want.Body {
		t.Errorf("body =\n%s\nwant\n%s", got.Body, want.Body)
	}
}

// Last returns the last request srv recorded, failing t if there is none.
func Last(t *testing.T, srv interface{ Requests() []phonesim.Request }) phonesim.Request {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("the simulated phone received no request")
	}
	return reqs[len(reqs)-1]
}

// Phone is a running simulator as CertificateChange needs it.
type Phone interface {
	URL() string
	Addr() string
	Close() error
	CertificateDER() []byte
}

// CertificateChange pairs a client with a phone that start serves over TLS
// on a free port, runs op once (trusting the certificate on first use),
// replaces the phone by a new one with a fresh certificate on the same
// address, and checks that op is then refused with ErrCertificate naming
// both fingerprints, before anything reaches the new phone.
func CertificateChange(t *testing.T, start func(t *testing.T, addr string) Phone, opts phonehttp.Options,
	op func(ctx context.Context, c *phonehttp.Client) error) {
	t.Helper()
	first := start(t, "127.0.0.1:0")
	addr := first.Addr()
	var pinned string
	opts.Address, opts.Timeout = first.URL(), 10*time.Second
	opts.OnNewFingerprint = func(fp string) { pinned = fp }
	c, err := phonehttp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := op(ctx, c); err != nil {
		t.Fatalf("with the paired phone: %v", err)
	}
	oldFP := phonehttp.Fingerprint(first.CertificateDER())
	if pinned != oldFP {
		t.Fatalf("pinned %q on first use, want %q", pinned, oldFP)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	c.CloseIdleConnections() // a replaced phone takes a while: no connection survives it
	second := start(t, addr)
	newFP := phonehttp.Fingerprint(second.CertificateDER())
	err = op(ctx, c)
	if phone.KindOf(err) != phone.ErrCertificate {
		t.Fatalf("with a replaced phone: err = %v, want kind ErrCertificate", err)
	}
	for _, want := range []string{oldFP, newFP} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not show fingerprint %s", err, want)
		}
	}
	if r, ok := second.(interface{ Requests() []phonesim.Request }); ok && len(r.Requests()) > 0 {
		t.Errorf("the replaced phone received %d requests, want none", len(r.Requests()))
	}
}

// Status serves one fixed answer, for the error paths a simulator does not
// produce by itself (a proxy's 403, a firmware without the API's 404).
func Status(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// Start starts a simulator with start, fails t when that fails, and stops
// the simulator when t ends: the harness every brand's tests begin with.
func Start[S interface{ Close() error }](t *testing.T, start func() (S, error)) S {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Client returns the phone client for opts, failing t when the options
// are wrong.
func Client(t *testing.T, opts phonehttp.Options) *phonehttp.Client {
	t.Helper()
	c, err := phonehttp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Serve starts a simulated phone that answers every request with handler
// (a fault the brand's simulator does not produce by itself) behind opts'
// authentication, stops it when t ends, and returns its URL.
func Serve(t *testing.T, handler http.Handler, opts phonesim.Options) string {
	t.Helper()
	return Start(t, func() (*phonesim.Server, error) { return phonesim.Start(handler, opts) }).URL()
}

// Timeout is d, or ten seconds when d is zero: the request time-out of a
// test that does not test time-outs.
func Timeout(d time.Duration) time.Duration {
	if d == 0 {
		return 10 * time.Second
	}
	return d
}

// Refused fails t unless err is of kind and its sentence contains every
// one of words.
func Refused(t *testing.T, err error, kind phone.ErrorKind, words ...string) {
	t.Helper()
	if phone.KindOf(err) != kind {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

// Login is the web account a brand's tests give their simulated phone and
// their driver alike, with the scheme the brand's phones ask for.
type Login struct {
	Auth               phonesim.Auth
	Username, Password string
}

// Protect puts the login on the simulator's options o, unless the test
// chose an authentication or an account of its own.
func (l Login) Protect(o *phonesim.Options) {
	if o.Auth == phonesim.AuthNone && o.Username == "" && o.Password == "" {
		o.Auth, o.Username, o.Password = l.Auth, l.Username, l.Password
	}
}

// Options are the simulator's options with l's login and nothing else.
func (l Login) Options() phonesim.Options {
	return phonesim.Options{Auth: l.Auth, Username: l.Username, Password: l.Password}
}

// ClientOptions are the options of a client of brand that logs in with l.
// A bearer login's password is the token the client sends.
func (l Login) ClientOptions(brand string) phonehttp.Options {
	if l.Auth == phonesim.AuthBearer {
		return phonehttp.Options{Brand: brand, BearerToken: l.Password}
	}
	return phonehttp.Options{Brand: brand, Username: l.Username, Password: l.Password}
}

// Client returns the client of brand for the phone at url, logging in with
// l's account and giving up after timeout.
func (l Login) Client(t *testing.T, brand, url string, timeout time.Duration) *phonehttp.Client {
	t.Helper()
	o := l.ClientOptions(brand)
	o.Address, o.Timeout = url, timeout
	return Client(t, o)
}

// WantCalls returns a check that a simulator that keeps calls has exactly
// want on it, oldest first (none when want is empty).
func WantCalls[S interface{ Calls() []C }, C any](want ...C) func(t *testing.T, s S) {
	return func(t *testing.T, s S) {
		t.Helper()
		if want == nil {
			want = []C{}
		}
		if got := s.Calls(); !reflect.DeepEqual(got, want) {
			t.Errorf("calls = %+v, want %+v", got, want)
		}
	}
}

// WantState checks that the call with id is still on a simulator that
// keeps calls, in state want; idState reads a brand's call, whose fields
// are its own.
func WantState[C any](t *testing.T, calls []C, id string, want phonesim.CallState, idState func(C) (string, phonesim.CallState)) {
	t.Helper()
	for _, c := range calls {
		if cid, st := idState(c); cid == id {
			if st != want {
				t.Errorf("call %s is %s, want %s", id, st, want)
			}
			return
		}
	}
	t.Errorf("call %s is gone, want it %s", id, want)
}

// FaultOr returns the URL of the phone an error case talks to: one that
// answers every request with fault, behind opts' authentication, when the
// case has a fault the simulator does not produce by itself; otherwise
// the brand's simulator, which start starts.
func FaultOr(t *testing.T, fault http.Handler, opts phonesim.Options, start func() string) string {
	t.Helper()
	if fault != nil {
		return Serve(t, fault, opts)
	}
	return start()
}

// Sim is a running brand simulator as the harness needs it: one that can
// be paired with over TLS and that records what it was asked.
type Sim interface {
	Phone
	Recorder
}

// Harness is a brand's test bench: it starts the brand's simulated phone
// behind the brand's login and builds the brand's driver logged in with
// the same account, so that a brand's tests declare that pairing once
// instead of each writing its own start and driver helpers.
type Harness[O any, S Sim, D phone.Driver] struct {
	// Brand is the brand the clients announce.
	Brand string
	// Login is the account the simulator asks for and the driver gives;
	// a test that wants another password for its driver copies the
	// harness and changes it.
	Login Login

	start func(O) (S, error)
	base  func(*O) *phonesim.Options
	open  func(*phonehttp.Client) D
}

// NewHarness returns the harness of brand: start starts its simulator,
// open builds its driver on a client.
func NewHarness[O any, PO interface {
	*O
	Base() *phonesim.Options
}, S Sim, D phone.Driver](brand string, login Login, start func(O) (S, error), open func(*phonehttp.Client) D) Harness[O, S, D] {
	base := func(o *O) *phonesim.Options { return PO(o).Base() }
	return Harness[O, S, D]{Brand: brand, Login: login, start: start, base: base, open: open}
}

// Sim starts the simulator with opts, behind the login unless opts choose
// an account of their own, and stops it when t ends.
func (h Harness[O, S, D]) Sim(t *testing.T, opts O) S {
	t.Helper()
	h.Login.Protect(h.base(&opts))
	return Start(t, func() (S, error) { return h.start(opts) })
}

// Driver returns the driver for the phone at url, logged in with the
// login, giving up on a request after timeout (ten seconds when zero).
func (h Harness[O, S, D]) Driver(t *testing.T, url string, timeout time.Duration) D {
	t.Helper()
	return h.open(h.Login.Client(t, h.Brand, url, Timeout(timeout)))
}

// Pair starts the simulator with opts and returns it with a driver paired
// with it: the start of most tests.
func (h Harness[O, S, D]) Pair(t *testing.T, opts O) (S, D) {
	t.Helper()
	s := h.Sim(t, opts)
	return s, h.Driver(t, s.URL(), 0)
}

// Conformance is the brand's entry to the conformance suite: a fresh
// simulator and driver per case, with prepare putting a call in state on
// it and returning the call's id (nil: the phone keeps no calls).
func (h Harness[O, S, D]) Conformance(prepare func(s S, d D, state CallState) string) Conformance {
	return Conformance{
		Setup: func(t *testing.T, state CallState) (phone.Driver, Recorder, string) {
			var zero O
			s, d := h.Pair(t, zero)
			if prepare == nil {
				return d, s, ""
			}
			return d, s, prepare(s, d, state)
		},
		StartTLS: func(t *testing.T, addr string) Phone {
			var opts O
			base := h.base(&opts)
			base.TLS, base.Addr = true, addr
			return h.Sim(t, opts)
		},
		Client: h.Login.ClientOptions(h.Brand),
		Open:   func(c *phonehttp.Client) phone.Driver { return h.open(c) },
	}
}

// Fault is one way a brand's phone refuses, and how the driver must
// report it.
type Fault[O any, S Sim, D phone.Driver] struct {
	Name string
	// Sim are the simulator's options, where the refusal is one of its
	// settings or quirks.
	Sim O
	// Handler, when set, answers instead of the simulator (behind the
	// login), for a refusal the simulator does not produce by itself.
	Handler http.Handler
	// Password, when set, is the driver's instead of the login's.
	Password string
	// Timeout is the driver's request time-out; zero means ten seconds.
	Timeout time.Duration
	// Run is the operation that fails; nil dials 200.
	Run func(ctx context.Context, d D) error
	// Kind and Words are what the error must be and say.
	Kind  phone.ErrorKind
	Words []string
	// Check, when set, looks at the simulator after the refusal (that
	// the phone did nothing); it is not called with Handler.
	Check func(t *testing.T, s S)
}

// Faults runs each case against a fresh phone: the operation must fail
// with the case's kind, in a sentence with its words, and without
// showing the password it was given.
func (h Harness[O, S, D]) Faults(t *testing.T, cases []Fault[O, S, D]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var s S
			started := false
			url := FaultOr(t, c.Handler, h.Login.Options(), func() string {
				s, started = h.Sim(t, c.Sim), true
				return s.URL()
			})
			b := h
			if c.Password != "" {
				b.Login.Password = c.Password
			}
			run := c.Run
			if run == nil {
				run = func(ctx context.Context, d D) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
			}
			err := run(context.Background(), b.Driver(t, url, c.Timeout))
			Refused(t, err, c.Kind, c.Words...)
			if pw := b.Login.Password; pw != "" && strings.Contains(err.Error(), pw) {
				t.Errorf("error %q shows the password", err)
			}
			if c.Check != nil && started {
				c.Check(t, s)
			}
		})
	}
}
