// Package snomcsta drives Snom desk phones through CSTA over HTTP: SOAP
// requests POSTed to /csta, as the Snom wiki's "Remote phone control" and
// "Features/CSTA Support" pages describe them (docs/protocols.md). Unlike
// command.htm it addresses each call by the $csta_id the phone reports in its
// action URLs, answers with a result instead of a status page, and is the
// only remote control that Snom D8xx firmware kept.
package snomcsta

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// Brand is this driver's name in the config file.
const Brand = "snom-csta"

// Path is where the phone takes CSTA requests.
const Path = "/csta"

// Options configure a Driver.
type Options struct {
	// LegacyConnectionID writes ConnectionIDs as bare values
	// (<callToBeAnswered>-18</callToBeAnswered>), as firmware before 8.7
	// expects, or any firmware with csta_legacy_control=0. The default,
	// false, wraps them in <callID> as firmware 8.7.3 and later expects.
	LegacyConnectionID bool
	// Identity is the callingDevice of MakeCall when a dial names none: the
	// user name of one of the phone's identities. Empty lets the phone use
	// its active identity.
	Identity string
}

// Driver controls a Snom phone over CSTA. It holds no state besides its
// options, so it is safe for concurrent use.
type Driver struct {
	phonehttp.Base
	opts Options
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client, opts Options) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c), opts: opts}
}

// Descriptor tells the registry (phone/brands) how to drive Snom (CSTA) phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: open, Events: snom.EventFormat, Detect: nil, SettingsPage: "Setup › Action URL Settings",
		FunctionKeys: snom.KeySettings}
}

// Pairing finds these capabilities by asking the driver for them, so the
// compiler must keep them in shape: a changed signature would silently
// turn automatic pairing off.
var (
	_ phone.SettingsWriter = (*Driver)(nil)
	_ phone.FirewallTester = (*Driver)(nil)
	_ phone.TextShower     = (*Driver)(nil)
	// The call service asks for these.
	_ phone.AttendedTransferer = (*Driver)(nil)
	_ phone.CallClearer        = (*Driver)(nil)
	_ phone.DoNotDisturb       = (*Driver)(nil)
)

func open(s phone.Settings) (phone.Driver, error) {
	return phonehttp.Open(phonehttp.OptionsFrom(s), func(c *phonehttp.Client) phone.Driver {
		return New(c, Options{LegacyConnectionID: s.CSTALegacyConnectionID, Identity: s.Identity})
	})
}

// Capabilities: Snom's CSTA has no request for DTMF (GenerateDigits is not
// among the supported message types), everything else is there.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume | phone.CanTransfer |
		phone.CanConsult | phone.CanDND | phone.CanForward
}

// Dial sends MakeCall from opts.Identity (or the configured identity, or
// the phone's active one) to opts.Number.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	from := opts.Identity
	if from == "" {
		from = d.opts.Identity
	}
	r := newRequest("MakeCall", d.opts.LegacyConnectionID).
		text("callingDevice", from).
		text("calledDirectoryNumber", opts.Number)
	return d.send(ctx, "dial", r)
}

// Answer sends AnswerCall for the call with CSTA id callID.
func (d *Driver) Answer(ctx context.Context, callID string) error {
	return d.onCall(ctx, "answer a call", "AnswerCall", "callToBeAnswered", callID)
}

// Hangup sends ClearConnection: it drops this phone out of the call, which
// ends a two-party call and rejects a ringing one.
func (d *Driver) Hangup(ctx context.Context, callID string) error {
	return d.onCall(ctx, "hang up", "ClearConnection", "connectionToBeCleared", callID)
}

// ClearCall ends the call for every party, where Hangup only drops this
// phone's connection.
func (d *Driver) ClearCall(ctx context.Context, callID string) error {
	return d.onCall(ctx, "clear a call", "ClearCall", "callToBeCleared", callID)
}

// Hold sends HoldCall.
func (d *Driver) Hold(ctx context.Context, callID string) error {
	return d.onCall(ctx, "put a call on hold", "HoldCall", "callToBeHeld", callID)
}

// Resume sends RetrieveCall.
func (d *Driver) Resume(ctx context.Context, callID string) error {
	return d.onCall(ctx, "resume a held call", "RetrieveCall", "callToBeRetrieved", callID)
}

