// Package snom drives Snom desk phones over their HTTP remote control
// (command.htm: dial with number and outgoing_uri, key events, key_dtmf), as
// documented in the Snom wiki "Remote phone control" (docs/protocols.md).
package snom

import (
	"context"
	"net/url"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "snom"

// commandPath is the page every remote-control request goes to.
const commandPath = "/command.htm"

// Driver controls a Snom phone through command.htm. The HTTP interface
// cannot address a particular call, so call IDs are ignored and every
// operation acts on the phone's current call, as a person at the desk would.
type Driver struct {
	phonehttp.Base
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c)}
}

// Descriptor tells the registry (phone/brands) how to drive Snom phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New),
		Events: EventFormat, Detect: []string{"snom"}, SettingsPage: "Setup › Action URL Settings"}
}

// Capabilities: everything the keypad can do.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume |
		phone.CanTransfer | phone.CanDTMF
}

// Dial asks the phone to dial opts.Number, from opts.Identity when set.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	q := url.Values{"number": {opts.Number}}
	if opts.Identity != "" {
		q.Set("outgoing_uri", opts.Identity)
	}
	return d.command(ctx, "dial", q)
}

// Answer presses ENTER, which picks up a ringing call on the default audio
// device (headset or speaker) rather than an imaginary lifted handset.
func (d *Driver) Answer(ctx context.Context, _ string) error {
	return d.keys(ctx, "answer a call", "ENTER")
}

// Hangup presses CANCEL: it ends a call in progress and rejects a ringing one.
func (d *Driver) Hangup(ctx context.Context, _ string) error {
	return d.keys(ctx, "hang up", "CANCEL")
}

// Hold presses the HOLD key (F_HOLD since firmware 8.7.3.7).
func (d *Driver) Hold(ctx context.Context, _ string) error {
	return d.keys(ctx, "put a call on hold", "F_HOLD")
}

// Resume presses the HOLD key again, which toggles the held call back.
func (d *Driver) Resume(ctx context.Context, _ string) error {
	return d.keys(ctx, "resume a held call", "F_HOLD")
}

// Transfer does a blind transfer the way the keypad does it: TRANSFER, the
// target's digits, ENTER.
func (d *Driver) Transfer(ctx context.Context, _ string, target string) error {
	seq := []string{"TRANSFER"}
	for _, r := range target {
		seq = append(seq, string(r))
	}
	seq = append(seq, "ENTER")
	return d.keys(ctx, "transfer a call", seq...)
}

// SendDTMF sends digits with key_dtmf, which the phone accepts during a call.
func (d *Driver) SendDTMF(ctx context.Context, _ string, digits string) error {
	return d.command(ctx, "send DTMF", url.Values{"key_dtmf": {digits}})
}

// keys sends a chain of key events ("KEY;KEY;..."), the format of the
// Snom wiki.
func (d *Driver) keys(ctx context.Context, op string, keys ...string) error {
	return d.command(ctx, op, url.Values{"key": {strings.Join(keys, ";")}})
}

func (d *Driver) command(ctx context.Context, op string, q url.Values) error {
	return d.page(ctx, op, commandPath, q, nil)
}
