// Package cisco drives CUCM-controlled Cisco IP phones through their push
// interface: a POST to /CGI/Execute whose form field XML holds a
// CiscoIPPhoneExecute object with up to three ExecuteItem URIs ("Dial:N",
// "Key:KeyPad5"), answered with a CiscoIPPhoneResponse or a
// CiscoIPPhoneError (Cisco IP Phone Services guide;
// avholloway/cisco-phone-controller). The credentials are those of a CUCM
// user that controls the phone; the phone checks them against CUCM.
package cisco

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "cisco"

// executePath takes pushed objects.
const executePath = "/CGI/Execute"

// maxItems is how many ExecuteItems one CiscoIPPhoneExecute may hold.
const maxItems = 3

// Driver controls a Cisco phone through /CGI/Execute. It holds no state
// and is safe for concurrent use.
type Driver struct {
	phonehttp.Base
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	return &Driver{Base: phonehttp.NewBase(Brand, c)}
}

// Descriptor tells the registry (phone/brands) how to drive Cisco phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New), Detect: []string{"cisco"}}
}

// Capabilities: Dial: pushes a call; keypad keys pressed during a call
// send DTMF. Call control beyond that belongs to CUCM (JTAPI/TAPI), which
// dialbridge does not speak.
func (d *Driver) Capabilities() phone.Capability { return phone.CanDial | phone.CanDTMF }

// Dial pushes Dial:N.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	return d.execute(ctx, "dial", []string{"Dial:" + opts.Number})
}

// SendDTMF presses Key:KeyPad0..9, KeyPadStar and KeyPadPound, three keys
// per request, as a person would on the keypad during the call.
func (d *Driver) SendDTMF(ctx context.Context, _ string, digits string) error {
	const op = "send DTMF"
	var uris []string
	for _, r := range digits {
		switch {
		case r >= '0' && r <= '9':
			uris = append(uris, "Key:KeyPad"+string(r))
		case r == '*':
			uris = append(uris, "Key:KeyPadStar")
		case r == '#':
			uris = append(uris, "Key:KeyPadPound")
		default:
			return &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: op + " with the character \"" + string(r) + "\""}
		}
	}
	if len(uris) == 0 {
		return &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: op + " without digits"}
	}
	for len(uris) > 0 {
		n := min(maxItems, len(uris))
		if err := d.execute(ctx, op, uris[:n]); err != nil {
			return err
		}
		uris = uris[n:]
	}
	return nil
}

// executeObject writes a CiscoIPPhoneExecute with one item per URI.
func executeObject(uris []string) string {
	var b bytes.Buffer
	b.WriteString("<CiscoIPPhoneExecute>")
	for _, u := range uris {
		b.WriteString(`<ExecuteItem URL="`)
		_ = xml.EscapeText(&b, []byte(u)) // EscapeText also escapes quotes
		b.WriteString(`"/>`)
	}
	b.WriteString("</CiscoIPPhoneExecute>")
	return b.String()
}

func (d *Driver) execute(ctx context.Context, op string, uris []string) error {
	form := url.Values{"XML": {executeObject(uris)}}.Encode()
	res, err := d.Client.Post(ctx, op, executePath, nil, "application/x-www-form-urlencoded", []byte(form))
	if err != nil {
		return err
	}
	if res.Status != http.StatusOK {
		if res.Status == http.StatusNotFound {
			return d.Client.ErrorDetail(phone.ErrRefused, op, res.Status, "this phone takes no pushed commands; enable its web access in CUCM")
		}
		return d.Client.Error(phone.ErrProtocol, op, res.Status, nil)
	}
	r, err := ParseResponse(res.Body)
	if err != nil {
		return d.Client.Error(phone.ErrProtocol, op, res.Status, err)
	}
	switch r.Error {
	case 0:
	case 4:
		return d.Client.ErrorDetail(phone.ErrAuth, op, 0, "CUCM did not accept the user: it must be an application or end user that controls this phone")
	default:
		return d.Client.ErrorDetail(phone.ErrRefused, op, 0, "the phone reports CiscoIPPhoneError "+strconv.Itoa(r.Error)+" ("+errorText(r.Error)+")")
	}
	for _, it := range r.Items {
		if it.Status != 0 {
			return d.Client.ErrorDetail(phone.ErrRefused, op, 0, "the phone did not carry out "+it.URL+" (status "+strconv.Itoa(it.Status)+")")
		}
	}
	return nil
}
