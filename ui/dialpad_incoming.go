package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
)

// incomingBar offers Answer and Reject on the dial pad while a call rings,
// the same actions as the tray's items, for a person who keeps the dial
// pad open (or has no tray icon).
type incomingBar struct {
	box    *fyne.Container
	label  *widget.Label
	answer *widget.Button
	reject *widget.Button
	// callID is the ringing call the buttons act on ("" when none).
	callID string
}

// newIncomingBar builds the bar, hidden until a call rings.
func (p *DialPad) newIncomingBar() *incomingBar {
	b := &incomingBar{label: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	b.label.Wrapping = fyne.TextWrapWord
	b.answer = widget.NewButtonWithIcon(lang.X("dialpad.answer", "Answer"), theme.ConfirmIcon(), func() { p.controlCall("answer") })
	b.answer.Importance = widget.SuccessImportance
	b.reject = widget.NewButtonWithIcon(lang.X("dialpad.reject", "Reject"), theme.CancelIcon(), func() { p.controlCall("hangup") })
	b.reject.Importance = widget.DangerImportance
	// Centered, the buttons keep their own height beside a two-line name.
	b.box = container.NewBorder(nil, widget.NewSeparator(), nil, container.NewCenter(container.NewHBox(b.answer, b.reject)), b.label)
	b.box.Hide()
	return b
}

// watchIncoming asks the resident every `every` for a ringing call until
// the window closes.
func (p *DialPad) watchIncoming(every time.Duration) {
	stop := make(chan struct{})
	p.window.SetOnClosed(func() { close(stop) })
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.refreshIncoming()
			}
		}
	}()
}

// refreshIncoming shows the newest ringing incoming call, or hides the bar.
func (p *DialPad) refreshIncoming() {
	ctx, cancel := p.d.context()
	defer cancel()
	calls, err := p.d.Resident.Active(ctx)
	var ringing *phone.Call
	for i := len(calls) - 1; err == nil && i >= 0; i-- {
		if c := calls[i]; c.Direction == phone.Inbound && c.Connected.IsZero() {
			ringing = &c
			break
		}
	}
	fyne.Do(func() {
		b := p.incoming
		if ringing == nil {
			b.callID = ""
			b.box.Hide()
			return
		}
		b.callID = ringing.GUID
		if b.callID == "" {
			b.callID = ringing.ID
		}
		b.label.SetText(lang.X("dialpad.incoming", "Incoming call from {{.Who}}", map[string]any{"Who": partyText(*ringing)}))
		b.answer.Enable()
		b.reject.Enable()
		b.box.Show()
	})
}

// controlCall answers or rejects the ringing call through the resident.
func (p *DialPad) controlCall(op string) {
	id := p.incoming.callID
	if id == "" {
		return
	}
	p.incoming.answer.Disable()
	p.incoming.reject.Disable()
	p.d.spawn(func() {
		ctx, cancel := p.d.context()
		defer cancel()
		err := p.d.Resident.Control(ctx, id, op)
		fyne.Do(func() {
			if err != nil {
				p.status.Importance = widget.DangerImportance
				p.status.SetText(lang.X("dialpad.control_failed", "The phone could not do that: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			}
		})
		p.refreshIncoming()
	})
}
