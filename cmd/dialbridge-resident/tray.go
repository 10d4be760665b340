package main

import (
	"os"
	"runtime"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/packaging/macos"

	"github.com/dialbridge/dialbridge/cmd/internal/reach"

	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/ui/tray"
	"github.com/dialbridge/dialbridge/ui/tray/clipboard"
)

// phoneCheckEvery is how often the tray checks that the phone still
// answers: often enough to notice a pulled cable within a minute, rarely
// enough to cost nothing (one TCP connect).
const phoneCheckEvery = 30 * time.Second

// runTray runs the resident for the desktop session: everything serve does,
// plus the tray icon and menu, notifications and the confirmation window.
// A second start does not fight the first one for the port: it asks the
// running one to show its dial pad and exits.
func runTray(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgFlag := cli.NewFlags("tray", stderr)
	demo := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "the tray app takes no arguments besides its flags"}
	}
	path, err := control.ConfigPath(*cfgFlag)
	if err != nil {
		return err
	}
	if c, err := reach.Connect(ctx, control.FilePath(path)); err == nil {
		if err := c.Show(ctx); err != nil {
			return fmt.Errorf("dialbridge is already running but did not come forward: %w", err)
		}
		fmt.Fprintln(stdout, "dialbridge is already running; its dial pad is open.")
		return nil
	}

	log := newLogger(stderr)
	if err := i18n.Load(); err != nil {
		log.Warn("the menu will be in English", "error", err.Error())
	}
	ctx, quit := context.WithCancel(ctx)
	defer quit()
	a := &trayApp{
		cfgPath: path,
		log:     log,
		model:   tray.NewModel(),
		clip:    clipboard.New(),
		probe:   probeTCP,
		quit:    quit,
		windows: map[string]*exec.Cmd{},
	}
	var n notifier = beeepNotifier{body: newNotificationBody()}
	if err := notificationService(); err != nil {
		log.Warn("no notification service: notifications are off", "why", err.Error())
		n = nil
	}
	a.notes = newNotifications(n, log, ctx.Done())
	confirmer := &windowConfirmer{open: a.openWindow, timeout: confirmTimeout, asking: a.notes.confirming}
	r, err := startResident(residentOptions{configPath: path, demo: *demo, canConfirm: true, confirmer: confirmer, onRefused: a.notes.refused, log: log})
	if err != nil {
		return err
	}
	a.attach(r)

	served := make(chan error, 1)
	go func() {
		served <- r.serve(ctx)
		quit()
	}()
	go a.watchPhone(ctx)
	go a.refreshClipboard(ctx)
	go a.loadRecent(ctx, a.recent)
	// On macOS a clicked link reaches the running app as an Apple Event,
	// not as an argument of a new process; elsewhere this does nothing.
	macos.OnOpenURL(func(link string) {
		go func() {
			// From a page or a mail, not typed: the blocked list applies.
			if err := a.dial(ctx, link, false, "phone link"); err != nil {
				log.Warn("the clicked link was not dialed", "link", link, "error", err.Error())
			}
		}()
	})
	if err := trayUsable(); err != nil {
		// Still useful: listener, phone, notifications where possible.
		log.Warn("no tray icon: the desktop's status area cannot be reached; dialbridge runs on without it and opens the dial pad; quit with \"dialbridge quit\"", "error", err.Error())
		a.openInsteadOfTray()
		<-ctx.Done()
	} else {
		go func() {
			if !awaitTrayHost(ctx, trayHostWait) && ctx.Err() == nil {
				log.Warn(noTrayHostAdvice)
				a.openInsteadOfTray()
			}
		}()
		tray.Run(ctx, a.model, tray.Options{
			Title:   "dialbridge",
			OnEvent: func(ev tray.Event) { go a.handle(ctx, ev) },
			OnOpen: func() {
				go a.refreshClipboard(ctx)
				go a.checkPhone(ctx)
			},
		})
	}
	quit()
	a.closeWindows()
	err = <-served
	log.Info("dialbridge stopped")
	return err
}

// trayHostWait is how long a tray host may take to appear before the dial
// pad opens in its place: at login the panel may start after dialbridge.
const trayHostWait = 5 * time.Second

// openInsteadOfTray opens the dial pad when no tray icon can be shown, so
// that starting dialbridge never leaves the screen empty.
func (a *trayApp) openInsteadOfTray() {
	if err := a.openWindowOnce("dial"); err != nil {
		a.log.Error("the dial pad could not be opened", "error", err.Error())
	}
}

// trayApp is the tray app's part of the resident: it feeds the tray model
// and carries out what the person clicks.
type trayApp struct {
	cfgPath string
	r       *resident
	log     *slog.Logger
	model   *tray.Model
	notes   *notifications
	clip    *clipboard.Reader
	// probe checks that the phone's web server answers at addr (host:port).
	probe func(ctx context.Context, addr string) error
	// recent gives the calls of earlier runs (the journal); nil keeps the
	// recent list to this run's calls.
	recent recentSource
	quit   context.CancelFunc

	mu sync.Mutex
	// reachable is the phone's last known state, nil before the first check.
	reachable *bool
	windows   map[string]*exec.Cmd
}

