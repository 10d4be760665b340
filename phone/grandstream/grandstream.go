// Package grandstream drives Grandstream GRP/GXP desk phones through their
// CTI commands: GETs of /cgi-bin/api-make_call and
// /cgi-bin/api-phone_operation carrying the phone's admin password as
// "passcode", answered with small JSON documents (Grandstream GRP26xx CTI
// guide).
package grandstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "grandstream"

// The CTI functions the driver uses.
const (
	makeCallPath  = "/cgi-bin/api-make_call"
	operationPath = "/cgi-bin/api-phone_operation"
)

// remoteControlHint is where a refused command is usually fixed.
const remoteControlHint = "enable \"Action URI Support\", put this computer in the \"Action URI Allowed IP List\" and " +
	"disable \"Remote Control Pop up Window Support\" (web interface: Network > Remote Control)"

// refusals are where the phone's refusals are fixed.
var refusals = phonehttp.Refusals{
	http.StatusNotFound:     "this phone does not offer CTI commands; check its model and firmware",
	http.StatusUnauthorized: remoteControlHint,
	http.StatusForbidden:    remoteControlHint,
}

// Driver controls a Grandstream phone. The passcode is the phone's admin
// (or user) password; the CTI interface wants it in the query, so it
// travels in URLs the driver never puts into an error message.
type Driver struct {
	phonehttp.Base
	passcode string
}

// New returns a driver for the phone that c talks to. c must not add HTTP
// authentication: the passcode is the credential.
func New(c *phonehttp.Client, passcode string) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c), passcode: passcode}
}

// Descriptor tells the registry (phone/brands) how to drive Grandstream phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: open, Events: EventFormat, Detect: []string{"grandstream"}}
}

// open sends the password as the CTI passcode, in the query; there is no
// HTTP authentication.
func open(s phone.Settings) (phone.Driver, error) {
	o := phonehttp.OptionsFrom(s)
	o.Username, o.Password = "", ""
	return phonehttp.Open(o, func(c *phonehttp.Client) phone.Driver { return New(c, s.Password) })
}

// Capabilities: the documented CTI operations. The guide's operations
// have no resume, no transfer and no DTMF, and act on the phone's current
// call, so call IDs are not used.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold
}

// Dial sends api-make_call. opts.Identity, when set, is the account index
// (0 for the first account), as the older form of the command takes it.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	q := url.Values{"passcode": {d.passcode}, "phonenumber": {opts.Number}}
	if opts.Identity != "" {
		q.Set("account", opts.Identity)
	}
	return d.send(ctx, "dial", makeCallPath, q)
}

// Answer sends cmd=acceptcall.
func (d *Driver) Answer(ctx context.Context, _ string) error {
	return d.operation(ctx, "answer a call", "acceptcall")
}

// Hangup sends cmd=endcall; when there is no established call to end, it
// sends cmd=cancel, which rejects a ringing call or cancels an outgoing one.
func (d *Driver) Hangup(ctx context.Context, _ string) error {
	const op = "hang up"
	err := d.operation(ctx, op, "endcall")
	var pe *phone.Error
	if errors.As(err, &pe) && pe.Kind == phone.ErrRefused && pe.Status == 0 {
		return d.operation(ctx, op, "cancel")
	}
	return err
}

// Hold sends cmd=holdcall.
func (d *Driver) Hold(ctx context.Context, _ string) error {
	return d.operation(ctx, "put a call on hold", "holdcall")
}

func (d *Driver) operation(ctx context.Context, op, cmd string) error {
	return d.send(ctx, op, operationPath, url.Values{"passcode": {d.passcode}, "cmd": {cmd}})
}

func (d *Driver) send(ctx context.Context, op, path string, q url.Values) error {
	res, err := d.Client.Get(ctx, op, path, q)
	if err != nil {
		return err
	}
	if res.Status != http.StatusOK {
		return d.Client.Unexpected(op, res.Status, refusals, nil)
	}
	r, err := ParseReply(res.Body)
	if err != nil {
		return d.Client.Error(phone.ErrProtocol, op, res.Status, err)
	}
	if r.Success {
		return nil
	}
	if isAuthFailure(r.Body) {
		return d.Client.ErrorDetail(phone.ErrAuth, op, 0, "the phone refused the passcode (its admin password)")
	}
	return d.Client.ErrorDetail(phone.ErrRefused, op, 0, "the phone answered \""+r.Body+"\"; if every command fails, "+remoteControlHint)
}

// isAuthFailure recognizes the answers to a wrong passcode. Their wording
// is not in the guide (unverified); these are the words firmware uses.
func isAuthFailure(body string) bool {
	switch strings.ToLower(body) {
	case "unauthorized", "unauthorised", "invalid passcode", "wrong passcode", "auth failed":
		return true
	}
	return false
}

// Reply is a CTI answer: {"response": "success"|"error", "body": ...}.
type Reply struct {
	Success bool
	// Body is the body as text: a string as it is, anything else (true,
	// false, a list of lines) as compact JSON, capped at maxBody bytes.
	Body string
}

const maxBody = 200

// ParseReply reads a CTI answer. The guide writes it with typographic
// quotes in places; the phone sends plain JSON, which is what this accepts.
func ParseReply(body []byte) (Reply, error) {
	var raw struct {
		Response *string         `json:"response"`
		Body     json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return Reply{}, errors.New("the answer is not the JSON of a CTI command")
	}
	if raw.Response == nil {
		return Reply{}, errors.New(`the answer has no "response"`)
	}
	var r Reply
	switch strings.ToLower(*raw.Response) {
	case "success":
		r.Success = true
	case "error":
	default:
		return Reply{}, errors.New(`the answer's "response" is neither success nor error`)
	}
	var s string
	if json.Unmarshal(raw.Body, &s) == nil {
		r.Body = s
	} else {
		var compact bytes.Buffer
		if json.Compact(&compact, raw.Body) == nil {
			r.Body = compact.String()
		}
	}
	r.Body = strings.Map(func(c rune) rune {
		if unicode.IsPrint(c) {
			return c
		}
		return -1
	}, r.Body)
	if len(r.Body) > maxBody {
		r.Body = strings.ToValidUTF8(r.Body[:maxBody], "") + "…"
	}
	return r, nil
}