// Transfer sends SingleStepTransferCall: a blind transfer of callID to
// target. Snom expects SIP URIs as device IDs; a plain number is passed as
// it is, and the phone resolves it like a number typed on the keypad.
func (d *Driver) Transfer(ctx context.Context, callID, target string) error {
	const op = "transfer a call"
	if err := d.needCall(op, callID); err != nil {
		return err
	}
	r := newRequest("SingleStepTransferCall", d.opts.LegacyConnectionID).
		conn("activeCall", callID).
		text("transferredTo", d.device(target))
	return d.send(ctx, op, r)
}

// Consult holds callID with HoldCall and calls target with MakeCall: the
// first half of an attended transfer, which CompleteTransfer finishes.
func (d *Driver) Consult(ctx context.Context, callID, target string) error {
	if err := d.Hold(ctx, callID); err != nil {
		return err
	}
	r := newRequest("MakeCall", d.opts.LegacyConnectionID).
		text("callingDevice", d.opts.Identity).
		text("calledDirectoryNumber", d.device(target))
	return d.send(ctx, "call the transfer target", r)
}

// CompleteTransfer sends TransferCall(held, active).
func (d *Driver) CompleteTransfer(ctx context.Context, heldID, activeID string) error {
	return d.TransferCalls(ctx, heldID, activeID)
}

// SetDND sets the phone's dnd_mode setting with SetSettings.
func (d *Driver) SetDND(ctx context.Context, on bool) error {
	mode := "off"
	if on {
		mode = "on"
	}
	return d.SetSettings(ctx, Setting{Name: "dnd_mode", Value: mode})
}

// SetForward writes snom.ForwardSettings with SetSettings: the same
// settings as over HTTP, since Snom's SetSettings takes any setting by
// name.
func (d *Driver) SetForward(ctx context.Context, target string) error {
	return d.SetSettings(ctx, snom.ForwardSettings(target)...)
}

// device writes a dial string as the SIP URI Snom's CSTA expects for a
// device, in the domain of the configured identity (user@domain); with no
// domain known it stays a number, which the phone resolves like one typed
// on its keypad.
func (d *Driver) device(number string) string {
	if _, domain, ok := strings.Cut(strings.TrimPrefix(d.opts.Identity, "sip:"), "@"); ok && domain != "" {
		return "sip:" + number + "@" + domain
	}
	return number
}

// TransferCalls sends TransferCall: the attended transfer that connects the
// held call with the active one and drops this phone out of both.
func (d *Driver) TransferCalls(ctx context.Context, heldCallID, activeCallID string) error {
	const op = "connect two calls"
	if err := d.needCall(op, heldCallID); err != nil {
		return err
	}
	if err := d.needCall(op, activeCallID); err != nil {
		return err
	}
	r := newRequest("TransferCall", d.opts.LegacyConnectionID).
		conn("heldCall", heldCallID).
		conn("activeCall", activeCallID)
	return d.send(ctx, op, r)
}

// SetSettings changes phone settings with Snom's proprietary SetSettings,
// e.g. action_fwtest_url before FireTest.
func (d *Driver) SetSettings(ctx context.Context, settings ...Setting) error {
	const op = "change its settings"
	if len(settings) == 0 {
		return errors.New("SetSettings needs at least one setting")
	}
	r := newRequest("SetSettings", d.opts.LegacyConnectionID)
	for _, s := range settings {
		r.setting(s)
	}
	return d.send(ctx, op, r)
}

// XmlPush shows a minibrowser XML document on the phone's display; build
// it with snom.TextScreen, or escape every outside value with display.XML.
func (d *Driver) XmlPush(ctx context.Context, document string) error {
	r := newRequest("XmlPush", d.opts.LegacyConnectionID).text("document", document)
	return d.send(ctx, "show a page on its display", r)
}

// SetLEDs sets the key lights by pushing the screen that sets them
// (snom.LEDScreen): over CSTA the phone takes the screen itself, so no
// screen is published and serve is not used.
func (d *Driver) SetLEDs(ctx context.Context, model string, lights []phone.KeyLight, _ func(document string) string) error {
	doc, err := snom.LEDScreen(model, lights)
	if err != nil {
		return err
	}
	return d.XmlPush(ctx, doc)
}

