package snom

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// The pages a program uses to change and read a Snom phone's settings over
// plain HTTP: dummy.htm with settings=save writes every other parameter as a
// setting (the way provisioning tools and home-automation modules set the
// action URLs and function keys), settings.htm lists every setting as
// "name!: value" (the flag after the name says who may change it), and
// minibrowser.htm?url=U makes the phone fetch U as one of its XML screens.
const (
	settingsSavePath = "/dummy.htm"
	settingsShowPath = "/settings.htm"
	minibrowserPath  = "/minibrowser.htm"
)

// SetSettings writes settings with dummy.htm?settings=save, so that pairing
// can point the phone's action URLs at dialbridge over plain HTTP, as it
// does over CSTA.
func (d *Driver) SetSettings(ctx context.Context, settings ...phone.Setting) error {
	q := url.Values{"settings": {"save"}}
	for _, s := range settings {
		q.Set(s.Name, s.Value)
	}
	return d.page(ctx, "save its settings", settingsSavePath, q, nil)
}

// ReadSettings reads every setting from settings.htm, so that pairing and
// dialbridge doctor can check what the phone really keeps rather than what
// was sent.
func (d *Driver) ReadSettings(ctx context.Context) (map[string]string, error) {
	var body []byte
	if err := d.page(ctx, "show its settings", settingsShowPath, nil, &body); err != nil {
		return nil, err
	}
	return ParseSettings(body), nil
}

// ParseSettings reads settings.htm's listing: one "name FLAG: value" per
// line, FLAG being "!" (the user may change it), "$" or "&" (only the
// administrator), or nothing. Lines without a colon are the page's own
// text and are skipped.
func ParseSettings(body []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		name = strings.TrimRight(strings.TrimSpace(name), "!$&")
		if name == "" || strings.ContainsAny(name, " <>\t") {
			continue
		}
		out[name] = strings.TrimSpace(value)
	}
	return out
}

// FireTest makes the phone request its action_fwtest_url (set before with
// SetSettings) through the minibrowser, the one request a program can make
// a Snom phone send over plain HTTP without ringing or dialing: it proves
// that the phone reaches the PC, as CSTA's FireTest does.
func (d *Driver) FireTest(ctx context.Context) error {
	settings, err := d.ReadSettings(ctx)
	if err != nil {
		return err
	}
	u := settings[fireTestSetting]
	if u == "" {
		return errors.New("the phone has no firewall-test URL (action_fwtest_url) to request")
	}
	return d.fetchScreen(ctx, "fetch the firewall-test URL", u)
}

// TextScreen is a minibrowser screen (SnomIPPhoneText) with a title and a
// text, which the phone shows when it fetches it (ShowText) or when it is
// pushed over CSTA (XmlPush). Both may come from outside (a caller's name,
// a lookup's answer): they are escaped with display.XML, so the screen
// always parses and shows them as the characters they are, never as
// elements of its own.
func TextScreen(title, text string) string {
	return "<SnomIPPhoneText><Title>" + display.XML(title) + "</Title><Text>" + display.XML(text) + "</Text></SnomIPPhoneText>"
}

// ShowText shows a text screen on the phone's display: serve publishes
// the screen where the phone can fetch it and returns that URL, and the
// minibrowser fetches it, as the phone's own XML browser would.
func (d *Driver) ShowText(ctx context.Context, title, text string, serve func(document string) string) error {
	return d.fetchScreen(ctx, "show a screen on its display", serve(TextScreen(title, text)))
}

// fireTestSetting is the hidden setting FireTest requests.
const fireTestSetting = "action_fwtest_url"

// page requests one of the phone's pages and turns its refusals into
// sentences; the body goes to body when it is not nil.
func (d *Driver) page(ctx context.Context, op, path string, q url.Values, body *[]byte) error {
	return d.pageRaw(ctx, op, path, q.Encode(), body)
}

// pageRaw is page with the query written by hand (key events keep
// Snom's own ';' and ',').
func (d *Driver) pageRaw(ctx context.Context, op, path, rawQuery string, body *[]byte) error {
	res, err := d.Client.GetRaw(ctx, op, path, rawQuery)
	if err != nil {
		return err
	}
	switch res.Status {
	case http.StatusOK:
		if body != nil {
			*body = res.Body
		}
		return nil
	case http.StatusNotFound:
		if path == commandPath {
			return d.Client.ErrorDetail(phone.ErrRefused, op, res.Status, "this phone does not accept HTTP commands (Snom D8xx firmware removed command.htm); pair it as \"snom-csta\" instead")
		}
		return d.Client.Error(phone.ErrProtocol, op, res.Status, nil)
	case http.StatusBadRequest:
		// A key the firmware does not know (F_HOLD before 8.7.3.7) is
		// refused so: the driver then tries the older key.
		return d.Client.ErrorDetail(phone.ErrRefused, op, res.Status, "it does not know the request (an older firmware?)")
	case http.StatusForbidden:
		if path == commandPath {
			return d.Client.ErrorDetail(phone.ErrRefused, op, res.Status, "check that remote control over HTTP is allowed in the phone's web interface")
		}
		return d.Client.ErrorDetail(phone.ErrRefused, op, res.Status, "the phone's web interface does not let this user change settings; pair with the administrator account")
	default:
		return d.Client.Error(phone.ErrProtocol, op, res.Status, nil)
	}
}
