// Package pairing does the phone-facing work of the pairing wizard: it
// finds out which brand a phone is, proves that the credentials work
// without making the phone do anything a person would notice, points the
// phone's action URLs at dialbridge where the brand lets it (Snom over
// CSTA), and runs the firewall test (Snom FireTest). It has no Fyne code;
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

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/auerswald"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/grandstream"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// Listener is the resident's side of pairing: where the phone must send
// its events, and whether the phone's test request has arrived.
type Listener interface {
	// EventBase returns the URL the phone at phoneHost must call for
	// events of format, as that phone can reach this computer, e.g.
	// "http://192.0.2.5:61234/phone/TOKEN/snom".
	EventBase(ctx context.Context, phoneHost, format string) (string, error)
	// TestSeen reports whether the phone's test request (phone.EventTest)
	// arrived at or after since.
	TestSeen(ctx context.Context, since time.Time) (bool, error)
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
	// PollEvery is how often FirewallTest asks whether the test request
	// arrived; 0 means 200 ms.
	PollEvery time.Duration
}

// Brands lists the brands a person can choose.
func (p *Pairer) Brands() []string { return brands.Names() }

// brandWords are what phones of each brand put in their login realm,
// Server header or page title. The longest match wins, so "snom" does not
// shadow a more specific name.
var brandWords = []struct{ word, brand string }{
	{"snom", "snom"},
	{"yealink", "yealink"},
	{"comfortel", "auerswald"},
	{"auerswald", "auerswald"},
	{"grandstream", "grandstream"},
	{"polycom", "polycom"},
	{"fanvil", "fanvil"},
	{"cisco", "cisco"},
}

var titleRE = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

