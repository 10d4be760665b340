// Package doctor checks, link by link, the chain that makes dialbridge
// work: the config file, the listener's port, the resident, the keyring,
// the phone and its password, the phone's event URLs, a test event and
// the phone's certificate. "dialbridge doctor" prints it, the tray's
// "What's wrong?" window shows it, and both call Run, so a person and a
// support script see the same sentences.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// Link names one link of the chain; scripts match on it (--json).
type Link string

// The links, in the order they are checked: each one needs those before it.
const (
	LinkConfig    Link = "config"
	LinkListener  Link = "listener"
	LinkResident  Link = "resident"
	LinkKeyring   Link = "keyring"
	LinkPhone     Link = "phone"
	LinkPassword  Link = "password"
	LinkEventURLs Link = "event_urls"
	LinkTestEvent Link = "test_event"
	LinkTLSPin    Link = "tls_pin"
)

// Status is how one link fared.
type Status string

// The statuses: ok, broken (the sentence says what to do), or skipped
// (it could not be checked; the sentence says why). Only broken fails.
const (
	OK      Status = "ok"
	Broken  Status = "broken"
	Skipped Status = "skipped"
)

// Check is one line of the report.
type Check struct {
	Link    Link   `json:"link"`
	Status  Status `json:"status"`
	Message string `json:"message"`
}

// Report is the whole chain.
type Report struct {
	Checks []Check `json:"checks"`
	// FirstBroken is the first link that is broken, "" when all hold.
	FirstBroken Link `json:"first_broken,omitempty"`
}

// OK reports whether no link is broken.
func (r Report) OK() bool { return r.FirstBroken == "" }

// Resident is the running dialbridge as doctor sees it: whether it
// answers, and the pairing side (where the phone reaches it, what it last
// heard from the phone).
type Resident interface {
	Ping(ctx context.Context) error
	pairing.Listener
}

// Secrets reads the phone's password (config.Secrets).
type Secrets interface {
	Get(user string) (string, error)
}

// Doctor runs the checks with the parts passed in.
type Doctor struct {
	// ConfigPath is the config file.
	ConfigPath string
	Resident   Resident
	Secrets    Secrets
	// Pairer talks to the phone; its Listener is set to Resident.
	Pairer *pairing.Pairer
	// PortHolder names the program listening on a TCP port ("" when it
	// cannot tell); nil means HolderOf.
	PortHolder func(port int) string
	// TestTimeout bounds the wait for the test event; 0 means 10 s.
	TestTimeout time.Duration
}

// chain collects the checks as they are made.
type chain struct{ r Report }

func (c *chain) add(l Link, st Status, msg string) bool {
	c.r.Checks = append(c.r.Checks, Check{Link: l, Status: st, Message: msg})
	if st == Broken && c.r.FirstBroken == "" {
		c.r.FirstBroken = l
	}
	return st == OK
}

// skipRest marks every link from the list as not checked, for why.
func (c *chain) skipRest(why string, links ...Link) {
	for _, l := range links {
		c.add(l, Skipped, why)
	}
}

