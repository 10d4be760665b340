// Package phone models the paired desk phone: the Driver every brand
// implements, what each driver can do, the errors a person can act on, and
// (in later files) the call model. It knows nothing of HTTP listeners, config
// files or windows, so every brand and every front end can share it.
package phone

import (
	"context"
	"strings"
)

// Capability is one thing a driver can ask the phone to do. Drivers declare
// theirs so that the tray and windows only offer what the phone supports, and
// so that an unsupported request fails with a sentence instead of a 404.
type Capability uint32

// The capabilities a driver may declare.
const (
	CanDial Capability = 1 << iota
	CanAnswer
	CanHangup
	CanHold
	CanResume
	CanTransfer
	CanDTMF
	// CanConsult: an attended transfer (AttendedTransferer).
	CanConsult
	// CanConference: a three-party conference (Conferencer).
	CanConference
	// CanDND: do not disturb on and off (DoNotDisturb).
	CanDND
	// CanForward: every incoming call diverted to another number, and
	// that switched off again (Forwarder).
	CanForward
)

var capabilityNames = []struct {
	c    Capability
	name string
}{
	{CanDial, "dial"},
	{CanAnswer, "answer"},
	{CanHangup, "hang up"},
	{CanHold, "hold"},
	{CanResume, "resume"},
	{CanTransfer, "transfer"},
	{CanDTMF, "send DTMF"},
	{CanConsult, "consult"},
	{CanConference, "conference"},
	{CanDND, "do not disturb"},
	{CanForward, "forward calls"},
}

// Has reports whether every capability in want is present.
func (c Capability) Has(want Capability) bool { return c&want == want }

// String lists the capabilities in words, e.g. "dial, hang up".
func (c Capability) String() string {
	var parts []string
	for _, n := range capabilityNames {
		if c.Has(n.c) {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// DialOptions is what a dial carries besides the context.
type DialOptions struct {
	// Number is the dial string the phone should dial, already normalized
	// by the dialing rules: digits, '*', '#' and a leading '+' only.
	Number string
	// Identity selects the line or account to dial from when the phone has
	// several (Snom/Yealink outgoing_uri, Grandstream account, CSTA
	// callingDevice). Empty means the phone's default.
	Identity string
}

// Driver controls one desk phone. Implementations live in phone/<brand>;
// each one must be safe for concurrent use, honour ctx for cancellation and
// return *Error values so that callers can tell a person what went wrong.
//
// CallID arguments are the phone's own call identifiers as they arrive in the
// phone's events (Snom $call-id or $csta_id, Yealink $call_id, Auerswald
// callId). An empty CallID means "the active call".
type Driver interface {
	// Brand is the config name of the brand ("snom", "yealink", ...).
	Brand() string
	// Capabilities says which operations the phone supports.
	Capabilities() Capability
	// Dial makes the phone dial; it returns once the phone accepted the
	// request (not once the far end answers).
	Dial(ctx context.Context, opts DialOptions) error
	// Answer picks up a ringing call.
	Answer(ctx context.Context, callID string) error
	// Hangup ends a call, or rejects it when it is still ringing.
	Hangup(ctx context.Context, callID string) error
	// Hold puts a call on hold.
	Hold(ctx context.Context, callID string) error
	// Resume takes a call off hold.
	Resume(ctx context.Context, callID string) error
	// Transfer hands a call to target (a dial string), blind.
	Transfer(ctx context.Context, callID, target string) error
	// SendDTMF sends digits during a call.
	SendDTMF(ctx context.Context, callID, digits string) error
}

// Unsupported is embedded by drivers to answer every optional operation with
// an ErrNotSupported error naming the brand, so a driver only implements what
// its phone can really do.
type Unsupported struct {
	// BrandName is used in the error message.
	BrandName string
}

// Answer reports that the brand cannot answer calls remotely.
func (u Unsupported) Answer(context.Context, string) error { return u.not("answer a call") }

// Hangup reports that the brand cannot hang up remotely.
func (u Unsupported) Hangup(context.Context, string) error { return u.not("hang up") }

// Hold reports that the brand cannot hold calls remotely.
func (u Unsupported) Hold(context.Context, string) error { return u.not("put a call on hold") }

// Resume reports that the brand cannot resume held calls remotely.
func (u Unsupported) Resume(context.Context, string) error { return u.not("resume a held call") }

// Transfer reports that the brand cannot transfer calls remotely.
func (u Unsupported) Transfer(context.Context, string, string) error {
	return u.not("transfer a call")
}

// SendDTMF reports that the brand cannot send DTMF remotely.
func (u Unsupported) SendDTMF(context.Context, string, string) error { return u.not("send DTMF") }

func (u Unsupported) not(op string) error {
	return &Error{Kind: ErrNotSupported, Op: op, Brand: u.BrandName}
}