// Detect asks the phone at address, without credentials, which brand it
// is: phones name their model in the login challenge (realm), the Server
// header or the page title.
func (p *Pairer) Detect(ctx context.Context, address string) (string, error) {
	c, err := phonehttp.New(phonehttp.Options{Address: address, Transport: p.Transport})
	if err != nil {
		return "", err
	}
	res, err := c.Get(ctx, "say which phone it is", "/", nil)
	if err != nil && phone.KindOf(err) != phone.ErrAuth {
		if phone.KindOf(err) == phone.ErrUnreachable || phone.KindOf(err) == phone.ErrCertificate {
			return "", fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return "", err
	}
	if res == nil {
		return "", errors.New("the phone gave no answer to go by")
	}
	brand := BrandFrom(res.Header, res.Body)
	if brand == "" {
		return "", fmt.Errorf("the phone at %s did not say which brand it is", c.Host())
	}
	return brand, nil
}

// BrandFrom finds the brand named in a phone's answer, or "".
func BrandFrom(h http.Header, body []byte) string {
	var texts []string
	texts = append(texts, h.Values("WWW-Authenticate")...)
	texts = append(texts, h.Values("Server")...)
	if m := titleRE.FindSubmatch(body); m != nil {
		texts = append(texts, string(m[1]))
	}
	all := strings.ToLower(strings.Join(texts, " "))
	for _, bw := range brandWords {
		if strings.Contains(all, bw.word) && brands.Known(bw.brand) {
			return bw.brand
		}
	}
	return ""
}

// checker is what a driver offers when it can test its credentials with a
// request that changes nothing on the phone.
type checker interface {
	Check(ctx context.Context) error
}

// Check proves that the phone accepts the credentials. Drivers that know a
// harmless authenticated request for their brand use it; otherwise the
// phone's start page is requested with the credentials, which every phone
// guards with the same login.
func (p *Pairer) Check(ctx context.Context, s brands.Settings) error {
	drv, err := p.open(s)
	if err != nil {
		return err
	}
	if c, ok := drv.(checker); ok {
		return c.Check(ctx)
	}
	c, err := phonehttp.New(phonehttp.Options{Brand: s.Brand, Address: s.Address, Username: s.Username, Password: s.Password, Transport: p.Transport})
	if err != nil {
		return err
	}
	_, err = c.Get(ctx, "let dialbridge sign in", "/", nil)
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

// eventFormat is how the brand reports its calls; ok is false for brands
// that cannot send action URLs (or whose format dialbridge lacks).
func eventFormat(brand string) (phone.EventFormat, bool) {
	switch brand {
	case snom.Brand, snomcsta.Brand:
		return snom.EventFormat(), true
	case "yealink":
		return yealink.EventFormat(), true
	case "auerswald":
		return auerswald.EventFormat(), true
	case "grandstream":
		return grandstream.EventFormat(), true
	}
	return phone.EventFormat{}, false
}

// where names the page of the brand's web interface with the settings.
func where(brand string) string {
	switch brand {
	case snom.Brand, snomcsta.Brand:
		return "Setup › Action URL Settings"
	case "yealink":
		return "Features › Action URL"
	}
	return ""
}

// SetUpEvents works out the phone's action URL settings and, where the
// brand allows it (Snom over CSTA: SetSettings), writes them to the phone.
// The settings come back in any case, so that a refusal can be fixed by
// hand.
func (p *Pairer) SetUpEvents(ctx context.Context, s brands.Settings) (EventSetup, error) {
	settings, _, err := p.eventSettings(ctx, s)
	if err != nil {
		return EventSetup{}, err
	}
	setup := EventSetup{Settings: settings, Where: where(s.Brand)}
	drv, err := p.open(s)
	if err != nil {
		return setup, err
	}
	if d, ok := drv.(*snomcsta.Driver); ok {
		var ss []snomcsta.Setting
		for _, st := range settings {
			ss = append(ss, snomcsta.Setting{Name: st.Name, Value: st.Value})
		}
		if err := d.SetSettings(ctx, ss...); err != nil {
			return setup, err
		}
		setup.Automatic = true
	}
	return setup, nil
}

// eventSettings returns the visible settings for the brand with their
// values, and the hidden firewall-test URL ("" when the brand has none).
func (p *Pairer) eventSettings(ctx context.Context, s brands.Settings) ([]Setting, string, error) {
	f, ok := eventFormat(s.Brand)
	if !ok {
		return nil, "", fmt.Errorf("a %s phone cannot tell dialbridge about its calls; dialing still works", s.Brand)
	}
	if p.Listener == nil {
		return nil, "", errors.New("dialbridge is not running, so it cannot receive the phone's events")
	}
	u, err := phonehttp.ParseAddress(s.Address)
	if err != nil {
		return nil, "", err
	}
	base, err := p.Listener.EventBase(ctx, u.Hostname(), f.Name)
	if err != nil {
		return nil, "", err
	}
	var out []Setting
	test := ""
	for _, st := range f.Settings {
		if st.Hidden {
			if st.Event == phone.EventTest.String() {
				test = st.URL(base)
			}
			continue
		}
		out = append(out, Setting{Name: st.Name, Label: st.Label, Value: st.URL(base)})
	}
	return out, test, nil
}

// FirewallTest proves that the phone reaches dialbridge: for Snom over
// CSTA it sets the hidden action_fwtest_url, sends FireTest and waits for
// the phone's request to arrive. Other brands have no such test
// (ErrNoFirewallTest); the wizard asks for a test call instead.
func (p *Pairer) FirewallTest(ctx context.Context, s brands.Settings) error {
	drv, err := p.open(s)
	if err != nil {
		return err
	}
	d, ok := drv.(*snomcsta.Driver)
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
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	since := now()
	if err := d.SetSettings(ctx, snomcsta.Setting{Name: "action_fwtest_url", Value: testURL}); err != nil {
		return err
	}
	if err := d.FireTest(ctx); err != nil {
		return err
	}
	every := p.PollEvery
	if every == 0 {
		every = 200 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		seen, err := p.Listener.TestSeen(ctx, since)
		if err != nil {
			return err
		}
		if seen {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the phone's test request did not reach dialbridge")
		case <-t.C:
		}
	}
}