// Run checks every link and returns the report; it never stops at the
// first broken link, so the person sees everything that can be known.
func (d *Doctor) Run(ctx context.Context) Report {
	var c chain
	cfg, err := config.Load(d.ConfigPath)
	if err != nil {
		c.add(LinkConfig, Broken, lang.X("doctor.config.broken", "The config file {{.Path}} is not valid: {{.Err}}. Fix it, or delete it to start over with the defaults.", map[string]any{"Path": d.ConfigPath, "Err": i18n.Error(err)}))
		c.skipRest(lang.X("doctor.skipped.config", "Not checked: the config file must be valid first."),
			LinkListener, LinkResident, LinkKeyring, LinkPhone, LinkPassword, LinkEventURLs, LinkTestEvent, LinkTLSPin)
		return c.r
	}
	c.add(LinkConfig, OK, lang.X("doctor.config.ok", "The config file {{.Path}} is valid.", map[string]any{"Path": d.ConfigPath}))
	running := d.checkListener(ctx, &c, cfg.Listener.Port)
	if running {
		c.add(LinkResident, OK, lang.X("doctor.resident.ok", "dialbridge is running."))
	} else {
		c.add(LinkResident, Broken, lang.X("doctor.resident.broken", "dialbridge is not running: start it from the applications menu or run \"dialbridge\"."))
	}
	if cfg.Phone.Brand == brands.Demo {
		c.skipRest(lang.X("doctor.skipped.demo", "Not checked: dialbridge is paired with its built-in simulated phone; run \"dialbridge pair\" to pair your desk phone."),
			LinkKeyring, LinkPhone, LinkPassword, LinkEventURLs, LinkTestEvent, LinkTLSPin)
		return c.r
	}
	pw, err := d.Secrets.Get(config.SecretPhone)
	switch {
	case errors.Is(err, config.ErrNoSecret):
		c.add(LinkKeyring, Broken, lang.X("doctor.keyring.empty", "The system keyring holds no password for the phone: run \"dialbridge pair\"."))
	case err != nil:
		c.add(LinkKeyring, Broken, lang.X("doctor.keyring.broken", "The system keyring cannot be reached: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
	default:
		c.add(LinkKeyring, OK, lang.X("doctor.keyring.ok", "The system keyring holds the phone's password."))
	}
	s := cfg.Phone.Settings(pw)
	s.Timeout = 5 * time.Second
	if b, ok := brands.Lookup(s.Brand); ok && b.NoEventURLs != "" {
		// A phone driven over SIP has no web interface to ask and no
		// URLs to check: its links are its SIP dialog, not HTTP.
		c.skipRest(lang.X("doctor.skipped.sip", "Not checked: {{.Why}}; dialbridge doctor checks phones reached over their web interface.", map[string]any{"Why": b.NoEventURLs}),
			LinkPhone, LinkPassword, LinkEventURLs, LinkTestEvent, LinkTLSPin)
		return c.r
	}
	d.checkPhone(ctx, &c, s, running)
	return c.r
}

// checkListener checks that the listener's port is bound by dialbridge
// and reports whether the resident answers there.
func (d *Doctor) checkListener(ctx context.Context, c *chain, port int) bool {
	running := d.Resident.Ping(ctx) == nil
	if running {
		c.add(LinkListener, OK, lang.X("doctor.listener.ok", "dialbridge listens on port {{.Port}}.", map[string]any{"Port": port}))
		return true
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err == nil {
		l.Close()
		c.add(LinkListener, Broken, lang.X("doctor.listener.free", "Nothing listens on port {{.Port}}: dialbridge is not running.", map[string]any{"Port": port}))
		return false
	}
	holder := ""
	if d.PortHolder != nil {
		holder = d.PortHolder(port)
	} else {
		holder = HolderOf(port)
	}
	if holder == "" {
		holder = lang.X("doctor.listener.another", "another program")
	}
	c.add(LinkListener, Broken, lang.X("doctor.listener.taken", "Port {{.Port}} is held by {{.Holder}}, not by dialbridge: stop it, or choose another port under Settings › Action URLs.", map[string]any{"Port": port, "Holder": holder}))
	return false
}

// checkPhone checks the links from the phone on.
func (d *Doctor) checkPhone(ctx context.Context, c *chain, s brands.Settings, running bool) {
	p := d.pairer()
	err := p.Reach(ctx, s)
	certErr := phone.KindOf(err) == phone.ErrCertificate
	switch {
	case err == nil || certErr:
		c.add(LinkPhone, OK, lang.X("doctor.phone.ok", "The phone answers at {{.Address}}.", map[string]any{"Address": s.Address}))
	default:
		c.add(LinkPhone, Broken, lang.X("doctor.phone.broken", "{{.Err}}: check that the phone is switched on and that {{.Address}} is its address (the phone shows it under Menu › Information).", map[string]any{"Err": strings.TrimSuffix(i18n.Error(err), "."), "Address": s.Address}))
		c.skipRest(lang.X("doctor.skipped.phone", "Not checked: the phone must answer first."), LinkPassword, LinkEventURLs, LinkTestEvent, LinkTLSPin)
		return
	}
	if certErr {
		c.skipRest(lang.X("doctor.skipped.cert", "Not checked: the phone's certificate is not the one trusted."), LinkPassword, LinkEventURLs, LinkTestEvent)
		c.add(LinkTLSPin, Broken, lang.X("doctor.tls.broken", "{{.Err}} If you replaced the phone or its certificate, delete phone.tls_fingerprint from the config file and run \"dialbridge pair\" to trust the new one.", map[string]any{"Err": i18n.Error(err)}))
		return
	}
	passwordOK := true
	switch err := p.Check(ctx, s); {
	case err == nil:
		c.add(LinkPassword, OK, lang.X("doctor.password.ok", "The phone accepts the password."))
	case errors.Is(err, pairing.ErrUnverifiable):
		c.add(LinkPassword, Skipped, lang.X("doctor.password.unverifiable", "This phone cannot check a password without acting on it; the next dial will show whether it is right."))
	case phone.KindOf(err) == phone.ErrAuth:
		passwordOK = false
		c.add(LinkPassword, Broken, lang.X("doctor.password.broken", "{{.Err}}: run \"dialbridge pair\" and enter the password of the phone's web interface.", map[string]any{"Err": strings.TrimSuffix(i18n.Error(err), ".")}))
	default:
		passwordOK = false
		c.add(LinkPassword, Broken, i18n.Error(err))
	}
	if !passwordOK {
		c.skipRest(lang.X("doctor.skipped.password", "Not checked: the phone must accept the password first."), LinkEventURLs, LinkTestEvent)
	} else {
		d.checkEvents(ctx, c, p, s, running)
	}
	if strings.HasPrefix(strings.ToLower(s.Address), "https://") {
		c.add(LinkTLSPin, OK, lang.X("doctor.tls.ok", "The phone shows the certificate trusted at pairing."))
	} else {
		c.add(LinkTLSPin, OK, lang.X("doctor.tls.plain", "The phone is reached over plain HTTP: there is no certificate to check."))
	}
}

// checkEvents checks where the phone sends its events and that one
// arrives.
func (d *Doctor) checkEvents(ctx context.Context, c *chain, p *pairing.Pairer, s brands.Settings, running bool) {
	var mismatch *pairing.MismatchError
	switch err := p.VerifyEvents(ctx, s); {
	case err == nil:
		c.add(LinkEventURLs, OK, lang.X("doctor.events.ok", "The phone's event URLs point at this computer."))
	case errors.Is(err, pairing.ErrNoReadBack):
		c.add(LinkEventURLs, Skipped, lang.X("doctor.events.unreadable", "This phone does not show its settings to a program; \"dialbridge pairing-urls\" prints what they must be."))
	case errors.As(err, &mismatch):
		c.add(LinkEventURLs, Broken, lang.X("doctor.events.broken", "The phone sends its events elsewhere: its setting {{.Name}} must be {{.Value}}. Run \"dialbridge pair\" to set it.", map[string]any{"Name": mismatch.Setting.Name, "Value": mismatch.Setting.Value}))
	default:
		c.add(LinkEventURLs, Broken, i18n.Error(err))
	}
	if !running {
		c.add(LinkTestEvent, Skipped, lang.X("doctor.skipped.resident", "Not checked: dialbridge must be running to receive it."))
		return
	}
	timeout := d.TestTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch err := p.FirewallTest(tctx, s); {
	case err == nil:
		c.add(LinkTestEvent, OK, lang.X("doctor.test.ok", "A test event from the phone arrived."))
	case errors.Is(err, pairing.ErrNoFirewallTest):
		seen, serr := d.Resident.Seen(ctx)
		if serr == nil && !seen.At.IsZero() {
			c.add(LinkTestEvent, OK, lang.X("doctor.test.seen", "The phone's last event arrived at {{.At}}.", map[string]any{"At": seen.At.Local().Format(time.DateTime)}))
			return
		}
		c.add(LinkTestEvent, Skipped, lang.X("doctor.test.none", "This phone has no test event and none arrived yet: make a call, then run \"dialbridge doctor\" again."))
	default:
		c.add(LinkTestEvent, Broken, lang.X("doctor.test.broken", "The phone's test event did not arrive ({{.Err}}): a firewall on this computer or the network blocks the phone's requests to port {{.Port}}.", map[string]any{"Err": i18n.Error(err), "Port": portOf(ctx, d.Resident, s.Address)}))
	}
}

// portOf is the port the phone's events go to, for the sentence.
func portOf(ctx context.Context, l pairing.Listener, address string) string {
	base, _, err := l.EventsBase(ctx, address)
	if err != nil {
		return "?"
	}
	_, port, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(base, "http://"), "https://"))
	if err != nil {
		return "?"
	}
	return port
}

func (d *Doctor) pairer() *pairing.Pairer {
	p := *d.Pairer
	p.Listener = d.Resident
	return &p
}

// Lines writes the report one line per link, as "ok   link: message".
func (r Report) Lines() []string {
	out := make([]string, 0, len(r.Checks))
	for _, c := range r.Checks {
		out = append(out, fmt.Sprintf("%-7s %-10s %s", c.Status, c.Link, c.Message))
	}
	return out
}

// New is the doctor of the config file at configPath with the real parts:
// the resident of that file, the system keyring (the environment first),
// the phone over the network.
func New(configPath string) *Doctor {
	return &Doctor{ConfigPath: configPath, Resident: backend.NewResident(configPath, nil),
		Secrets: config.Secrets{}, Pairer: &pairing.Pairer{}}
}
