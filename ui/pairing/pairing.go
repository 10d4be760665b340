// Package pairing does the phone-facing work of the pairing wizard: it
// finds out which brand a phone is, proves that the credentials work
// without making the phone do anything a person would notice, points the
// phone's action URLs at dialbridge where the brand lets it (Snom over
// HTTP and over CSTA) and reads them back where the phone can show them,
// and runs the firewall test (Snom's FireTest, or its minibrowser over
// HTTP). It has no Fyne code;
// the wizard in package ui drives it step by step.
package pairing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Listener is the resident's side of pairing: where the phone reaches
// dialbridge, and what dialbridge last heard from the phone.
type Listener interface {
	// EventsBase returns the address the phone at phoneAddress reaches
	// dialbridge at ("http://192.0.2.5:61234") and the pairing token.
	EventsBase(ctx context.Context, phoneAddress string) (base, token string, err error)
	// Seen returns the last request from the phone that got through.
	Seen(ctx context.Context) (control.PhoneSeen, error)
}

// Pairer implements the wizard's steps against real phones.
type Pairer struct {
	// Listener is the running resident; required for SetUpEvents and
	// FirewallTest.
	Listener Listener
	// Open opens a driver; nil means brands.Open.
	Open func(brands.Settings) (phone.Driver, error)
	// Transport carries Detect's and Check's requests; nil means the
	// phone client's default (with trust on first use for HTTPS).
	Transport http.RoundTripper
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PollEvery is how often FirewallTest and WaitForPhone ask whether the
	// phone's request arrived; 0 means 200 ms.
	PollEvery time.Duration
}

// Brands lists the brands a person can choose.
func (p *Pairer) Brands() []string { return brands.Names() }

var titleRE = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

// Detect asks the phone at address, without credentials, which brand it
// is: phones name their model in the login challenge (realm), the Server
// header or the page title. A bare host is tried over HTTP, then HTTPS
// (Auerswald phones speak only HTTPS).
func (p *Pairer) Detect(ctx context.Context, address string) (string, error) {
	res, host, err := p.startPage(ctx, address, brands.Settings{})
	if err != nil && phone.KindOf(err) == phone.ErrUnreachable && !strings.Contains(address, "://") {
		res, host, err = p.startPage(ctx, "https://"+strings.TrimSpace(address), brands.Settings{})
	}
	if err != nil && phone.KindOf(err) != phone.ErrAuth {
		if k := phone.KindOf(err); k == phone.ErrUnreachable || k == phone.ErrCertificate {
			return "", fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return "", err
	}
	brand := BrandFrom(res.Header, res.Body)
	if brand == "" {
		return "", fmt.Errorf("the phone at %s did not say which brand it is", host)
	}
	return brand, nil
}

// startPage requests the phone's start page, with the credentials in s
// (none when empty). The answer comes back with a 401 too, for its realm.
func (p *Pairer) startPage(ctx context.Context, address string, s brands.Settings) (*phonehttp.Response, string, error) {
	c, err := phonehttp.New(phonehttp.Options{
		Brand: s.Brand, Address: address, Username: s.Username, Password: s.Password, Transport: p.Transport,
		Timeout: s.Timeout, TLSFingerprint: s.TLSFingerprint, OnNewFingerprint: s.OnNewFingerprint,
	})
	if err != nil {
		return nil, "", err
	}
	res, err := c.Get(ctx, "show its start page", "/", nil)
	if res == nil && err == nil {
		err = errors.New("the phone gave no answer to go by")
	}
	return res, c.Host(), err
}

// BrandFrom finds the brand named in a phone's answer, or "".
func BrandFrom(h http.Header, body []byte) string {
	var texts []string
	texts = append(texts, h.Values("WWW-Authenticate")...)
	texts = append(texts, h.Values("Server")...)
	if m := titleRE.FindSubmatch(body); m != nil {
		texts = append(texts, string(m[1]))
	}
	// Phones name their model there ("snom D785", "Yealink SIP-T54W",
	// "COMfortel D-400", "PolycomVVX-VVX_450-UA/6.4.3"); each brand's
	// descriptor lists the words its phones use.
	return brands.Detect(strings.Join(texts, " "))
}

// ErrUnverifiable means the phone gives no way to test the credentials
// without making it act (its start page needs no login, e.g. Grandstream's
// passcode travels only with commands). The first dial will tell.
var ErrUnverifiable = errors.New("this phone cannot be asked to check the password without making it act")

// Check proves that the phone accepts the credentials, with requests that
// change nothing on the phone: the command list where the driver can read
// it, else the start page, which must refuse a request without the
// credentials and accept one with them. A phone whose start page is open
// gives ErrUnverifiable. Over HTTPS, the certificate seen first is reported
// to s.OnNewFingerprint.
func (p *Pairer) Check(ctx context.Context, s brands.Settings) error {
	drv, err := p.open(s)
	if err != nil {
		return err
	}
	if l, ok := brands.Underlying(drv).(phone.CommandLister); ok {
		_, err := l.Learn(ctx)
		return err
	}
	anon := brands.Settings{Timeout: s.Timeout, TLSFingerprint: s.TLSFingerprint, OnNewFingerprint: s.OnNewFingerprint}
	if _, _, err := p.startPage(ctx, s.Address, anon); err == nil {
		return ErrUnverifiable
	} else if phone.KindOf(err) != phone.ErrAuth {
		return err
	}
	_, _, err = p.startPage(ctx, s.Address, s)
	return err
}

func (p *Pairer) open(s brands.Settings) (phone.Driver, error) {
	if s.Transport == nil {
		s.Transport = p.Transport
	}
	if p.Open != nil {
		return p.Open(s)
	}
	return brands.Open(s)
}

// SetUpEvents works out the phone's action URL settings and, where the
// brand allows it (phone.SettingsWriter: Snom over HTTP and over CSTA),
// writes them to the phone and, where the phone shows its settings
// (phone.SettingsReader), reads them back.
// The settings come back in any case, so that a refusal can be fixed by
// hand.
func (p *Pairer) SetUpEvents(ctx context.Context, s brands.Settings) (EventSetup, error) {
	settings, _, err := p.eventSettings(ctx, s)
	if err != nil {
		return EventSetup{}, err
	}
	setup := EventSetup{Settings: settings, Where: brands.SettingsPage(s.Brand)}
	drv, err := p.open(s)
	if err != nil {
		return setup, err
	}
	if d, ok := brands.Underlying(drv).(phone.SettingsWriter); ok {
		var ss []phone.Setting
		for _, st := range settings {
			ss = append(ss, phone.Setting{Name: st.Name, Value: st.Value})
		}
		if err := d.SetSettings(ctx, ss...); err != nil {
			return setup, err
		}
		setup.Automatic = true
		if r, ok := brands.Underlying(drv).(phone.SettingsReader); ok {
			if err := VerifySettings(ctx, r, settings); err != nil {
				return setup, err
			}
			setup.ReadBack = true
		}
	}
	return setup, nil
}

// VerifySettings reads the phone's settings back and compares them with
// want, so that a phone that answered "saved" but kept something else
// (a setting locked by provisioning, a value cut short) is found at
// pairing, not at the first silent call. It names the first setting that
// differs.
func VerifySettings(ctx context.Context, r phone.SettingsReader, want []Setting) error {
	got, err := r.ReadSettings(ctx)
	if err != nil {
		return err
	}
	for _, st := range want {
		if got[st.Name] != st.Value {
			return &MismatchError{Setting: st, Got: got[st.Name]}
		}
	}
	return nil
}

// MismatchError is a phone setting that does not hold what pairing wrote:
// the setting (with the value it must have) and what the phone keeps.
type MismatchError struct {
	Setting Setting
	Got     string
}

func (e *MismatchError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("the phone's setting %s is empty; it must be %s", e.Setting.Name, e.Setting.Value)
	}
	return fmt.Sprintf("the phone's setting %s is %s; it must be %s", e.Setting.Name, e.Got, e.Setting.Value)
}

