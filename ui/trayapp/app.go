// Package trayapp is the resident's face on the desktop: the tray icon and
// menu, what its clicks do, the phone check behind its status line, and
// the dial pad in its place where the desktop shows no tray icons.
//
// It follows ui/tray's split: the model holds what the menu shows, the
// view mirrors it onto the tray (fyne.io/systray, not the Fyne toolkit),
// and App turns the model's events into actions. What App does to the
// resident goes through the dependencies it is given (Deps), the same
// methods the control API's handlers call, so that a click in the menu and
// a request from a window or a script take one path. Its own state sits
// behind one mutex.
package trayapp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/packaging/macos"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/ui/hotkey"
	"github.com/dialbridge/dialbridge/ui/launch"
	"github.com/dialbridge/dialbridge/ui/notify"
	"github.com/dialbridge/dialbridge/ui/tray"
	"github.com/dialbridge/dialbridge/ui/tray/clipboard"
)

// Calls is the call service as the tray uses it.
type Calls interface {
	// Dial places a call through the path every dial takes (dialing
	// rules, blocked list, rate limit) and returns what the phone dialed.
	// The tray's items are the person's own clicks in dialbridge, so such
	// a dial is never sent back to them to confirm; cmd.Typed says whether
	// the number itself came from the person (a recent call) or from
	// outside (the clipboard, a clicked link), where the blocked list
	// applies.
	Dial(ctx context.Context, cmd control.DialCommand) (string, error)
	// Control carries out op ("answer", "hangup", "hold", "resume",
	// "conference", ...) on the call in progress callID (its GUID or the
	// phone's id).
	Control(ctx context.Context, callID, op string, cmd control.CallCommand) error
	// Journal returns the journal's calls, newest first.
	Journal(ctx context.Context, q control.JournalQuery) ([]control.CallEntry, error)
	// DemoIncoming lets the demo phone ring.
	DemoIncoming(ctx context.Context, d control.DemoCall) error
	// SetDND switches the phone's do not disturb; DND is what is known
	// of it.
	SetDND(ctx context.Context, on bool) (control.DND, error)
	DND() control.DND
	// SetForward switches the phone's call forwarding ("" off); Forward
	// is what dialbridge last set.
	SetForward(ctx context.Context, target string) (control.Forward, error)
	Forward() control.Forward
}

// Deps are what the tray app needs from the resident around it.
type Deps struct {
	Calls Calls
	// Read is what the dialing rules in force make of text: the reading
	// every way in shares, so that the menu shows what a click dials.
	Read func(text string) (dialplan.Reading, error)
	// Phone is the phone the resident is paired with now.
	Phone func() Pairing
	// AfterCheck, when set, runs after each regular phone check (the
	// resident gives back the memory the check touched).
	AfterCheck func()
	// Windows opens the windows the menu offers.
	Windows *launch.Windows
	// Notes tells the person what happened where they may not be looking.
	Notes *notify.Notifications
	// Clipboard reads the clipboard; nil means clipboard.New().
	Clipboard *clipboard.Reader
	// Heal, when set, runs after a check found the phone answering: it
	// keeps the phone's event URLs pointing at this computer
	// (pairing.Healer.Heal).
	Heal func(ctx context.Context)
	// Hotkey is the global hotkey and the selection; the zero Hotkey
	// means ui/hotkey's.
	Hotkey Hotkey
	// Probe checks that the phone's web server answers at addr
	// (host:port); nil means a TCP connect.
	Probe func(ctx context.Context, addr string) error
	Log   *slog.Logger
}

// App feeds the tray model and carries out what the person clicks.
type App struct {
	d     Deps
	model *tray.Model

	mu sync.Mutex
	// reachable is the phone's last known state, nil before the first check.
	reachable *bool
	// stop ends Run (the menu's Quit).
	stop context.CancelFunc

	hotkey hotkeyState
}

// New makes the tray app; the menu shows the phone at once.
func New(d Deps) *App {
	if d.Clipboard == nil {
		d.Clipboard = clipboard.New()
	}
	if d.Probe == nil {
		d.Probe = probeTCP
	}
	if d.Hotkey.Register == nil {
		d.Hotkey = Hotkey{Register: hotkey.Register, Selection: hotkey.Selection, Limits: hotkey.Limits}
	}
	a := &App{d: d, model: tray.NewModel()}
	p, _ := a.phoneInfo()
	a.model.SetPhone(p)
	return a
}

// Model is what the menu shows.
func (a *App) Model() *tray.Model { return a.model }

