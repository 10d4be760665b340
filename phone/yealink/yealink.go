// Package yealink drives Yealink desk phones through their Action URI: HTTP
// GETs of /servlet?key=... that press keys, dial (key=number=N) and act on
// a call by the $call_id the phone reports in its action URLs
// (ASW:<id>, CANCEL:<id>, HOLD:<id>, UNHOLD:<id>), as the Yealink
// administrator guides describe them.
package yealink

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "yealink"

// servletPath takes every Action URI on current T2x/T4x/T5x firmware.
const servletPath = "/servlet"

// refusedDetail is what a person must change when the phone answers 403:
// the phone only obeys addresses on its allow list, and by default asks on
// its screen before the first remote command.
const refusedDetail = "add this computer's address to the phone's \"Action URI Allow IP List\" " +
	"(web interface: Features > Remote Control; features.action_uri_limit_ip) and press OK when the phone " +
	"shows \"Allow remote control?\" (or set features.show_action_uri_option = 0)"

// Driver controls a Yealink phone through its Action URI. It holds no
// state, so it is safe for concurrent use.
type Driver struct {
	phonehttp.Base
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c)}
}

// Descriptor tells the registry (phone/brands) how to drive Yealink phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New),
		Events: EventFormat, Detect: []string{"yealink"}, SettingsPage: "Features › Action URL",
		AllowList:    phone.AllowList{Name: "features.action_uri_limit_ip", Label: "Action URI Allow IP List (Features › Remote Control)"},
		FunctionKeys: KeySettings}
}

// Capabilities: the Action URI reaches every key, so everything.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume |
		phone.CanTransfer | phone.CanDTMF
}

// Dial sends key=number=N, with outgoing_uri choosing the account when
// opts.Identity is set. The query is written by hand: the phone wants key
// first and "number=" unescaped inside its value.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	q := "key=number=" + url.QueryEscape(opts.Number)
	if opts.Identity != "" {
		q += "&outgoing_uri=" + url.QueryEscape(opts.Identity)
	}
	return d.send(ctx, "dial", q)
}

// Answer sends ASW:<id>, or ASW for the ringing call.
func (d *Driver) Answer(ctx context.Context, callID string) error {
	return d.callKey(ctx, "answer a call", "ASW", "ASW", callID)
}

// Hangup sends CANCEL:<id>, which ends or rejects that call, or CALLEND
// for the active call.
func (d *Driver) Hangup(ctx context.Context, callID string) error {
	return d.callKey(ctx, "hang up", "CALLEND", "CANCEL", callID)
}

// Hold sends HOLD:<id>, or presses the hold key (F_HOLD) for the active
// call.
func (d *Driver) Hold(ctx context.Context, callID string) error {
	return d.callKey(ctx, "put a call on hold", "F_HOLD", "HOLD", callID)
}

// Resume sends UNHOLD:<id>. Without an id it presses the hold key, which
// resumes the held call as the Resume soft key does.
func (d *Driver) Resume(ctx context.Context, callID string) error {
	return d.callKey(ctx, "resume a held call", "F_HOLD", "UNHOLD", callID)
}

// Transfer does a blind transfer of the active call as the keypad does it:
// F_TRANSFER, the target's digits, F_TRANSFER. The Action URI cannot name a
// call for a transfer, so callID is not used.
func (d *Driver) Transfer(ctx context.Context, _ string, target string) error {
	const op = "transfer a call"
	digits, err := d.digitKeys(op, target)
	if err != nil {
		return err
	}
	keys := append(append([]string{"F_TRANSFER"}, digits...), "F_TRANSFER")
	return d.send(ctx, op, "key="+strings.Join(keys, ";"))
}

// SendDTMF presses the digit keys during the call; the phone sends them as
// DTMF. Yealink calls '*' STAR and '#' POUND.
func (d *Driver) SendDTMF(ctx context.Context, _ string, digits string) error {
	const op = "send DTMF"
	keys, err := d.digitKeys(op, digits)
	if err != nil {
		return err
	}
	return d.send(ctx, op, "key="+strings.Join(keys, ";"))
}

func (d *Driver) digitKeys(op, s string) ([]string, error) {
	keys := make([]string, 0, len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			keys = append(keys, string(r))
		case r == '*':
			keys = append(keys, "STAR")
		case r == '#':
			keys = append(keys, "POUND")
		default:
			return nil, &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: op + " with the character " + quoteRune(r)}
		}
	}
	if len(keys) == 0 {
		return nil, &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: op + " without digits"}
	}
	return keys, nil
}

func quoteRune(r rune) string { return "\"" + string(r) + "\"" }

// callKey sends key=<perCall>:<id>, or key=<active> when callID is empty.
func (d *Driver) callKey(ctx context.Context, op, active, perCall, callID string) error {
	if callID == "" {
		return d.send(ctx, op, "key="+active)
	}
	if !validCallID(callID) {
		return d.Client.ErrorDetail(phone.ErrNoSuchCall, op, 0, "\""+callID+"\" is not a Yealink call id")
	}
	return d.send(ctx, op, "key="+perCall+":"+callID)
}

// validCallID accepts what $call_id holds (digits) and little more, so
// that no id can smuggle a ';' and a second key into the request.
func validCallID(id string) bool {
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return id != "" && len(id) <= 64
}

func (d *Driver) send(ctx context.Context, op, rawQuery string) error {
	return d.Client.GetOK(ctx, op, servletPath, rawQuery, refusals)
}

// refusals are where the phone's refusals are fixed.
var refusals = phonehttp.Refusals{
	http.StatusForbidden: refusedDetail,
	http.StatusNotFound:  "this phone has no Action URI at /servlet (firmware before V70 used /cgi-bin/ConfigManApp.com); update its firmware",
}