// eventSettings returns the visible settings for the brand with their
// values, and the hidden firewall-test URL ("" when the brand has none).
func (p *Pairer) eventSettings(ctx context.Context, s brands.Settings) ([]Setting, string, error) {
	if p.Listener == nil {
		return nil, "", errors.New("dialbridge is not running, so it cannot receive the phone's events")
	}
	base, token, err := p.Listener.EventsBase(ctx, s.Address)
	if err != nil {
		return nil, "", err
	}
	all, err := phoneevents.PairingURLs(s.Brand, base, token)
	if err != nil {
		return nil, "", err
	}
	var out []Setting
	test := ""
	for _, st := range all {
		if st.Hidden {
			if st.Name == fireTestSetting {
				test = st.URL
			}
			continue
		}
		out = append(out, Setting{Name: st.Name, Label: st.Label, Value: st.URL})
	}
	return out, test, nil
}

// fireTestSetting is Snom's hidden setting that FireTest requests.
const fireTestSetting = "action_fwtest_url"

// FirewallTest proves that the phone reaches dialbridge: for Snom it sets
// the hidden action_fwtest_url, makes the phone request it (FireTest over
// CSTA, the minibrowser over HTTP) and waits for
// the phone's request to arrive. Other brands have no such test
// (ErrNoFirewallTest); the wizard asks for a test call instead.
func (p *Pairer) FirewallTest(ctx context.Context, s brands.Settings) error {
	drv, err := p.open(s)
	if err != nil {
		return err
	}
	d, ok := brands.Underlying(drv).(interface {
		phone.SettingsWriter
		phone.FirewallTester
	})
	if !ok {
		return ErrNoFirewallTest
	}
	_, testURL, err := p.eventSettings(ctx, s)
	if err != nil {
		return err
	}
	if testURL == "" {
		return ErrNoFirewallTest
	}
	since := p.now()
	if err := d.SetSettings(ctx, phone.Setting{Name: fireTestSetting, Value: testURL}); err != nil {
		return err
	}
	if err := d.FireTest(ctx); err != nil {
		return err
	}
	if err := p.waitSeen(ctx, since, phone.EventTest.String()); err != nil {
		return errors.New("the phone's test request did not reach dialbridge")
	}
	return nil
}

// WaitForPhone waits until any request from the phone (a call event after
// the person's test call) reaches dialbridge at or after since.
func (p *Pairer) WaitForPhone(ctx context.Context, since time.Time) error {
	return p.waitSeen(ctx, since, "")
}

func (p *Pairer) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// waitSeen polls the resident until it heard the phone (an event named
// event, or any with "") at or after since.
func (p *Pairer) waitSeen(ctx context.Context, since time.Time, event string) error {
	if p.Listener == nil {
		return errors.New("dialbridge is not running, so it cannot hear the phone")
	}
	every := p.PollEvery
	if every == 0 {
		every = 200 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		seen, err := p.Listener.Seen(ctx)
		if err == nil && !seen.At.Before(since) && (event == "" || seen.Event == event) {
			return nil
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return err
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}
