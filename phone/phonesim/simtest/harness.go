package simtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

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
