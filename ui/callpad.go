package ui

import (
	"context"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/dialbridge/dialbridge/i18n"
)

// CallPadDeps is what the windows that act on one call in progress need:
// the tone pad (the tray's "Send tones…") and the consultation pad ("Consult
// and transfer…").
type CallPadDeps struct {
	Env
	Resident Resident
	// Call is the call in progress the window acts on (the phone's call
	// id or the journal's GUID).
	Call string
}

// toneKeys are the keypad's keys in the phone's layout.
var toneKeys = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"}

// TonePad is the dial pad in tone mode: each key pressed (clicked or
// typed) sends its tone in the call at once, in the order pressed, as the
// phone's own keypad does during a call.
type TonePad struct {
	d      CallPadDeps
	window fyne.Window
	sent   *widget.Label
	status *widget.Label

	mu      sync.Mutex
	pending []string
	sending bool
	sentAll string
}

// NewTonePad builds the tone pad window; call Window().Show() to show it.
func NewTonePad(a fyne.App, d CallPadDeps) *TonePad {
	p := &TonePad{d: d}
	p.window = a.NewWindow(lang.X("tones.title", "Send tones"))
	p.sent = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	p.status = wrapped(lang.X("tones.note", "Each key sends its tone in the call, e.g. to choose from a menu or enter a PIN."))
	grid := container.NewGridWithColumns(3)
	for _, k := range toneKeys {
		grid.Add(widget.NewButton(k, func() { p.Press(k) }))
	}
	p.window.Canvas().SetOnTypedRune(func(r rune) {
		if strings.ContainsRune("0123456789*#", r) {
			p.Press(string(r))
		}
	})
	p.window.SetContent(container.NewPadded(container.NewBorder(p.sent, p.status, nil, nil, grid)))
	p.window.Resize(fyne.NewSize(280, 340))
	return p
}

// Window is the tone pad's window.
func (p *TonePad) Window() fyne.Window { return p.window }

// Press sends key's tone after the tones pressed before it.
func (p *TonePad) Press(key string) {
	p.mu.Lock()
	p.pending = append(p.pending, key)
	start := !p.sending
	p.sending = true
	p.mu.Unlock()
	if start {
		p.d.spawn(p.drain)
	}
}

// drain sends the pressed tones one by one, oldest first, until none is
// left; one drain runs at a time, so that the tones keep their order.
func (p *TonePad) drain() {
	for {
		p.mu.Lock()
		if len(p.pending) == 0 {
			p.sending = false
			p.mu.Unlock()
			return
		}
		key := p.pending[0]
		p.pending = p.pending[1:]
		p.mu.Unlock()
		ctx, cancel := p.d.context()
		err := p.d.Resident.Operate(ctx, p.d.Call, "dtmf", key)
		cancel()
		p.mu.Lock()
		if err == nil {
			p.sentAll += key
		}
		sent := p.sentAll
		p.mu.Unlock()
		fyne.Do(func() {
			p.sent.SetText(sent)
			if err != nil {
				p.status.Importance = widget.DangerImportance
				p.status.SetText(lang.X("tones.failed", "The tone {{.Key}} was not sent: {{.Err}}", map[string]any{"Key": key, "Err": i18n.Error(err)}))
			}
		})
	}
}

// ConsultPad is the attended transfer: the person types the target, the
// phone holds the call and calls the target (Consult); once the target
// has answered, Complete transfer connects the two, and Cancel ends the
// consultation and returns to the held call.
type ConsultPad struct {
	d        CallPadDeps
	window   fyne.Window
	number   *widget.Entry
	consult  *widget.Button
	complete *widget.Button
	cancel   *widget.Button
	status   *widget.Label
	busy     bool
}

// NewConsultPad builds the consultation window; call Window().Show().
func NewConsultPad(a fyne.App, d CallPadDeps) *ConsultPad {
	p := &ConsultPad{d: d}
	p.window = a.NewWindow(lang.X("consult.title", "Consult and transfer"))
	p.number = entry("", lang.X("consult.placeholder", "Number to transfer the call to"))
	p.number.OnSubmitted = func(string) { p.Consult() }
	p.consult = widget.NewButtonWithIcon(lang.X("consult.consult", "Consult"), theme.MailForwardIcon(), p.Consult)
	p.consult.Importance = widget.HighImportance
	p.complete = widget.NewButtonWithIcon(lang.X("consult.complete", "Complete transfer"), theme.ConfirmIcon(), p.Complete)
	p.complete.Importance = widget.HighImportance
	p.cancel = widget.NewButtonWithIcon(lang.X("consult.cancel", "Cancel"), theme.CancelIcon(), p.Cancel)
	p.complete.Hide()
	p.cancel.Hide()
	p.status = wrapped(lang.X("consult.note", "The call is held while you speak to the number you type; then complete the transfer or return to the call."))
	p.window.SetContent(container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, nil, p.consult, p.number),
		p.status,
		container.NewHBox(p.complete, p.cancel),
	)))
	p.window.Resize(fyne.NewSize(420, 200))
	p.window.Canvas().Focus(p.number)
	return p
}

// Window is the consultation window.
func (p *ConsultPad) Window() fyne.Window { return p.window }

// Consult holds the call and calls the number typed.
func (p *ConsultPad) Consult() {
	target := strings.TrimSpace(p.number.Text)
	if target == "" || p.busy {
		return
	}
	p.run("consult", target, func() {
		p.number.Disable()
		p.consult.Hide()
		p.complete.Show()
		p.cancel.Show()
		p.status.Importance = widget.MediumImportance
		p.status.SetText(lang.X("consult.consulting", "The call is on hold and the phone calls {{.Number}}. Once they have answered: Complete transfer, or Cancel to return to the held call.", map[string]any{"Number": target}))
	})
}

// Complete connects the held call with the consultation call.
func (p *ConsultPad) Complete() {
	p.run("transfer", "", p.window.Close)
}

// Cancel hangs up the consultation call and takes the held call back.
func (p *ConsultPad) Cancel() {
	p.run("cancel", "", p.window.Close)
}

// run does op in the background and then done on the UI goroutine, or
// shows why the phone did not.
func (p *ConsultPad) run(op, arg string, done func()) {
	p.busy = true
	askDone(p.d.Env, func(ctx context.Context) error {
		if op == "cancel" {
			return p.returnToHeld(ctx)
		}
		return p.d.Resident.Operate(ctx, p.d.Call, op, arg)
	}, func(err error) {
		p.busy = false
		if err != nil {
			p.status.Importance = widget.DangerImportance
			p.status.SetText(lang.X("consult.failed", "The phone did not do it: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			return
		}
		done()
	})
}

// returnToHeld hangs up the consultation call (the call in progress that
// is not the held one) and resumes the held call.
func (p *ConsultPad) returnToHeld(ctx context.Context) error {
	active, err := p.d.Resident.Active(ctx)
	if err != nil {
		return err
	}
	for _, c := range active {
		if c.GUID != p.d.Call && c.ID != p.d.Call && !c.OnHold {
			if err := p.d.Resident.Control(ctx, firstOf(c.GUID, c.ID), "hangup"); err != nil {
				return err
			}
		}
	}
	return p.d.Resident.Control(ctx, p.d.Call, "resume")
}

// firstOf returns the first of ids that is not empty.
func firstOf(ids ...string) string {
	for _, id := range ids {
		if id != "" {
			return id
		}
	}
	return ""
}
