// Package polycom drives Polycom (Poly) VVX phones through their REST API:
// JSON POSTs to /api/v1/callctrl/* with Basic or Digest authentication,
// answered with {"Status": "2000"} or an error code, and the call status at
// /api/v1/webCallControl/callStatus (Polycom UC Software REST API
// reference; rdbahm/Posh-UCS). The phone's REST API must be enabled
// (apps.restapi.enabled = 1).
package polycom

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "polycom"

// The REST endpoints the driver uses.
const (
	callctrlPath   = "/api/v1/callctrl/"
	callStatusPath = "/api/v1/webCallControl/callStatus"
)

// Driver controls a Polycom phone. It holds no state, so it is safe for
// concurrent use.
//
// CallID arguments are the phone's call handles ("0x2b4ee540"); an empty
// one means the phone's current call, found through callStatus first.
type Driver struct {
	phonehttp.Base
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c)}
}

// Descriptor tells the registry (phone/brands) how to drive Polycom phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New), Detect: []string{"polycom"}}
}

// Capabilities: the REST API covers every operation.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume |
		phone.CanTransfer | phone.CanDTMF
}

// Dial posts callctrl/dial. opts.Identity, when it is a line number, picks
// the line; otherwise line 1 dials.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	line := "1"
	if id := strings.TrimSpace(opts.Identity); id != "" && strings.Trim(id, "0123456789") == "" {
		line = id
	}
	return d.post(ctx, "dial", "dial", map[string]string{"Dest": opts.Number, "Line": line, "Type": "TEL"})
}

// Answer posts callctrl/answerCall.
func (d *Driver) Answer(ctx context.Context, callID string) error {
	return d.onCall(ctx, "answer a call", "answerCall", callID, nil)
}

// Hangup posts callctrl/endCall, which ends a call or rejects a ringing one.
func (d *Driver) Hangup(ctx context.Context, callID string) error {
	return d.onCall(ctx, "hang up", "endCall", callID, nil)
}

// Hold posts callctrl/holdCall.
func (d *Driver) Hold(ctx context.Context, callID string) error {
	return d.onCall(ctx, "put a call on hold", "holdCall", callID, nil)
}

// Resume posts callctrl/resumeCall.
func (d *Driver) Resume(ctx context.Context, callID string) error {
	return d.onCall(ctx, "resume a held call", "resumeCall", callID, nil)
}

// Transfer posts callctrl/transferCall, a blind transfer to target.
func (d *Driver) Transfer(ctx context.Context, callID, target string) error {
	return d.onCall(ctx, "transfer a call", "transferCall", callID, map[string]string{"TransferDest": target})
}

// SendDTMF posts callctrl/sendDTMF; the phone sends the digits into its
// active call, so callID is not used.
func (d *Driver) SendDTMF(ctx context.Context, _ string, digits string) error {
	return d.post(ctx, "send DTMF", "sendDTMF", map[string]string{"Digits": digits})
}

func (d *Driver) onCall(ctx context.Context, op, endpoint, callID string, extra map[string]string) error {
	ref := callID
	if ref == "" {
		var err error
		if ref, err = d.currentCall(ctx, op, endpoint == "answerCall"); err != nil {
			return err
		}
	}
	data := map[string]string{"Ref": ref}
	for k, v := range extra {
		data[k] = v
	}
	return d.post(ctx, op, endpoint, data)
}

// currentCall asks the phone for its call and returns the handle: with
// ringing, the handle of the call that rings (the one answer means).
func (d *Driver) currentCall(ctx context.Context, op string, ringing bool) (string, error) {
	res, err := d.Client.Get(ctx, op, callStatusPath, nil)
	if err != nil {
		return "", err
	}
	if err := d.check(op, res); err != nil {
		return "", err
	}
	calls, err := ParseCallStatus(res.Body)
	if err != nil {
		return "", d.Client.Error(phone.ErrProtocol, op, res.Status, err)
	}
	if len(calls) == 0 {
		return "", d.Client.ErrorDetail(phone.ErrNoSuchCall, op, 0, "the phone has no call right now")
	}
	if ringing {
		// Answering means the call that rings, not the one the person
		// is already in.
		for _, c := range calls {
			if strings.EqualFold(c.State, "Ringing") || strings.EqualFold(c.State, "Offering") {
				return c.Handle, nil
			}
		}
		return "", d.Client.ErrorDetail(phone.ErrNoSuchCall, op, 0, "no call is ringing on the phone")
	}
	return calls[0].Handle, nil
}

func (d *Driver) post(ctx context.Context, op, endpoint string, data map[string]string) error {
	body, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		return d.Client.Error(phone.ErrProtocol, op, 0, err)
	}
	res, err := d.Client.Post(ctx, op, callctrlPath+endpoint, nil, "application/json", body)
	if err != nil {
		return err
	}
	return d.check(op, res)
}

// refusals are where the phone's refusals are fixed when its answer
// carries no Status.
var refusals = phonehttp.Refusals{
	http.StatusNotFound:  "the phone's REST API is off; enable it (apps.restapi.enabled = 1, web interface: Settings > Applications > REST API)",
	http.StatusForbidden: "the phone does not let this user use the REST API",
}

// check reads the phone's Status, which decides over the HTTP status when
// the body carries one.
func (d *Driver) check(op string, res *phonehttp.Response) error {
	code, perr := ParseStatus(res.Body)
	if perr != nil {
		return d.Client.Unexpected(op, res.Status, refusals, perr)
	}
	if code == StatusOK {
		return nil
	}
	kind, detail := phone.ErrRefused, ""
	switch code {
	case "4007":
		kind = phone.ErrNoSuchCall
	case "4004":
		kind = phone.ErrNotSupported
	case "4001":
		detail = "the phone is busy"
	case "4002":
		detail = "the phone's line is not registered with the PBX"
	case "4005":
		detail = "the phone has no such line; check the identity setting (a line number)"
	case "4010":
		detail = "the REST API refuses to work while the phone has its default admin password; change it"
	case "5000", "4008":
		kind = phone.ErrProtocol
	}
	if detail == "" {
		text := statusText[code]
		if text == "" {
			text = "an unknown error"
		}
		detail = "the phone answered " + code + " (" + text + ")"
	}
	return d.Client.ErrorDetail(kind, op, 0, detail)
}