// attach subscribes the tray to r's calls and adds the
// control endpoints the tray needs. It runs before r serves.
func (a *trayApp) attach(r *resident) {
	a.r = r
	r.subscribe(func(ev phone.CallEvent) {
		a.model.HandleCall(ev)
		a.notes.call(ev)
	})
	if r.calls != nil {
		a.recent = recentFromJournal(r.calls.journal)
	}
	// A second `dialbridge` start asks the running one to come forward;
	// it opens the dial pad.
	r.setShow(func() error { return a.openWindowOnce("dial") })
	p, _ := a.phoneInfo()
	a.model.SetPhone(p)
}

// openWindow starts a window process for the config this resident runs.
func (a *trayApp) openWindow(name string, args ...string) (*exec.Cmd, error) {
	return openWindow(a.cfgPath, name, args...)
}

// openWindowOnce opens a window unless the same one is open already: a
// second click must not stack up dial pads.
func (a *trayApp) openWindowOnce(name string, args ...string) error {
	key := strings.Join(append([]string{name}, args...), " ")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.windows[key] != nil {
		return nil
	}
	cmd, err := a.openWindow(name, args...)
	if err != nil {
		return err
	}
	a.windows[key] = cmd
	go func() {
		if err := cmd.Wait(); err != nil {
			a.log.Warn("a window ended with an error", "window", name, "error", err.Error())
		}
		a.mu.Lock()
		delete(a.windows, key)
		a.mu.Unlock()
	}()
	return nil
}

// closeWindows asks every window this tray opened to close: without the
// resident they could show nothing and do nothing. A window process quits
// on an interrupt; Windows has none to send, so it is ended there.
func (a *trayApp) closeWindows() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, cmd := range a.windows {
		if runtime.GOOS == "windows" || cmd.Process.Signal(os.Interrupt) != nil {
			_ = cmd.Process.Kill()
		}
	}
}

// handle carries out one click.
func (a *trayApp) handle(ctx context.Context, ev tray.Event) {
	a.log.Debug("tray click", "event", ev.Kind.String())
	var err error
	switch ev.Kind {
	case tray.EventDial:
		err = a.openWindowOnce("dial")
	case tray.EventTransfer:
		// The dial pad asks for the target and sends
		// POST /api/v1/call/{id}/transfer.
		err = a.openWindowOnce("dial", "--transfer="+callRef(ev.Call))
	case tray.EventJournal:
		err = a.openWindowOnce("journal")
	case tray.EventSettings:
		err = a.openWindowOnce("settings")
	case tray.EventPair:
		err = a.openWindowOnce("pair")
	case tray.EventAbout:
		err = a.openWindowOnce("about")
	case tray.EventQuit:
		a.quit()
	case tray.EventDialClipboard:
		err = a.dialClipboard(ctx, ev.Number)
	case tray.EventCallBack:
		// The person picked the number in dialbridge's own menu.
		err = a.dial(ctx, ev.Number, true, "tray: recent calls")
	case tray.EventAnswer, tray.EventHangup, tray.EventHold, tray.EventResume:
		err = a.control(ctx, ev)
	case tray.EventSimulateIncoming:
		err = a.simulateIncoming(ctx)
	}
	if err != nil {
		a.log.Warn("the tray could not do what was asked", "event", ev.Kind.String(), "error", err.Error())
		a.notes.failed(err)
	}
}

// dial places a call through the same path as every other dial, so the
// dialing rules, the blocked list and the rate limit apply.
func (a *trayApp) dial(ctx context.Context, number string, typed bool, source string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := a.r.dial.Dial(ctx,
		actionurl.DialRequest{Number: number, Format: actionurl.FormatControl, Typed: typed},
		actionurl.Verdict{Trust: actionurl.TrustTyped, Origin: source})
	a.afterPhoneError(ctx, err)
	return err
}

// dialClipboard dials what the menu showed, or, where the menu could not
// be refreshed when it opened, what the clipboard holds now. Text from the
// clipboard was not typed by the person: the blocked list applies.
func (a *trayApp) dialClipboard(ctx context.Context, shown string) error {
	if shown == "" {
		text, err := a.clip.Read(ctx)
		if err != nil {
			return err
		}
		if text == "" {
			return errors.New("the clipboard holds no phone number")
		}
		shown = text
	}
	return a.dial(ctx, shown, false, "tray: clipboard")
}

// callOps are the control API's names of the tray's call actions.
var callOps = map[tray.EventKind]string{
	tray.EventAnswer: "answer", tray.EventHangup: "hangup", tray.EventHold: "hold", tray.EventResume: "resume",
}