// Model reads the phone's model from its web interface's start page, as
// the HTTP driver does: the CSTA requests go to the same web server.
func (d *Driver) Model(ctx context.Context) (string, error) {
	return snom.ReadModel(ctx, d.Client)
}

// ShowText shows a text screen on the phone's display, pushed over CSTA
// (the phone fetches nothing, so serve is not used).
func (d *Driver) ShowText(ctx context.Context, title, text string, _ func(document string) string) error {
	return d.XmlPush(ctx, snom.TextScreen(title, text))
}

// FireTest makes the phone call its hidden action_fwtest_url (set it with
// SetSettings first): if that request arrives, the phone can reach this
// computer through any firewall in between.
func (d *Driver) FireTest(ctx context.Context) error {
	return d.send(ctx, "run the firewall test", newRequest("FireTest", d.opts.LegacyConnectionID))
}

func (d *Driver) onCall(ctx context.Context, op, msg, field, callID string) error {
	if err := d.needCall(op, callID); err != nil {
		return err
	}
	return d.send(ctx, op, newRequest(msg, d.opts.LegacyConnectionID).conn(field, callID))
}

// needCall refuses an empty call id: CSTA has no "the active call", and a
// guessed id could act on the wrong call.
func (d *Driver) needCall(op, callID string) error {
	if strings.TrimSpace(callID) != "" {
		return nil
	}
	return d.Client.ErrorDetail(phone.ErrNotSupported, op+" without its CSTA call id", 0, "add csta_id=$csta_id to the phone's action URLs so that dialbridge learns the id of every call")
}

func (d *Driver) send(ctx context.Context, op string, r *request) error {
	res, err := d.Client.Post(ctx, op, Path, nil, "text/xml; charset=utf-8", r.bytes())
	if err != nil {
		return err
	}
	if res.Status == http.StatusOK || res.Status == http.StatusInternalServerError {
		return d.interpret(op, res)
	}
	return d.Client.Unexpected(op, res.Status, refusals, nil)
}

// refusals are where the phone's refusals are fixed.
var refusals = phonehttp.Refusals{
	http.StatusNotFound:  "this phone does not accept CSTA requests over HTTP (firmware 8.7.0 to 8.7.2 have none); update it or pair it as \"snom\"",
	http.StatusForbidden: "the phone's settings do not allow CSTA requests from this computer",
}

// interpret reads a 200 or 500 answer: 200 carries the response element, 500
// the SOAP fault whose CSTAErrorCode says why (Snom wiki "Features/CSTA
// Support").
func (d *Driver) interpret(op string, res *phonehttp.Response) error {
	a, err := ParseAnswer(res.Body)
	if err != nil {
		return d.Client.Error(phone.ErrProtocol, op, res.Status, err)
	}
	if a.Fault == nil {
		if res.Status != http.StatusOK {
			return d.Client.Error(phone.ErrProtocol, op, res.Status, nil)
		}
		return nil
	}
	detail, gone := explain(a.Fault.Value)
	cause := &FaultError{Fault: *a.Fault}
	if gone {
		e := d.Client.Error(phone.ErrNoSuchCall, op, 0, cause)
		e.Detail = "the phone answered \"" + a.Fault.Value + "\" to the request to " + op
		if !d.opts.LegacyConnectionID {
			e.Detail += " (if this happens for every call, the phone's firmware may expect the older ConnectionID shape: set phone.csta_legacy = true)"
		} else {
			e.Detail += " (if this happens for every call, the phone's firmware may expect the newer ConnectionID shape: set phone.csta_legacy = false)"
		}
		return e
	}
	e := d.Client.Error(phone.ErrRefused, op, 0, cause)
	e.Detail = detail
	return e
}

// FaultError keeps the phone's SOAP fault as the cause of a driver error, so
// logs and errors.As can reach the exact CSTA error code.
type FaultError struct {
	Fault Fault
}

func (e *FaultError) Error() string {
	msg := "SOAP fault"
	if e.Fault.String != "" {
		msg += " " + e.Fault.String
	}
	if e.Fault.Value != "" {
		msg += ": " + e.Fault.Category + " " + e.Fault.Value
	}
	return msg
}
