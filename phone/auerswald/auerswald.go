// Package auerswald drives Auerswald COMfortel D phones through their
// incoming action URLs: HTTPS GETs of /api/v1/exec/command?action=... with an
// access token made in the phone's web interface, as Auerswald's "Action
// Urls" page for firmware release 1.4 describes (docs/protocols.md). The
// firmware says which commands it has (action=?), and the driver's
// capabilities follow that list.
package auerswald

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "auerswald"

// CommandPath takes every command.
const CommandPath = "/api/v1/exec/command"

// The command names of firmware 1.4 and the query parameters they take.
// Auerswald's "Action Urls" page shows only action and number; callId,
// callId2 and digits follow the names of the phone's own event parameters and
// are unverified: should a firmware want other names, they change here.
const (
	actCall       = "call"
	actAccept     = "accept"
	actTerminate  = "terminate"
	actHold       = "hold"
	actResume     = "resume"
	actTransfer   = "transfer"
	actJoin       = "join"
	actConference = "conference"
	actDTMF       = "dtmf"

	paramAction  = "action"
	paramNumber  = "number"
	paramCallID  = "callId"
	paramCallID2 = "callId2"
	paramDigits  = "digits"
)

// Firmware14 is the command list of firmware 1.4, assumed until the phone
// has told its own.
var Firmware14 = []string{"log", "resume", "accept", "terminate", "show", "call", "transfer", "hold", "join", "conference", "dtmf"}

// capabilityOf maps commands to driver capabilities.
var capabilityOf = map[string]phone.Capability{
	actCall: phone.CanDial, actAccept: phone.CanAnswer, actTerminate: phone.CanHangup, actHold: phone.CanHold,
	actResume: phone.CanResume, actTransfer: phone.CanTransfer, actDTMF: phone.CanDTMF,
}

// RetryAfter is how long a failed look-up of the command list is trusted
// before Capabilities asks the phone again.
const RetryAfter = time.Minute

// Options configure a Driver.
type Options struct {
	// Now is the clock for RetryAfter; nil means time.Now.
	Now func() time.Time
}

// Driver controls an Auerswald phone. The access token travels as
// "Authorization: Bearer" (phonehttp.Options.BearerToken), never in the
// URL, so that it stays out of logs.
//
// The driver caches the phone's command list: it is learned once, by
// Learn or by the first Capabilities call, and kept for the driver's
// life (a firmware update means a new pairing, hence a new driver). A
// failed look-up is not cached: Capabilities assumes Firmware14 and asks
// again after RetryAfter. Commands are sent whatever the cache says until
// the list is known; after that, a command the firmware lacks fails at
// once with phone.ErrNotSupported.
type Driver struct {
	phonehttp.Base
	now func() time.Time

	learn   sync.Mutex // one look-up at a time
	mu      sync.Mutex
	actions map[string]bool
	failed  time.Time // last failed look-up
}

// New returns a driver for the phone that c talks to; c must carry the
// access token as its BearerToken.
func New(c *phonehttp.Client, opts Options) *Driver {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Driver{Base: phonehttp.NewBase(Brand, c), now: now}
}

// Descriptor tells the registry (phone/brands) how to drive Auerswald phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: open, Events: EventFormat, Detect: []string{"comfortel", "auerswald"}}
}

// Pairing checks the access token by reading the command list; the
// compiler keeps the driver a phone.CommandLister, since a changed
// signature would silently skip that check.
var _ phone.CommandLister = (*Driver)(nil)

// open sends the password as the access token, a bearer token, and speaks
// HTTPS unless the address says otherwise.
func open(s phone.Settings) (phone.Driver, error) {
	o := phonehttp.OptionsFrom(s)
	o.BearerToken, o.Username, o.Password = s.Password, "", ""
	if !strings.Contains(o.Address, "://") {
		o.Address = "https://" + strings.TrimSpace(o.Address)
	}
	return phonehttp.Open(o, func(c *phonehttp.Client) phone.Driver { return New(c, Options{}) })
}

