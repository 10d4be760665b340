// Package resident is the App that runs all day behind the tray or `dialbridge
// serve`: it composes the config, the paired phone, the dial service, the
// call service and the listener with its control API and control file. The
// program around it (cmd/dialbridge-resident) adds the command line, the
// control routes and the tray.
package resident

import (
	"reflect"

	"github.com/dialbridge/dialbridge/cmd/internal/idlemem"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
	"github.com/dialbridge/dialbridge/phone/paired"
)

// App is the long-running part of dialbridge: config, phone driver,
// listener and control API. The headless serve and the tray app both run
// one; the tray adds its menu and notifications on top.
type App struct {
	cfgPath string
	log     *slog.Logger
	secrets config.Secrets
	version string

	mu sync.Mutex
	// show is what control.RouteShow does; nil without a tray.
	show  func() error
	cfg   config.Config
	rules dialplan.Rules
	phone *paired.Phone

	canConfirm bool
	// demo: paired with the simulated phone whatever the config says.
	demo bool

	dial     *actionurl.DialService
	control  *actionurl.Control
	listener *actionurl.Listener
	lns      []net.Listener
	ctlPath  string
	ctlFile  control.File
	calls    *calls.Service // phone events, journal, outgoing action URLs, call operations
	keys     *phoneKeys     // the phone's function keys bound to dialbridge (keys.go)
	// token is the pairing token made at start, for when the config file
	// could not keep it.
	token  string
	watch  *callWatch // the driver following the phone's calls itself, or nil (watch.go)
	lights *keyLights // the lights of the function keys bound to a state (lights.go)
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
	subscribers []subscriber
	reloaded    []func(config.Config)
}

// subscriber is one part of the program that follows the resident: its
// calls, or the phone's own state.
type subscriber struct {
	call  func(phone.CallEvent)
	phone func()
}

// OnReload registers f to be given the config each time Reload took it
// in (the settings were saved): the parts the program around the App
// adds, like the tray's hotkey, follow the settings without a restart.
func (r *App) OnReload(f func(config.Config)) {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	r.reloaded = append(r.reloaded, f)
}

// Subscribe registers f to be told of every call event (the five
// phone.Actions): the tray subscribes, to show calls and notify of them. f is called on the tracker's goroutine and must not block.
func (r *App) Subscribe(f func(phone.CallEvent)) { r.subscribe(subscriber{call: f}) }

// SubscribePhone registers f to be told that the phone's do not disturb
// or call forwarding changed, switched by dialbridge or at the phone
// (calls.Options.PhoneChanged): the tray's items follow at once. f must
// not block.
func (r *App) SubscribePhone(f func()) { r.subscribe(subscriber{phone: f}) }

func (r *App) subscribe(s subscriber) {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	r.subscribers = append(r.subscribers, s)
}

// publish tells every subscriber of ev, in the order they subscribed.
func (r *App) publish(ev phone.CallEvent) {
	for _, s := range r.subs() {
		if s.call != nil {
			s.call(ev)
		}
	}
}

// phoneChanged tells every subscriber of the phone's state that it
// changed.
func (r *App) phoneChanged() {
	for _, s := range r.subs() {
		if s.phone != nil {
			s.phone()
		}
	}
}

func (r *App) subs() []subscriber {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	return slices.Clone(r.subscribers)
}

// Options are the command-line choices that shape an App, and what the
// program around it adds.
type Options struct {
	// ConfigPath is --config: "" is the default place.
	ConfigPath string
	// Demo pairs with a built-in simulated phone whatever the config says.
	Demo bool
	// CanConfirm: a person can be asked (through Confirmer) about doubtful
	// dial requests, rather than refusing them.
	CanConfirm bool
	Confirmer  actionurl.Confirmer
	// OnRefused hears of refused dial requests (debounced), to notify.
	OnRefused func(actionurl.RefusalReport)
	// Routes is the control API's table of handlers for the App; nil
	// serves none of the endpoints.
	Routes func(*App) map[string]http.Handler
	// Clipboard reads the clipboard for a phone key's dial_clipboard;
	// nil refuses it.
	Clipboard func(ctx context.Context) (string, error)
	// KeyFailed hears of a phone key's action that failed (to notify).
	KeyFailed func(key config.PhoneKey, err error)
	// LookupFailed hears of caller lookup sources that could not answer
	// for a call (calls.Options.LookupFailed), to notify.
	LookupFailed func(err error)
	// Version goes into the User-Agent of outgoing action URLs.
	Version string
	Log     *slog.Logger
}

// Start loads the config, pairs the phone and opens the listener. The
// listener serves once Serve is called. Why it could not start is also
// left beside the config file, for the link or `dial` that started it in
// the background and waits for it.
func Start(o Options) (*App, error) {
	path, err := control.ConfigPath(o.ConfigPath)
	if err != nil {
		return nil, err
	}
	r, err := open(o, path)
	control.WriteStartFailure(path, err)
	return r, err
}

