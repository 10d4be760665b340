package main

import (
	"github.com/dialbridge/dialbridge/cmd/internal/idlemem"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// resident is the long-running part of dialbridge: config, phone driver,
// listener and control API. The headless serve and the tray app both run
// one; the tray adds its menu and notifications on top.
type resident struct {
	cfgPath string
	log     *slog.Logger
	secrets config.Secrets

	mu sync.Mutex
	// show is what control.RouteShow does; nil without a tray.
	show   func() error
	cfg    config.Config
	driver phone.Driver
	rules  dialplan.Rules

	canConfirm bool
	// demo: paired with the simulated phone whatever the config says.
	demo bool

	dial     *actionurl.DialService
	control  *actionurl.Control
	listener *actionurl.Listener
	lns      []net.Listener
	ctlPath  string
	ctlFile  control.File
	sim      brands.Simulator
	// demoPhone is what the demo phone reports its calls through; made
	// at the first pairing with it, it lives as long as the resident, so
	// that calls survive a reload that starts a new simulator.
	demoPhone phone.CallPlayer
	calls     *calls.Service // phone events, journal, outgoing action URLs, call operations
	watch     *callWatch     // the driver following the phone's calls itself, or nil (watch.go)
	// lan is the address of the socket for the phone's events on the
	// LAN; invalid when the listener is loopback only.
	lan netip.Addr

	// mem gives back memory after start-up and after periodic checks,
	// leaving the dial path's pages alone while a person is dialing.
	mem      idlemem.Pacer
	cleanups []func()

	// stop ends serve: POST /api/v1/quit (`dialbridge quit`), the way to
	// quit where no tray shows a menu.
	stop context.CancelFunc

	subMu       sync.Mutex
	subscribers []func(phone.CallEvent)
}

// subscribe registers f to be told of every call event (the five
// phone.Actions). The tray, notifications, journal and outgoing action URLs
// each subscribe. f is called on the tracker's goroutine and must not block.
func (r *resident) subscribe(f func(phone.CallEvent)) {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	r.subscribers = append(r.subscribers, f)
}

// publish tells every subscriber of ev, in the order they subscribed.
func (r *resident) publish(ev phone.CallEvent) {
	r.subMu.Lock()
	subs := slices.Clone(r.subscribers)
	r.subMu.Unlock()
	for _, f := range subs {
		f(ev)
	}
}

// residentOptions are the command-line choices that shape a resident.
type residentOptions struct {
	configPath string
	// demo pairs with a built-in simulated phone whatever the config says.
	demo bool
	// canConfirm: a person can be asked about doubtful dial requests.
	canConfirm bool
	confirmer  actionurl.Confirmer
	// onRefused hears of refused dial requests (debounced), to notify.
	onRefused func(actionurl.RefusalReport)
	log       *slog.Logger
}

// startResident loads the config, pairs the phone and opens the listener.
// The listener serves once serve is called. Why it could not start is also
// left beside the config file, for the link or `dial` that started it in
// the background and waits for it.
func startResident(o residentOptions) (*resident, error) {
	path, err := control.ConfigPath(o.configPath)
	if err != nil {
		return nil, err
	}
	r, err := openResident(o, path)
	control.WriteStartFailure(path, err)
	return r, err
}

// openResident is startResident for the config file at path.
func openResident(o residentOptions, path string) (*resident, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	r := &resident{cfgPath: path, log: o.log, cfg: cfg, demo: o.demo, canConfirm: o.canConfirm && o.confirmer != nil}
	r.mem.Log = o.log
	if o.demo {
		r.cfg.Phone.Brand = brands.Demo
	}
	if err := r.pair(); err != nil {
		r.close()
		return nil, err
	}
	r.rules = r.cfg.Dialing.Rules()
	r.dial = &actionurl.DialService{
		Phone:   r.currentDriver,
		Prepare: r.prepare,
		// Five dials at once, then one every three seconds: more than a
		// person clicks, far less than a toll-fraud script wants.
		Limit:     rate.NewLimiter(rate.Every(3*time.Second), 5),
		Confirmer: o.confirmer,
		Remember:  r.allowOrigin,
		OnRefused: o.onRefused,
		Log:       r.log,
	}
	if err := r.openCalls(); err != nil {
		r.close()
		return nil, err
	}
	policy, err := r.policy()
	if err != nil {
		r.close()
		return nil, err
	}
	token := control.NewToken()
	r.control = actionurl.NewControl(token, r.controlRoutes())
	r.listener = actionurl.NewListener(actionurl.ListenerOptions{
		Policy:     policy,
		Switches:   switchesFrom(r.cfg.Listener),
		Dial:       r.dial,
		Control:    r.control,
		Events:     r.calls.Events(),
		CanConfirm: r.canConfirm,
		Log:        r.log,
	})
	r.lns, err = actionurl.Listen(r.cfg.Listener.Port)
	if err != nil {
		r.close()
		return nil, err
	}
	port := r.lns[0].Addr().(*net.TCPAddr).Port
	if err := r.startCalls(port); err != nil {
		r.close()
		return nil, err
	}
	r.ctlPath = control.FilePath(path)
	r.ctlFile = control.File{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: token, PID: os.Getpid()}
	if err := actionurl.WriteControlFile(r.ctlPath, r.ctlFile); err != nil {
		r.close()
		return nil, err
	}
	r.log.Info("dialbridge is listening", "address", r.ctlFile.URL, "phone", r.cfg.Phone.Brand, "config", path)
	return r, nil
}

// reload re-reads the config file after the settings were saved: the
// listener's policy and switches, the dialing rules and the phone change in
// place. The port needs a restart; the answer says so.
func (r *resident) reload() error {
	cfg, err := config.Load(r.cfgPath)
	if err != nil {
		return err
	}
	if r.demo {
		cfg.Phone.Brand = brands.Demo
	}
	r.mu.Lock()
	old := r.cfg
	r.cfg = cfg
	r.rules = cfg.Dialing.Rules()
	var stale brands.Simulator
	repair := cfg.Phone != old.Phone
	if repair && r.sim != nil {
		stale, r.sim = r.sim, nil
	}
	r.mu.Unlock()
	// The demo phone keeps running across reloads; anything else about the
	// phone that changed means pairing again.
	if repair {
		if stale != nil {
			_ = stale.Close()
		}
		if err := r.pair(); err != nil {
			return err
		}
		r.watchCalls()
	}
	policy, err := r.policy()
	if err != nil {
		return err
	}
	r.listener.Update(policy, switchesFrom(cfg.Listener), r.canConfirm)
	r.log.Info("settings reloaded", "config", r.cfgPath)
	if cfg.Listener.Port != old.Listener.Port {
		return fmt.Errorf("the new port %d takes effect when dialbridge restarts", cfg.Listener.Port)
	}
	return nil
}

// pair opens the driver for the configured phone, starting the simulated
// phone in demo mode.
func (r *resident) pair() error {
	r.mu.Lock()
	p := r.cfg.Phone
	r.mu.Unlock()
	var s brands.Settings
	if p.Brand == brands.Demo {
		r.mu.Lock()
		if r.demoPhone == nil {
			// The far end picks up a dialed call after 1.5 s, so that a
			// person sees it ring out first.
			r.demoPhone = brands.NewDemoEvents(p.Identity, 1500*time.Millisecond,
				func(err error) { r.log.Warn("the simulated phone could not report a call", "error", err) })
		}
		events := r.demoPhone
		r.mu.Unlock()
		sim, settings, err := brands.StartDemo(events)
		if err != nil {
			return fmt.Errorf("starting the simulated phone: %w", err)
		}
		r.mu.Lock()
		r.sim = sim
		r.mu.Unlock()
		s = settings
		r.log.Info("paired with the simulated demo phone", "address", sim.URL())
	} else {
		pw, err := r.secrets.Get(config.SecretPhone)
		if err != nil && !errors.Is(err, config.ErrNoSecret) {
			// Start anyway: the listener, journal and tray still work, and
			// the first dial will say the phone refused the password.
			r.log.Error("the phone password is not available; dialing will fail until it is", "error", err)
		}
		s = p.Settings(pw)
		// Trust on first use: remember the certificate the phone showed.
		// Called during the handshake, so the file is written aside.
		s.OnNewFingerprint = func(fp string) { go r.savePin(fp) }
	}
	s.Identity = p.Identity
	drv, err := brands.Open(s)
	if err != nil {
		return fmt.Errorf("phone: %w", err)
	}
	r.mu.Lock()
	r.driver = drv
	r.mu.Unlock()
	return nil
}

// allowOrigin is the confirmation prompt's "Always allow this origin": the
// origin joins listener.allowed_origins in the config file, and the
// listener takes it at once.
func (r *resident) allowOrigin(origin string) error {
	_, err := config.Edit(r.cfgPath, func(c *config.Config) bool {
		if slices.Contains(c.Listener.AllowedOrigins, origin) {
			return false
		}
		c.Listener.AllowedOrigins = append(c.Listener.AllowedOrigins, origin)
		return true
	})
	if err != nil {
		return err
	}
	return r.reload()
}

// savePin stores the phone's certificate fingerprint, trusted on first use,
// in the config file, so that a different certificate is refused from now on.
func (r *resident) savePin(fp string) {
	pinned := false
	_, err := config.Edit(r.cfgPath, func(c *config.Config) bool {
		pinned = c.Phone.TLSFingerprint == ""
		if pinned {
			c.Phone.TLSFingerprint = fp
		}
		return pinned
	})
	if err != nil {
		r.log.Error("could not remember the phone's certificate", "error", err)
		return
	}
	if !pinned {
		return
	}
	r.mu.Lock()
	r.cfg.Phone.TLSFingerprint = fp
	r.mu.Unlock()
	r.log.Info("trusting the phone's certificate from now on", "sha256", fp)
}

func (r *resident) currentDriver() phone.Driver {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.driver
}

// policy builds the listener's security policy from the config and the
// listener password in the keyring.
func (r *resident) policy() (*actionurl.Policy, error) {
	l := r.cfg.Listener
	var pw string
	if l.Username != "" {
		var err error
		pw, err = r.secrets.Get(config.SecretListener)
		if errors.Is(err, config.ErrNoSecret) {
			return nil, errors.New("listener.username is set but no listener password is stored: set it in Settings or in DIALBRIDGE_LISTENER_PASSWORD")
		}
		if err != nil {
			return nil, err
		}
	}
	p, err := actionurl.NewPolicy(l.Port, l.AllowIPs, l.AllowedOrigins, l.Confirm, l.Username, pw)
	if err != nil {
		return nil, err
	}
	p.LANAddr = r.eventAddr()
	return p, nil
}

// prepare is the DialService's Prepare: the one reading every way in
// shares (actionurl.PrepareWith), noting when a person last dialed so the
// periodic memory release leaves the dial path alone meanwhile.
func (r *resident) prepare(number string, typed bool) (string, error) {
	r.mem.Dialed()
	return actionurl.PrepareWith(r.dialRules)(number, typed)
}

// dialRules are the dialing rules in force now (Settings can change them
// while the resident runs).
func (r *resident) dialRules() dialplan.Rules {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rules
}

// read is what the dialing rules make of text right now: the one reading
// the listener, the control API, the tray and `dialbridge normalize` share.
func (r *resident) read(text string) (dialplan.Reading, error) {
	return r.dialRules().Read(text)
}

func switchesFrom(l config.Listener) actionurl.Switches {
	return actionurl.Switches{Enabled: l.Enabled, Incoming: l.Incoming, MakeCall: l.MakeCall}
}

// serve runs the listener until ctx ends.
func (r *resident) serve(ctx context.Context) error {
	defer r.close()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	r.mu.Lock()
	r.stop = stop
	r.mu.Unlock()
	settled := time.AfterFunc(settleAfter, r.mem.AfterStart)
	defer settled.Stop()
	return r.listener.Serve(ctx, r.lns)
}

// settleAfter is when start-up is over: the listener, the phone check and
// the tray menu are done within the first second or two.
const settleAfter = 10 * time.Second

// releaseAfterCheck gives back the memory a periodic check touched,
// unless a call is in progress (cmd/internal/idlemem).
func (r *resident) releaseAfterCheck() {
	r.mem.AfterCheck(r.calls != nil && !r.calls.Idle())
}

// close releases everything the resident holds; the control file is
// removed only if it is still ours (a second instance may own it by now).
func (r *resident) close() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.cleanups = nil
	if r.ctlPath != "" {
		if cf, err := control.ReadFile(r.ctlPath); err == nil && cf.Token == r.ctlFile.Token {
			_ = os.Remove(r.ctlPath)
		}
	}
	for _, ln := range r.lns {
		_ = ln.Close()
	}
	if r.sim != nil {
		_ = r.sim.Close()
		r.sim = nil
	}
	if r.demoPhone != nil {
		r.demoPhone.Close()
	}
}