// HandleCall takes one call event into the menu and the notifications.
// It is a subscriber of the call service and must not block.
func (a *App) HandleCall(ev phone.CallEvent) {
	a.model.HandleCall(ev)
	a.d.Notes.Call(ev)
}

// Show brings the dial pad up: what a second start of dialbridge asks of
// the running one.
func (a *App) Show() error { return a.d.Windows.OpenOnce("dial") }

// trayHostWait is how long a tray host may take to appear before the dial
// pad opens in its place: at login the panel may start after dialbridge.
const trayHostWait = 5 * time.Second

// Run shows the tray until ctx ends or the person picks Quit, and keeps
// the menu up to date (phone, clipboard, recent calls). Where the desktop
// shows no tray icons the dial pad opens instead, so that starting
// dialbridge never leaves the screen empty. Run must be called on the
// program's main goroutine (macOS needs the main thread).
func (a *App) Run(ctx context.Context) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	a.mu.Lock()
	a.stop = stop
	a.mu.Unlock()
	go a.watchPhone(ctx)
	go a.RefreshClipboard(ctx)
	go a.loadRecent(ctx)
	// On macOS a clicked link reaches the running app as an Apple Event,
	// not as an argument of a new process; elsewhere this does nothing.
	macos.OnOpenURL(func(link string) {
		go func() {
			// From a page or a mail, not typed: the blocked list applies.
			if err := a.dial(ctx, link, false, control.SourcePhoneLink); err != nil {
				a.d.Log.Warn("the clicked link was not dialed", "link", link, "error", err.Error())
			}
		}()
	})
	if err := trayUsable(); err != nil {
		// Still useful: listener, phone, notifications where possible.
		a.d.Log.Warn("no tray icon: the desktop's status area cannot be reached; dialbridge runs on without it and opens the dial pad; quit with \"dialbridge quit\"", "error", err.Error())
		a.openInsteadOfTray()
		<-ctx.Done()
		return
	}
	go func() {
		if !awaitTrayHost(ctx, trayHostWait) && ctx.Err() == nil {
			a.d.Log.Warn(noTrayHostAdvice)
			a.openInsteadOfTray()
		}
	}()
	tray.Run(ctx, a.model, tray.Options{
		Title:   "dialbridge",
		OnEvent: func(ev tray.Event) { go func() { _ = a.Handle(ctx, ev) }() },
		OnOpen: func() {
			go a.RefreshClipboard(ctx)
			go a.checkPhone(ctx)
		},
	})
}

// openInsteadOfTray opens the dial pad when no tray icon can be shown.
func (a *App) openInsteadOfTray() {
	if err := a.Show(); err != nil {
		a.d.Log.Error("the dial pad could not be opened", "error", err.Error())
	}
}

// Handle carries out one click. Its error is also logged and shown as a
// notification, since the person clicked and is waiting for something.
func (a *App) Handle(ctx context.Context, ev tray.Event) error {
	a.d.Log.Debug("tray click", "event", ev.Kind.String())
	var err error
	switch ev.Kind {
	case tray.EventDial:
		err = a.d.Windows.OpenOnce("dial")
	case tray.EventTransfer:
		// The dial pad asks for the target and transfers the call.
		err = a.d.Windows.OpenOnce("dial", "--transfer="+callRef(ev.Call))
	case tray.EventTones:
		// The dial pad in tone mode sends each key's tone in the call.
		err = a.d.Windows.OpenOnce("dial", "--tones="+callRef(ev.Call))
	case tray.EventConsult:
		// The dial pad asks for the target, consults it and then
		// completes or cancels the transfer.
		err = a.d.Windows.OpenOnce("dial", "--consult="+callRef(ev.Call))
	case tray.EventDND:
		err = a.setDND(ctx, ev.On)
	case tray.EventForward:
		err = a.forward(ctx, ev.On)
	case tray.EventJournal:
		err = a.d.Windows.OpenOnce("journal")
	case tray.EventSettings:
		err = a.d.Windows.OpenOnce("settings")
	case tray.EventPair:
		err = a.d.Windows.OpenOnce("pair")
	case tray.EventAbout:
		err = a.d.Windows.OpenOnce("about")
	case tray.EventWhatsWrong:
		err = a.d.Windows.OpenOnce("whatswrong")
	case tray.EventQuit:
		a.mu.Lock()
		stop := a.stop
		a.mu.Unlock()
		if stop != nil {
			stop()
		}
	case tray.EventDialClipboard:
		err = a.dialClipboard(ctx, ev.Number)
	case tray.EventCallBack:
		// The person picked the number in dialbridge's own menu.
		err = a.dial(ctx, ev.Number, true, "tray: recent calls")
	case tray.EventAnswer, tray.EventHangup, tray.EventHold, tray.EventResume, tray.EventConference:
		err = a.control(ctx, ev)
	case tray.EventSimulateIncoming:
		err = a.d.Calls.DemoIncoming(ctx, control.DemoCall{})
	}
	a.report(ev.Kind.String(), err)
	return err
}

