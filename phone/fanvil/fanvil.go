// Package fanvil drives Fanvil desk phones through their action URI,
// GETs of /cgi-bin/ConfigManApp.com?key=..., the remote control that click
// to dial tools use with these phones (NethServer/dev#7088). The key names
// below are unverified against a Fanvil manual: they come from tools that
// drive these phones, and all of them are in this file.
package fanvil

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "fanvil"

// actionPath takes every action URI.
const actionPath = "/cgi-bin/ConfigManApp.com"

// The keys the driver presses.
const (
	keyEnter   = "ENTER"   // after the digits: dial them
	keyRelease = "RELEASE" // end the call
	keyHold    = "F_HOLD"  // hold or resume the call
	keyMute    = "F_MUTE"  // mute the call
)

// Driver controls a Fanvil phone by pressing its keys. The action URI
// cannot name a call, so every operation acts on the current call. It
// holds no state and is safe for concurrent use.
type Driver struct {
	phonehttp.Base
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c)}
}

// Descriptor tells the registry (phone/brands) how to drive Fanvil phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New), Detect: []string{"fanvil"}}
}

// Capabilities: dial, hang up and the hold key.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanHangup | phone.CanHold | phone.CanResume
}

// Dial types the number and presses ENTER: key=N;ENTER. The number is
// query-escaped ('#' must arrive as %23); the separator stays ';'.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	if opts.Number == "" || strings.ContainsAny(opts.Number, ";&") {
		return &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: "dial \"" + opts.Number + "\""}
	}
	return d.keys(ctx, "dial", url.QueryEscape(opts.Number)+";"+keyEnter)
}

// Hangup presses RELEASE.
func (d *Driver) Hangup(ctx context.Context, _ string) error {
	return d.keys(ctx, "hang up", keyRelease)
}

// Hold presses the hold key.
func (d *Driver) Hold(ctx context.Context, _ string) error {
	return d.keys(ctx, "put a call on hold", keyHold)
}

// Resume presses the hold key again, which takes the call off hold.
func (d *Driver) Resume(ctx context.Context, _ string) error {
	return d.keys(ctx, "resume a held call", keyHold)
}

func (d *Driver) keys(ctx context.Context, op, keys string) error {
	return d.Client.GetOK(ctx, op, actionPath, "key="+keys, refusals)
}

// refusals are where the phone's refusals are fixed.
var refusals = phonehttp.Refusals{
	http.StatusForbidden: "allow action URIs from this computer in the phone's web interface",
	http.StatusNotFound:  "this phone has no action URI at " + actionPath,
}