// open is Start for the config file at path.
func open(o Options, path string) (*App, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	r := &App{cfgPath: path, log: o.Log, version: o.Version, cfg: cfg, demo: o.Demo, canConfirm: o.CanConfirm && o.Confirmer != nil}
	r.mem.Log = o.Log
	if o.Demo {
		r.cfg.Phone.Brand = brands.Demo
	}
	r.lights = newKeyLights(r)
	r.phone = paired.New(paired.Options{
		Password: r.phonePassword,
		// Trust on first use: remember the certificate the phone showed.
		// Called during the handshake, so the file is written aside.
		OnNewFingerprint: func(fp string) { go r.savePin(fp) },
		Log:              r.log,
	})
	if err := r.phone.Pair(phoneSettings(r.cfg.Phone)); err != nil {
		r.close()
		return nil, err
	}
	r.rules = r.cfg.Dialing.Rules()
	r.dial = &actionurl.DialService{
		Phone:   r.phone.Driver,
		Prepare: r.prepare,
		// Five dials at once, then one every three seconds: more than a
		// person clicks, far less than a toll-fraud script wants.
		Limit:     rate.NewLimiter(rate.Every(3*time.Second), 5),
		Confirmer: r.countConfirms(o.Confirmer),
		Remember:  r.allowOrigin,
		OnRefused: o.OnRefused,
		Log:       r.log,
	}
	if err := r.openCalls(o.LookupFailed); err != nil {
		r.close()
		return nil, err
	}
	r.openKeys(o)
	policy, err := r.policy()
	if err != nil {
		r.close()
		return nil, err
	}
	token := control.NewToken()
	var routes map[string]http.Handler
	if o.Routes != nil {
		routes = o.Routes(r)
	}
	r.control = actionurl.NewControl(token, routes)
	r.listener = actionurl.NewListener(actionurl.ListenerOptions{
		Policy:     policy,
		Switches:   actionurl.SwitchesFor(r.cfg.Listener),
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
	r.startKeys()
	r.ctlPath = control.FilePath(path)
	r.ctlFile = control.File{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: token, PID: os.Getpid()}
	if err := actionurl.WriteControlFile(r.ctlPath, r.ctlFile); err != nil {
		r.close()
		return nil, err
	}
	r.log.Info("dialbridge is listening", "address", r.ctlFile.URL, "phone", r.cfg.Phone.Brand, "config", path)
	return r, nil
}

// Reload re-reads the config file after the settings were saved: the
// listener's policy and switches, the dialing rules and the phone change in
// place. The port needs a restart; the answer says so.
func (r *App) Reload() error {
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
	r.mu.Unlock()
	// The demo phone keeps running across reloads; anything else about the
	// phone that changed means pairing again. Its function keys and model
	// are not the pairing: a new key binding is written into the phone
	// without pairing it again.
	if !samePairing(cfg.Phone, old.Phone) {
		if err := r.phone.Pair(phoneSettings(cfg.Phone)); err != nil {
			return err
		}
		r.watchCalls()
		// Another phone shows none of the lights the old one was told.
		r.lights.engine.Forget()
	}
	r.lights.changed()
	policy, err := r.policy()
	if err != nil {
		return err
	}
	r.listener.Update(policy, actionurl.SwitchesFor(cfg.Listener), r.canConfirm)
	if keysChanged(cfg, old) {
		r.writeKeysLater()
	}
	r.subMu.Lock()
	reloaded := slices.Clone(r.reloaded)
	r.subMu.Unlock()
	for _, f := range reloaded {
		f(cfg)
	}
	r.log.Info("settings reloaded", "config", r.cfgPath)
	if cfg.Listener.Port != old.Listener.Port {
		return fmt.Errorf("the new port %d takes effect when dialbridge restarts", cfg.Listener.Port)
	}
	return nil
}

// phoneSettings is what the driver of the configured phone p needs,
// without the password (paired.Phone reads it). config.Phone.Settings is
// the one way every part (resident, pair, doctor, wizard) opens the
// configured phone, so a new config key reaches them all at once.
func phoneSettings(p config.Phone) phone.Settings {
	return p.Settings("")
}

// phonePassword is the phone's password from the keyring, "" when none
// is stored.
func (r *App) phonePassword() (string, error) {
	pw, err := r.secrets.Get(config.SecretPhone)
	if errors.Is(err, config.ErrNoSecret) {
		return "", nil
	}
	return pw, err
}

// allowOrigin is the confirmation prompt's "Always allow this origin": the
// origin joins listener.allowed_origins in the config file, and the
// listener takes it at once.
func (r *App) allowOrigin(origin string) error {
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
	return r.Reload()
}

// savePin stores the phone's certificate fingerprint, trusted on first use,
// in the config file, so that a different certificate is refused from now on.
func (r *App) savePin(fp string) {
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

// policy is the listener's security policy as the config sets it now.
func (r *App) policy() (*actionurl.Policy, error) {
	return actionurl.PolicyFor(r.Config().Listener, r.secrets, r.eventAddr())
}

// prepare is the DialService's Prepare: the one reading every way in
// shares (actionurl.PrepareWith), noting when a person last dialed so the
// periodic memory release leaves the dial path alone meanwhile.
func (r *App) prepare(number string, typed bool) (string, error) {
	r.mem.Dialed()
	return actionurl.PrepareWith(r.dialRules)(number, typed)
}

// dialRules are the dialing rules in force now (Settings can change them
// while the resident runs).
func (r *App) dialRules() dialplan.Rules {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rules
}

// Read is what the dialing rules make of text right now: the one reading
// the listener, the control API, the tray and `dialbridge normalize` share.
func (r *App) Read(text string) (dialplan.Reading, error) {
	return r.dialRules().Read(text)
}

// Serve runs the listener until ctx ends, or until Stop.
func (r *App) Serve(ctx context.Context) error {
	defer r.close()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	r.mu.Lock()
	r.stop = stop
	r.mu.Unlock()
	settled := time.AfterFunc(settleAfter, r.releaseStartupMemory)
	defer settled.Stop()
	// The listener outlives ctx by the clearing of the key lights: the
	// phone fetches the screen that turns them off from it.
	serving, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	served := make(chan struct{})
	defer close(served)
	go func() {
		select {
		case <-ctx.Done():
			r.lights.quit()
		case <-served:
		}
		stopServing()
	}()
	return r.listener.Serve(serving, r.lns)
}

// settleAfter is when start-up is over: the listener, the phone check and
// the tray menu are done within the first second or two.
const settleAfter = 10 * time.Second

// releaseStartupMemory gives back what start-up needed and waiting does
// not. The dialing rules are warmed first (dialplan.Rules.Warm): the
// regular expressions libphonenumber compiles for the home country then
// stay on the heap, so the first dial after the release does not compile
// them and page the regexp compiler back in (its page faults went from
// about 190 to 118, the first dial after idle from 6–52 ms to 4–14 ms on a
// loaded machine, for about 0.3 MB of idle memory).
func (r *App) releaseStartupMemory() {
	r.dialRules().Warm()
	r.mem.AfterStart()
}

// ReleaseAfterCheck gives back the memory a periodic check touched,
// unless a call is in progress (cmd/internal/idlemem).
func (r *App) ReleaseAfterCheck() {
	r.mem.AfterCheck(r.calls != nil && !r.calls.Idle())
}

// countConfirms counts c's questions for the confirm_pending light; nil
// stays nil (nobody can be asked).
func (r *App) countConfirms(c actionurl.Confirmer) actionurl.Confirmer {
	if c == nil {
		return nil
	}
	return confirmCounter{Confirmer: c, lights: r.lights}
}

// close releases everything the resident holds; the control file is
// removed only if it is still ours (a second instance may own it by now).
func (r *App) close() {
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
	if r.phone != nil {
		r.phone.Close()
	}
}

// Calls is the call service: the tray and the control API act on calls
// through it.
func (r *App) Calls() *calls.Service { return r.calls }

// Dial is the one path every dial takes, for the control API's handler.
func (r *App) Dial() *actionurl.DialService { return r.dial }

// Phone is the paired phone, for what the tray shows of it.
func (r *App) Phone() *paired.Phone { return r.phone }

// ControlFile is how clients reach this App's control API.
func (r *App) ControlFile() control.File { return r.ctlFile }

// Log is the App's logger, for the program around it.
func (r *App) Log() *slog.Logger { return r.log }

// Stop ends Serve: `dialbridge quit` and the tray's Quit, the way to quit
// where no tray shows a menu. The listener lets a pending answer go out
// before it closes.
func (r *App) Stop() {
	r.mu.Lock()
	stop := r.stop
	r.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// ErrNoTray is Show's answer from an App without a tray.
var ErrNoTray = errors.New("this dialbridge runs without a tray (dialbridge serve): there is no dial pad to bring forward")

// SetShow sets what Show does: the tray opens its dial pad.
func (r *App) SetShow(show func() error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.show = show
}

// Show brings the dial pad forward, for a second `dialbridge` start;
// ErrNoTray without a tray.
func (r *App) Show() error {
	r.mu.Lock()
	show := r.show
	r.mu.Unlock()
	if show == nil {
		return ErrNoTray
	}
	return show()
}

// ConfigPath is the config file the App runs with.
func (r *App) ConfigPath() string { return r.cfgPath }

// samePairing reports whether two [phone] tables pair the same phone the
// same way: equal but for their function keys and model.
func samePairing(a, b config.Phone) bool {
	a.Keys, a.Model = nil, ""
	b.Keys, b.Model = nil, ""
	return reflect.DeepEqual(a, b)
}
