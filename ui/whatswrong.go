package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/ui/doctor"
)

// WhatsWrongDeps is what the "What's wrong?" window needs: the checks of
// dialbridge doctor, run once per click.
type WhatsWrongDeps struct {
	Env
	Run func(ctx context.Context) doctor.Report
}

// WhatsWrong is the window the tray offers when the phone is offline: the
// same checks, link by link, as "dialbridge doctor" prints, so a person
// sees which link broke and what to do without a terminal.
type WhatsWrong struct {
	d      WhatsWrongDeps
	window fyne.Window

	summary *widget.Label
	rows    *fyne.Container
	again   *widget.Button
}

// NewWhatsWrong builds the window and runs the checks; call
// Window().Show() to show it.
func NewWhatsWrong(a fyne.App, d WhatsWrongDeps) *WhatsWrong {
	w := &WhatsWrong{d: d}
	w.window = a.NewWindow(lang.X("whatswrong.title", "What's wrong?"))
	w.summary = wrapped("")
	w.rows = container.New(layout.NewFormLayout())
	w.again = widget.NewButton(lang.X("whatswrong.again", "Check again"), w.check)
	closeBtn := widget.NewButton(lang.X("whatswrong.close", "Close"), w.window.Close)
	closeBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), w.again, closeBtn)
	content := container.NewBorder(w.summary, container.NewVBox(widget.NewSeparator(), buttons), nil, nil, container.NewVScroll(w.rows))
	w.window.SetContent(container.NewPadded(content))
	w.window.Resize(fyne.NewSize(640, 480))
	w.check()
	return w
}

// Window is the window.
func (w *WhatsWrong) Window() fyne.Window { return w.window }

// linkNames are the links as the window names them.
func linkName(l doctor.Link) string {
	switch l {
	case doctor.LinkConfig:
		return lang.X("whatswrong.link.config", "Settings file")
	case doctor.LinkListener:
		return lang.X("whatswrong.link.listener", "Listener port")
	case doctor.LinkResident:
		return lang.X("whatswrong.link.resident", "dialbridge running")
	case doctor.LinkKeyring:
		return lang.X("whatswrong.link.keyring", "Keyring")
	case doctor.LinkPhone:
		return lang.X("whatswrong.link.phone", "Phone answers")
	case doctor.LinkPassword:
		return lang.X("whatswrong.link.password", "Password")
	case doctor.LinkEventURLs:
		return lang.X("whatswrong.link.event_urls", "Event URLs")
	case doctor.LinkTestEvent:
		return lang.X("whatswrong.link.test_event", "Test event")
	case doctor.LinkTLSPin:
		return lang.X("whatswrong.link.tls_pin", "Certificate")
	}
	return string(l)
}

// check runs the checks off the UI goroutine and shows them.
func (w *WhatsWrong) check() {
	w.again.Disable()
	w.summary.SetText(lang.X("whatswrong.checking", "Checking every link from the settings to the phone…"))
	w.d.spawn(func() {
		ctx, cancel := w.d.context()
		defer cancel()
		r := w.d.Run(ctx)
		fyne.Do(func() { w.show(r) })
	})
}

// show fills the window with a report.
func (w *WhatsWrong) show(r doctor.Report) {
	w.rows.RemoveAll()
	for _, c := range r.Checks {
		name := widget.NewLabelWithStyle(linkName(c.Link), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		msg := wrapped(c.Message)
		switch c.Status {
		case doctor.OK:
			msg.Importance = widget.SuccessImportance
		case doctor.Broken:
			msg.Importance = widget.DangerImportance
		default:
			msg.Importance = widget.LowImportance
		}
		w.rows.Add(name)
		w.rows.Add(msg)
	}
	if r.OK() {
		w.summary.SetText(lang.X("whatswrong.ok", "Every link holds."))
	} else {
		w.summary.SetText(lang.X("whatswrong.broken", "The first broken link is \"{{.Link}}\"; what to do is written beside it.", map[string]any{"Link": linkName(r.FirstBroken)}))
	}
	w.again.Enable()
}