// control answers, hangs up, holds or resumes the call through the same
// control endpoint the windows use, so that the call is looked up in the
// tracker and named the way its driver needs (Snom CSTA wants $csta_id).
func (a *trayApp) control(ctx context.Context, ev tray.Event) error {
	id := callRef(ev.Call)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := a.client().Call(ctx, id, callOps[ev.Kind], control.CallCommand{})
	if err != nil {
		// The phone may have gone: look now rather than at the next check.
		go a.checkPhone(context.WithoutCancel(ctx))
	}
	return err
}

// callRef names a call for the control API: its GUID, which the call
// endpoints accept, or the phone's id when the GUID is not known.
func callRef(c phone.Call) string {
	if c.GUID != "" {
		return c.GUID
	}
	return c.ID
}

// client talks to this resident's own control API.
func (a *trayApp) client() *control.Client { return control.NewClient(a.r.ctlFile, nil) }

// simulateIncoming asks the resident's demo endpoint to let the simulated
// phone ring, the same request a test or a script would send.
func (a *trayApp) simulateIncoming(ctx context.Context) error {
	return a.client().DemoIncoming(ctx, control.DemoCall{})
}

// afterPhoneError checks the phone at once when an action found it gone,
// instead of waiting for the next regular check.
func (a *trayApp) afterPhoneError(ctx context.Context, err error) {
	if err != nil && phone.KindOf(err) == phone.ErrUnreachable {
		go a.checkPhone(context.WithoutCancel(ctx))
	}
}

// refreshClipboard reads the clipboard and shows in the menu what dialing
// it would do. The text itself is never logged.
func (a *trayApp) refreshClipboard(ctx context.Context) {
	text, err := a.clip.Read(ctx)
	if errors.Is(err, clipboard.ErrUnavailable) {
		a.model.SetClipboard(tray.Clipboard{Unreadable: true})
		return
	}
	if err != nil {
		a.log.Debug("could not read the clipboard", "error", err.Error())
		return
	}
	c := tray.Clipboard{Read: true, Text: text}
	// The same reading the dial will get when the item is clicked: what
	// the menu shows is what the phone dials, or why it will not.
	if text != "" {
		if rd, err := a.r.read(text); err == nil {
			c.Dial = rd.Dial
			c.Blocked = rd.Blocked != nil
		}
	}
	a.model.SetClipboard(c)
}

// phoneInfo describes the paired phone for the menu, with the address
// (host:port) that shows whether it is reachable.
func (a *trayApp) phoneInfo() (tray.Phone, string) {
	r := a.r
	r.mu.Lock()
	cfg, drv, sim := r.cfg.Phone, r.driver, r.sim
	r.mu.Unlock()
	if drv == nil {
		return tray.Phone{State: tray.PhoneNotPaired}, ""
	}
	p := tray.Phone{State: tray.PhoneReady, Caps: drv.Capabilities()}
	address := cfg.Address
	if cfg.Brand == brands.Demo {
		p.Demo = true
		if sim != nil {
			address = sim.URL()
		}
	}
	u, err := phonehttp.ParseAddress(address)
	if err != nil {
		return tray.Phone{State: tray.PhoneNotPaired}, ""
	}
	if !p.Demo {
		p.Name = cfg.Brand + " at " + u.Hostname()
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	return p, host
}

// watchPhone checks the phone now and every phoneCheckEvery until ctx ends.
func (a *trayApp) watchPhone(ctx context.Context) {
	t := time.NewTicker(phoneCheckEvery)
	defer t.Stop()
	for {
		a.checkPhone(ctx)
		a.r.releaseAfterCheck()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkPhone updates the menu with the phone's state and tells the person
// when the phone stops or starts answering.
func (a *trayApp) checkPhone(ctx context.Context) {
	p, addr := a.phoneInfo()
	if p.State == tray.PhoneNotPaired {
		a.model.SetPhone(p)
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	ok := a.probe(pctx, addr) == nil
	cancel()
	if ctx.Err() != nil {
		return // shutting down: say nothing about the phone
	}
	if !ok {
		p.State = tray.PhoneUnreachable
	}
	a.model.SetPhone(p)
	a.mu.Lock()
	was := a.reachable
	a.reachable = &ok
	a.mu.Unlock()
	// Translated only when said: this runs every 30 s while waiting.
	name := func() string {
		if p.Demo {
			return lang.L("The simulated phone")
		}
		return p.Name
	}
	switch {
	case was == nil && !ok, was != nil && *was && !ok:
		a.notes.reachability(name(), false)
	case was != nil && !*was && ok:
		a.notes.reachability(name(), true)
	}
}

// probeTCP reports whether something accepts connections at addr: the
// phone's web server, for every brand alike.
func probeTCP(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}
