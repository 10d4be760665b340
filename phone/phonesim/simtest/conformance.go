package simtest

import (
	"context"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// CallState is the call a conformance case needs on the simulated phone
// before the operation runs.
type CallState int

// The call states Setup prepares.
const (
	NoCall CallState = iota
	Ringing
	Connected
)

// Conformance is one driver paired with its simulator, as the conformance
// suite needs them.
type Conformance struct {
	// Setup starts a fresh simulator with a call in state (where the
	// simulator keeps calls; a phone without call state ignores it) and
	// returns the driver paired with it, the simulator and the call's id
	// ("" for "the active call").
	Setup func(t *testing.T, state CallState) (phone.Driver, Recorder, string)
	// StartTLS starts the simulator serving HTTPS at addr, for the check
	// that a phone whose certificate changed is refused; nil for a brand
	// that does not talk to its phones over HTTPS.
	StartTLS func(t *testing.T, addr string) Phone
	// Client is what a client of the brand is paired with (its brand and
	// login); Open makes the driver on such a client.
	Client phonehttp.Options
	Open   func(c *phonehttp.Client) phone.Driver
}

// Recorder is a simulator that records the requests it accepted.
type Recorder interface {
	Requests() []phonesim.Request
}

// op is one operation of phone.Driver as the suite runs it.
type op struct {
	name  string
	cap   phone.Capability
	word  string // how the refusal names the operation
	state CallState
	// prepare runs before the requests are counted (the hold before a
	// resume); nil for none.
	prepare func(ctx context.Context, d phone.Driver, id string) error
	run     func(ctx context.Context, d phone.Driver, id string) error
}

var ops = []op{
	{"dial", phone.CanDial, "dial", NoCall, nil, func(ctx context.Context, d phone.Driver, _ string) error {
		return d.Dial(ctx, phone.DialOptions{Number: "+4930123456"})
	}},
	{"answer", phone.CanAnswer, "answer", Ringing, nil, func(ctx context.Context, d phone.Driver, id string) error { return d.Answer(ctx, id) }},
	{"hang up", phone.CanHangup, "hang up", Connected, nil, func(ctx context.Context, d phone.Driver, id string) error { return d.Hangup(ctx, id) }},
	{"hold", phone.CanHold, "hold", Connected, nil, func(ctx context.Context, d phone.Driver, id string) error { return d.Hold(ctx, id) }},
	{"resume", phone.CanResume, "resume", Connected, func(ctx context.Context, d phone.Driver, id string) error {
		if d.Capabilities().Has(phone.CanHold) {
			return d.Hold(ctx, id)
		}
		return nil
	}, func(ctx context.Context, d phone.Driver, id string) error { return d.Resume(ctx, id) }},
	{"transfer", phone.CanTransfer, "transfer", Connected, nil, func(ctx context.Context, d phone.Driver, id string) error {
		return d.Transfer(ctx, id, "200")
	}},
	{"DTMF", phone.CanDTMF, "DTMF", Connected, nil, func(ctx context.Context, d phone.Driver, id string) error { return d.SendDTMF(ctx, id, "12#") }},
}

// Run is the driver conformance suite: every operation the driver
// declares must succeed against its simulator and reach the phone; every
// other one must fail with ErrNotSupported, in a sentence that names the
// brand and the operation, without a request to the phone. A phone that
// turns up with another certificate than the one paired must be refused.
func Run(t *testing.T, c Conformance) {
	t.Run("a replaced certificate is refused", func(t *testing.T) {
		if c.StartTLS == nil {
			t.Skip("the brand does not talk to its phones over HTTPS")
		}
		CertificateChange(t, c.StartTLS, c.Client, func(ctx context.Context, cl *phonehttp.Client) error {
			return c.Open(cl).Dial(ctx, phone.DialOptions{Number: "200"})
		})
	})
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			drv, sim, id := c.Setup(t, o.state)
			ctx := context.Background()
			if o.prepare != nil {
				if err := o.prepare(ctx, drv, id); err != nil {
					t.Fatalf("before %s: %v", o.name, err)
				}
			}
			before := len(sim.Requests())
			err := o.run(ctx, drv, id)
			if drv.Capabilities().Has(o.cap) {
				if err != nil {
					t.Fatalf("%s declares %s, but: %v", drv.Brand(), o.name, err)
				}
				if len(sim.Requests()) == before {
					t.Errorf("%s: the phone received no request", o.name)
				}
				return
			}
			if phone.KindOf(err) != phone.ErrNotSupported {
				t.Fatalf("%s does not declare %s: err = %v, want ErrNotSupported", drv.Brand(), o.name, err)
			}
			// "snom-csta" is named as what a person owns: a Snom phone.
			family, _, _ := strings.Cut(drv.Brand(), "-")
			if msg := err.Error(); !strings.Contains(strings.ToLower(msg), family+" phone") || !strings.Contains(msg, o.word) {
				t.Errorf("%q does not name the brand and %q", msg, o.word)
			}
			if got := len(sim.Requests()); got != before {
				t.Errorf("an unsupported %s sent %d requests to the phone", o.name, got-before)
			}
		})
	}
}

// Prepare puts a call from 200 in state on a simulator that keeps calls,
// with its ring and connect, and returns the call's id ("" for NoCall).
func Prepare(state CallState, ring, connect func(remote string) string) string {
	switch state {
	case Ringing:
		return ring("200")
	case Connected:
		return connect("200")
	}
	return ""
}

// DialIfConnected is the Conformance preparation of a phone whose
// simulator keeps no calls of its own: for Connected it dials 200 through
// d; a ringing call it cannot make. Such calls have no id, so it returns "".
func DialIfConnected[S any, D phone.Driver](_ S, d D, state CallState) string {
	if state == Connected {
		_ = d.Dial(context.Background(), phone.DialOptions{Number: "200"})
	}
	return ""
}

// RingOrConnect is the Conformance preparation of a simulator that keeps
// calls: it rings or connects a call from 200 with the simulator's own
// Ring and Connect.
func RingOrConnect[S interface {
	Ring(remote string) string
	Connect(remote string) string
}, D any](s S, _ D, state CallState) string {
	return Prepare(state, s.Ring, s.Connect)
}
