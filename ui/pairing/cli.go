package pairing

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/term"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/form"
)

// Terminal is the command line's side of pairing: where it writes, and
// how it asks.
type Terminal struct {
	Out io.Writer
	// Ask asks for a line; nil means nobody can answer (a script).
	Ask func(prompt string) (string, error)
	// AskSecret asks without showing what is typed; nil means nobody can
	// answer.
	AskSecret func(prompt string) (string, error)
}

// StdTerminal asks on in and writes to out; a password is read without
// echo when in is a terminal, else as a line (so a script can pipe it).
func StdTerminal(in *os.File, out io.Writer) Terminal {
	r := bufio.NewReader(in)
	line := func(prompt string) (string, error) {
		fmt.Fprint(out, prompt)
		s, err := r.ReadString('\n')
		if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
			return "", err
		}
		return strings.TrimRight(s, "\r\n"), nil
	}
	secret := line
	if term.IsTerminal(int(in.Fd())) {
		secret = func(prompt string) (string, error) {
			fmt.Fprint(out, prompt)
			b, err := term.ReadPassword(int(in.Fd()))
			fmt.Fprintln(out)
			return string(b), err
		}
	}
	return Terminal{Out: out, Ask: line, AskSecret: secret}
}

// CLI runs the pairing wizard's steps on the command line ("dialbridge
// pair"), with the same Pairer and the same save sequence (form.Saver) as
// the wizard, so both pair a phone the same way.
type CLI struct {
	Pairer *Pairer
	Saver  form.Saver
	// Secrets reads a stored password (the environment first).
	Secrets interface {
		Get(user string) (string, error)
	}
	Term Terminal
	// Wait bounds the wait for the phone's first event when its brand has
	// no test request; 0 skips the wait.
	Wait time.Duration
}

// Request is what the person named on the command line.
type Request struct {
	Address, Brand, Username string
}

// Pair pairs the phone: finds its brand, signs in, saves the pairing,
// writes the event URLs where the brand lets a program (else prints them
// to enter), reads them back, and proves that the phone reaches
// dialbridge.
func (c *CLI) Pair(ctx context.Context, req Request) error {
	cfg, err := c.Saver.Files.Load()
	if err != nil {
		return err
	}
	same := req.Address == "" || req.Address == cfg.Phone.Address
	p := form.Pairing{Address: req.Address, Brand: req.Brand, Username: req.Username}
	if p.Address == "" && cfg.Phone.Brand != brands.Demo {
		p.Address = cfg.Phone.Address
	}
	if p.Address == "" {
		if p.Address, err = c.ask(lang.X("pair.ask.address", "The phone's address (e.g. 192.0.2.10): ")); err != nil {
			return err
		}
	}
	if p.Brand == "" && same && cfg.Phone.Brand != brands.Demo {
		p.Brand = cfg.Phone.Brand
	}
	if p.Brand == "" {
		if p.Brand, err = c.Pairer.Detect(ctx, p.Address); err != nil {
			return fmt.Errorf("%w; name the brand with --brand (%s)", err, strings.Join(brands.Names(), ", "))
		}
		c.say(lang.X("pair.brand", "The phone at {{.Address}} is a {{.Brand}} phone.", map[string]any{"Address": p.Address, "Brand": p.Brand}))
	}
	if b, ok := brands.Lookup(p.Brand); ok && b.NoEventURLs != "" {
		return fmt.Errorf("a %s phone has no web interface for dialbridge pair to sign in to; pair it under Settings › Phone (\"dialbridge ui settings phone\")", p.Brand)
	}
	if p.Username == "" && same {
		p.Username = cfg.Phone.Username
	}
	if err := c.signIn(ctx, cfg, &p, same); err != nil {
		return err
	}
	if err := c.Saver.Pair(ctx, p); err != nil {
		return err
	}
	c.say(lang.X("pair.saved", "Saved: the phone in the config file, its password in the system keyring."))
	s := p.Settings(cfg)
	if saved, err := c.Saver.Files.Load(); err == nil {
		s = saved.Phone.Settings(p.Password)
	}
	return c.events(ctx, s)
}

// signIn finds the password (the stored one for the same phone, else
// asked) and proves the phone takes it; a refused stored password is
// asked for once, never tried again (Yealink locks out a client after a
// few failed logins).
func (c *CLI) signIn(ctx context.Context, cfg config.Config, p *form.Pairing, same bool) error {
	stored := false
	if same && c.Secrets != nil {
		if pw, err := c.Secrets.Get(config.SecretPhone); err == nil && pw != "" {
			p.Password, stored = pw, true
		}
	}
	if !stored {
		pw, err := c.secret(lang.X("pair.ask.password", "Password of the phone's web interface: "))
		if err != nil {
			return err
		}
		p.Password = pw
	}
	err := c.check(ctx, cfg, p)
	if phone.KindOf(err) == phone.ErrAuth && stored && c.Term.AskSecret != nil {
		c.say(lang.X("pair.stored.refused", "The phone refused the stored password."))
		if p.Password, err = c.secret(lang.X("pair.ask.password", "Password of the phone's web interface: ")); err != nil {
			return err
		}
		err = c.check(ctx, cfg, p)
	}
	switch {
	case errors.Is(err, ErrUnverifiable):
		c.say(lang.X("pair.unverified", "This phone cannot check a password without acting on it; the first dial will show whether it is right."))
	case err != nil:
		return err
	default:
		c.say(lang.X("pair.accepted", "The phone accepted the user name and password."))
	}
	return nil
}