// report tells the person, in the log and as a notification, that what
// they asked for (what) failed with err; nil says nothing.
func (a *App) report(what string, err error) {
	if err != nil {
		a.d.Log.Warn("the tray could not do what was asked", "event", what, "error", err.Error())
		if !actionurl.Reported(err) {
			a.d.Notes.Failed(err)
		}
	}
}

// dial places a call through the same path as every other dial, so the
// dialing rules, the blocked list and the rate limit apply.
func (a *App) dial(ctx context.Context, number string, typed bool, source string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := a.d.Calls.Dial(ctx, control.DialCommand{Number: number, Typed: typed, Source: source})
	if err != nil && phone.KindOf(err) == phone.ErrUnreachable {
		// The phone is gone: say so now rather than at the next check.
		go a.checkPhone(context.WithoutCancel(ctx))
	}
	return err
}

// dialClipboard dials what the menu showed, or, where the menu could not
// be refreshed when it opened, what the clipboard holds now. Text from the
// clipboard was not typed by the person: the blocked list applies.
func (a *App) dialClipboard(ctx context.Context, shown string) error {
	if shown == "" {
		text, err := phonekeys.ClipboardNumber(ctx, a.d.Clipboard.Read)
		if err != nil {
			return err
		}
		shown = text
	}
	return a.dial(ctx, shown, false, control.SourceClipboard)
}

// callOps are the call service's names of the tray's call actions.
var callOps = map[tray.EventKind]string{
	tray.EventAnswer: "answer", tray.EventHangup: "hangup", tray.EventHold: "hold", tray.EventResume: "resume",
	tray.EventConference: "conference",
}

// setDND switches the phone's do not disturb; the menu follows through
// PhoneChanged.
func (a *App) setDND(ctx context.Context, on bool) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := a.d.Calls.SetDND(ctx, on)
	return err
}

// forward opens the dial pad asking where the phone is to forward its
// calls, or switches forwarding off; the menu follows through
// PhoneChanged.
func (a *App) forward(ctx context.Context, on bool) error {
	if on {
		return a.d.Windows.OpenOnce("dial", "--forward")
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := a.d.Calls.SetForward(ctx, "")
	return err
}

// PhoneChanged shows in the menu the phone's do not disturb and call
// forwarding as the call service knows them now, keeping whether the phone
// answered its last check. The resident calls it whenever either changed
// (resident.App.SubscribePhone), so the menu follows a DND key pressed at
// the phone at once, not at the next check.
func (a *App) PhoneChanged() {
	p, _ := a.phoneInfo()
	if cur := a.model.PhoneStatus(); p.State != tray.PhoneNotPaired {
		p.State = cur.State // the regular check says whether it answers
	}
	a.model.SetPhone(p)
}

// control answers, hangs up, holds or resumes the call through the call
// service, which looks the call up in the tracker and names it the way its
// driver needs (Snom CSTA wants $csta_id).
func (a *App) control(ctx context.Context, ev tray.Event) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := a.d.Calls.Control(ctx, callRef(ev.Call), callOps[ev.Kind], control.CallCommand{})
	if err != nil {
		// The phone may have gone: look now rather than at the next check.
		go a.checkPhone(context.WithoutCancel(ctx))
	}
	return err
}

// callRef names a call for the call service: its GUID, or the phone's id
// when the GUID is not known.
func callRef(c phone.Call) string {
	if c.GUID != "" {
		return c.GUID
	}
	return c.ID
}

// RefreshClipboard reads the clipboard and shows in the menu what dialing
// it would do. The text itself is never logged.
func (a *App) RefreshClipboard(ctx context.Context) {
	text, err := a.d.Clipboard.Read(ctx)
	if errors.Is(err, clipboard.ErrUnavailable) {
		a.model.SetClipboard(tray.Clipboard{Unreadable: true})
		return
	}
	if err != nil {
		a.d.Log.Debug("could not read the clipboard", "error", err.Error())
		return
	}
	c := tray.Clipboard{Read: true, Text: text}
	// The same reading the dial will get when the item is clicked: what
	// the menu shows is what the phone dials, or why it will not.
	if text != "" {
		if rd, err := a.d.Read(text); err == nil {
			c.Dial = rd.Dial
			c.Blocked = rd.Blocked != nil
		}
	}
	a.model.SetClipboard(c)
}