// Capabilities follows the phone's command list, learning it on first use
// (which costs one request, bounded by the client's time-out). Until the
// list is known it returns what firmware 1.4 can do.
func (d *Driver) Capabilities() phone.Capability {
	d.mu.Lock()
	known, failed := d.actions != nil, d.failed
	d.mu.Unlock()
	if !known && (failed.IsZero() || d.now().Sub(failed) >= RetryAfter) {
		_, _ = d.Learn(context.Background())
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.actions == nil {
		return capabilities(Firmware14)
	}
	var caps phone.Capability
	for a := range d.actions {
		caps |= capabilityOf[a]
	}
	return caps
}

func capabilities(actions []string) phone.Capability {
	var caps phone.Capability
	for _, a := range actions {
		caps |= capabilityOf[a]
	}
	return caps
}

// Learn asks the phone for its command list (action=?) and caches it.
func (d *Driver) Learn(ctx context.Context) ([]string, error) {
	d.learn.Lock()
	defer d.learn.Unlock()
	d.mu.Lock()
	if d.actions != nil {
		list := make([]string, 0, len(d.actions))
		for a := range d.actions {
			list = append(list, a)
		}
		d.mu.Unlock()
		sort.Strings(list)
		return list, nil
	}
	d.mu.Unlock()
	const op = "list its commands"
	res, err := d.Client.Get(ctx, op, CommandPath, url.Values{paramAction: {"?"}})
	if err == nil && res.Status != http.StatusOK {
		err = d.failure(op, res)
	}
	var list []string
	if err == nil {
		if list, err = ParseActions(res.Body); err != nil {
			err = d.Client.Error(phone.ErrProtocol, op, res.Status, err)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.failed = d.now()
		return nil, err
	}
	d.actions = map[string]bool{}
	for _, a := range list {
		d.actions[a] = true
	}
	return list, nil
}

// Dial sends action=call&number=N. The command has no documented way to
// choose an identity, so opts.Identity is not used.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	return d.command(ctx, "dial", actCall, url.Values{paramNumber: {opts.Number}})
}

// Answer sends action=accept for callID (TC@1), or for the ringing call.
func (d *Driver) Answer(ctx context.Context, callID string) error {
	return d.command(ctx, "answer a call", actAccept, withCall(nil, callID))
}

// Hangup sends action=terminate, which ends a call or rejects a ringing one.
func (d *Driver) Hangup(ctx context.Context, callID string) error {
	return d.command(ctx, "hang up", actTerminate, withCall(nil, callID))
}

// Hold sends action=hold.
func (d *Driver) Hold(ctx context.Context, callID string) error {
	return d.command(ctx, "put a call on hold", actHold, withCall(nil, callID))
}

// Resume sends action=resume.
func (d *Driver) Resume(ctx context.Context, callID string) error {
	return d.command(ctx, "resume a held call", actResume, withCall(nil, callID))
}

// Transfer sends action=transfer with the target number: a blind transfer.
func (d *Driver) Transfer(ctx context.Context, callID, target string) error {
	return d.command(ctx, "transfer a call", actTransfer, withCall(url.Values{paramNumber: {target}}, callID))
}

// SendDTMF sends action=dtmf with the digits.
func (d *Driver) SendDTMF(ctx context.Context, callID, digits string) error {
	return d.command(ctx, "send DTMF", actDTMF, withCall(url.Values{paramDigits: {digits}}, callID))
}

// Join connects two calls of this phone with each other and leaves them
// (an attended transfer).
func (d *Driver) Join(ctx context.Context, callID, callID2 string) error {
	return d.command(ctx, "connect two calls", actJoin, url.Values{paramCallID: {callID}, paramCallID2: {callID2}})
}

// Conference joins two calls of this phone into a three-party conference.
func (d *Driver) Conference(ctx context.Context, callID, callID2 string) error {
	return d.command(ctx, "start a conference", actConference, url.Values{paramCallID: {callID}, paramCallID2: {callID2}})
}

func withCall(q url.Values, callID string) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if callID != "" {
		q.Set(paramCallID, callID)
	}
	return q
}

func (d *Driver) command(ctx context.Context, op, action string, q url.Values) error {
	d.mu.Lock()
	missing := d.actions != nil && !d.actions[action]
	d.mu.Unlock()
	if missing {
		return d.Client.ErrorDetail(phone.ErrNotSupported, op, 0, "its firmware has no \""+action+"\" command")
	}
	q.Set(paramAction, action)
	res, err := d.Client.Get(ctx, op, CommandPath, q)
	if err != nil {
		return err
	}
	if ParseResult(res.Status, res.Body).OK {
		return nil
	}
	return d.failure(op, res)
}

// failure turns a refused command into an error a person can act on.
func (d *Driver) failure(op string, res *phonehttp.Response) error {
	msg := ParseResult(res.Status, res.Body).Message
	lower := strings.ToLower(msg)
	kind := phone.ErrRefused
	var detail string
	switch {
	case res.Status == http.StatusForbidden:
		detail = "allow incoming action URLs on the phone (Settings > Access); they are off by default"
	case res.Status == http.StatusNotFound && !strings.Contains(lower, "call"):
		detail = "this phone has no action URL commands (they came with firmware 1.4A); update its firmware"
	case strings.Contains(lower, "unknown action") || strings.Contains(lower, "unknown command"):
		kind = phone.ErrNotSupported
	case strings.Contains(lower, "call") && (strings.Contains(lower, "no ") || strings.Contains(lower, "not found") ||
		strings.Contains(lower, "unknown") || strings.Contains(lower, "invalid")):
		kind = phone.ErrNoSuchCall
	case res.Status >= 500 || (res.Status >= 200 && res.Status < 300 && msg == ""):
		kind = phone.ErrProtocol
	}
	e := d.Client.Error(kind, op, res.Status, nil)
	if kind == phone.ErrNotSupported {
		e.Status = 0
	}
	switch {
	case detail != "":
		e.Detail = detail
	case msg != "":
		e.Detail = "the phone says \"" + msg + "\""
	}
	return e
}