// check tests p's credentials; an HTTPS phone's certificate seen now is
// the one pinned.
func (c *CLI) check(ctx context.Context, cfg config.Config, p *form.Pairing) error {
	s := p.Settings(cfg)
	var mu sync.Mutex
	s.OnNewFingerprint = func(fp string) {
		mu.Lock()
		p.Fingerprint = fp
		mu.Unlock()
	}
	err := c.Pairer.Check(ctx, s)
	mu.Lock()
	defer mu.Unlock()
	return err
}

// events sets up the phone's event URLs and proves that one arrives.
func (c *CLI) events(ctx context.Context, s brands.Settings) error {
	setup, err := c.Pairer.SetUpEvents(ctx, s)
	if err != nil && len(setup.Settings) == 0 {
		return err
	}
	switch {
	case err != nil:
		c.say(lang.X("pair.events.refused", "The phone did not take the settings ({{.Err}}). Enter them in its web interface ({{.Where}}):", map[string]any{"Err": i18n.Error(err), "Where": setup.Where}))
	case setup.Automatic && setup.ReadBack:
		c.say(lang.X("pair.events.verified", "dialbridge set {{.Count}} settings on the phone and read them back:", map[string]any{"Count": len(setup.Settings)}))
	case setup.Automatic:
		c.say(lang.X("pair.events.set", "dialbridge set {{.Count}} settings on the phone:", map[string]any{"Count": len(setup.Settings)}))
	default:
		c.say(lang.X("pair.events.manual", "This phone does not let a program change its settings. Enter these in its web interface ({{.Where}}):", map[string]any{"Where": setup.Where}))
	}
	for _, st := range setup.Settings {
		fmt.Fprintf(c.Term.Out, "  %s\n", st)
	}
	if err != nil {
		return nil
	}
	return c.test(ctx, s)
}

// test proves that the phone reaches dialbridge: its test request, or a
// call the person makes.
func (c *CLI) test(ctx context.Context, s brands.Settings) error {
	if _, err := c.Pairer.Listener.Seen(ctx); err != nil {
		c.say(lang.X("pair.test.not_running", "dialbridge is not running, so no event from the phone can arrive yet: start it, then run \"dialbridge doctor\" to check that the phone reaches it."))
		return nil
	}
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err := c.Pairer.FirewallTest(tctx, s)
	cancel()
	switch {
	case err == nil:
		c.say(lang.X("pair.test.ok", "The phone's test request reached dialbridge: the phone is paired."))
		return nil
	case !errors.Is(err, ErrNoFirewallTest):
		return fmt.Errorf("%w; run \"dialbridge doctor\" to find out why", err)
	case c.Wait <= 0:
		c.say(lang.X("pair.test.skipped", "Make a call to check that the phone reaches dialbridge; \"dialbridge doctor\" shows what arrived."))
		return nil
	}
	c.say(lang.X("pair.test.call", "Make a call now (call the phone, or dial from it): waiting up to {{.Wait}} for its first event…", map[string]any{"Wait": c.Wait.String()}))
	wctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	if err := c.Pairer.WaitForPhone(wctx, time.Now()); err != nil {
		return errors.New("no event from the phone arrived; run \"dialbridge doctor\" to find out why")
	}
	c.say(lang.X("pair.test.arrived", "The phone's event reached dialbridge: the phone is paired."))
	return nil
}

func (c *CLI) say(s string) { fmt.Fprintln(c.Term.Out, s) }

func (c *CLI) ask(prompt string) (string, error) {
	if c.Term.Ask == nil {
		return "", errors.New("no phone address given: name it, as in \"dialbridge pair 192.0.2.10\"")
	}
	s, err := c.Term.Ask(prompt)
	if err == nil && strings.TrimSpace(s) == "" {
		err = errors.New("no phone address given")
	}
	return strings.TrimSpace(s), err
}

func (c *CLI) secret(prompt string) (string, error) {
	if c.Term.AskSecret == nil {
		return "", errors.New("no password: set DIALBRIDGE_PHONE_PASSWORD, or run \"dialbridge pair\" in a terminal")
	}
	return c.Term.AskSecret(prompt)
}
