package ui

import (
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// Decision is what the person answered in the confirmation prompt. Its
// values are the exit statuses of `dialbridge ui confirm`, which the tray
// reads through ui/launch (a contract checked from both ends there).
type Decision int

// The answers, numbered as exit statuses.
const (
	// Dial: go ahead this once.
	Dial Decision = 0
	// Refuse: do not dial. Closing the window means the same, so that a
	// dial never happens without an explicit yes.
	Refuse Decision = 1
	// AlwaysAllow: dial, and trust this origin from now on.
	AlwaysAllow Decision = 3
	// Expired: nobody answered before the countdown ran out. No dial
	// either, but nobody refused, and the caller is told so.
	Expired Decision = 4
)

// ConfirmDeps is what the confirmation prompt needs.
type ConfirmDeps struct {
	Env
	// Origin is who asked: a web origin ("https://crm.example") or one of
	// dialbridge's own entries (control.SourcePhoneLink ...).
	Origin string
	// Number is the number as requested; Dial is what the phone would dial
	// ("" when not known).
	Number, Dial string
	// Timeout refuses on its own after this long; 0 means one minute.
	Timeout time.Duration
	// Decided is called once with the answer, after which the window
	// closes.
	Decided func(Decision)
}

// Confirm asks the person whether a dial request that needs consent may go
// ahead: who asked, the number as dialed, and Dial / Refuse / Always allow.
type Confirm struct {
	d        ConfirmDeps
	window   fyne.Window
	deadline time.Time
	decided  bool
	closed   bool

	dialBtn, refuseBtn, alwaysBtn *widget.Button
	countdown                     *widget.Label
	origin, number                *widget.Label
	stop                          chan struct{}
}

// NewConfirm builds the prompt. Call Start to show it and run its timeout.
func NewConfirm(a fyne.App, d ConfirmDeps) *Confirm {
	c := &Confirm{d: d, stop: make(chan struct{})}
	if c.d.Timeout == 0 {
		c.d.Timeout = time.Minute
	}
	c.window = a.NewWindow(lang.X("confirm.title", "Dial this number?"))

	// The origin and the numbers are whatever the client sent (a program
	// can put anything into an Origin header): shown as tray.Asker and
	// display.Name show them, in plain Labels.
	who := tray.Asker(lang.L, d.Origin)
	origin := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	origin.Wrapping = fyne.TextWrapBreak

	number := widget.NewLabelWithStyle(display.Name(d.Number), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	number.SizeName = theme.SizeNameHeadingText
	number.Wrapping = fyne.TextWrapBreak
	var dialLine fyne.CanvasObject = layoutSpacer()
	if d.Dial != "" && d.Dial != d.Number {
		l := captionLabel(lang.X("confirm.dial_string", "The phone will dial {{.Dial}}", map[string]any{"Dial": display.Name(d.Dial)}))
		l.Alignment = fyne.TextAlignCenter
		dialLine = l
	}

	c.refuseBtn = widget.NewButtonWithIcon(lang.X("confirm.refuse", "Refuse"), theme.CancelIcon(), func() { c.decide(Refuse) })
	c.dialBtn = widget.NewButtonWithIcon(lang.X("confirm.dial", "Dial"), theme.ConfirmIcon(), func() { c.decide(Dial) })
	c.dialBtn.Importance = widget.HighImportance
	buttons := container.NewVBox(container.NewGridWithColumns(2, c.refuseBtn, c.dialBtn))
	if IsWebOrigin(d.Origin) {
		c.alwaysBtn = widget.NewButtonWithIcon(lang.X("confirm.always", "Always allow this origin"), theme.ConfirmIcon(), func() { c.decide(AlwaysAllow) })
		c.alwaysBtn.Importance = widget.LowImportance
		buttons.Add(c.alwaysBtn)
	}

	c.origin, c.number = origin, number
	c.countdown = captionLabel("")
	c.countdown.Alignment = fyne.TextAlignCenter

	content := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.QuestionIcon()), nil,
			wrapped(lang.X("confirm.asked_by", "A request to dial came from:"))),
		origin,
		widget.NewSeparator(),
		number,
		dialLine,
		widget.NewSeparator(),
		buttons,
		c.countdown,
	)
	c.window.SetContent(container.NewPadded(content))
	c.window.Resize(fyne.NewSize(480, 300))
	c.window.SetOnClosed(func() {
		// Closing the window is a "no".
		c.closed = true
		c.decide(Refuse)
	})
	c.window.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			c.decide(Refuse)
		}
	})
	c.deadline = d.now().Add(c.d.Timeout)
	c.tick()
	return c
}

// Window is the prompt's window.
func (c *Confirm) Window() fyne.Window { return c.window }

// Start shows the prompt and counts down to the automatic refusal.
func (c *Confirm) Start() {
	c.window.Show()
	c.window.RequestFocus()
	// A timer, not slow work: it always runs on its own goroutine, also
	// when Env.Go runs work inline for tests (which call tick themselves).
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				fyne.Do(c.tick)
			}
		}
	}()
}

// tick updates the countdown and refuses once the time is up.
func (c *Confirm) tick() {
	if c.decided {
		return
	}
	left := c.deadline.Sub(c.d.now()).Round(time.Second)
	if left <= 0 {
		c.decide(Expired)
		return
	}
	c.countdown.SetText(lang.X("confirm.countdown", "Refused automatically in {{.Seconds}} s unless you choose.", map[string]any{"Seconds": int(left / time.Second)}))
}

// decide reports the answer once and closes the window.
func (c *Confirm) decide(d Decision) {
	if c.decided {
		return
	}
	c.decided = true
	close(c.stop)
	if c.d.Decided != nil {
		c.d.Decided(d)
	}
	if !c.closed {
		c.closed = true
		c.window.Close()
	}
}

// IsWebOrigin reports whether origin is a web origin that may be added to
// listener.allowed_origins ("https://crm.example"), as opposed to the
// description of an application, for which "always allow" means nothing.
func IsWebOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return false
	}
	switch u.Scheme {
	case "http", "https", "chrome-extension", "moz-extension":
		return true
	}
	return false
}

// layoutSpacer is an invisible object for optional rows.
func layoutSpacer() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Hide()
	return l
}
