package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/dialbridge/dialbridge/i18n"
)

// eventsPage lists the phone's action URL settings, set or to copy.
func (w *Wizard) eventsPage() []fyne.CanvasObject {
	w.settingsBox = container.NewVBox()
	objs := []fyne.CanvasObject{
		wrapped(lang.X("wizard.events.intro", "The phone tells dialbridge when it rings, connects, holds or hangs up by calling web addresses, its action URLs.")),
		w.settingsBox,
	}
	w.fillSettings()
	if w.results[stepEvents] == nil {
		w.runEvents()
	}
	return objs
}

// eventsNext sets the action URLs again after a failure, else moves on.
func (w *Wizard) eventsNext() {
	w.untilPassed(stepEvents, w.setup.Automatic, w.runEvents, stepFirewall)
}

// runEvents sets the phone's action URLs, or finds out what to show.
func (w *Wizard) runEvents() {
	s := w.settings()
	w.attempt(lang.X("wizard.events.running", "Setting the phone's action URLs…"), func(ctx context.Context) func() {
		setup, err := w.d.Pairer.SetUpEvents(ctx, s)
		return func() {
			w.setup = setup
			switch {
			case err != nil && len(setup.Settings) == 0:
				w.record(stepEvents, false, lang.X("wizard.events.failed", "dialbridge cannot tell which action URLs this phone needs: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			case err != nil:
				w.record(stepEvents, false, lang.X("wizard.events.manual_after_error", "The phone refused to take the settings ({{.Err}}). Enter them in the phone's web interface as shown, then press Next.", map[string]any{"Err": i18n.Error(err)}))
				w.setup.Automatic = false
			case setup.Automatic && setup.ReadBack:
				w.record(stepEvents, true, lang.X("wizard.events.verified", "dialbridge set {{.Count}} action URLs on the phone and read them back.", map[string]any{"Count": len(setup.Settings)}))
			case setup.Automatic:
				w.record(stepEvents, true, lang.X("wizard.events.set", "dialbridge set {{.Count}} action URLs on the phone.", map[string]any{"Count": len(setup.Settings)}))
			default:
				w.record(stepEvents, true, lang.X("wizard.events.manual", "This phone does not let dialbridge change its settings. Enter them in the phone's web interface as shown, then press Next."))
			}
			if w.step == stepEvents {
				w.fillSettings()
			}
		}
	})
}

// fillSettings lists the action URL settings: done, or to copy.
func (w *Wizard) fillSettings() {
	if w.settingsBox == nil {
		return
	}
	w.settingsBox.RemoveAll()
	if len(w.setup.Settings) == 0 {
		return
	}
	if w.setup.Where != "" {
		w.settingsBox.Add(captionLabel(lang.X("wizard.events.where", "In the phone's web interface: {{.Where}}", map[string]any{"Where": w.setup.Where})))
	}
	for _, st := range w.setup.Settings {
		name := st.Name
		if st.Label != "" && st.Label != st.Name {
			name = st.Label + " (" + st.Name + ")"
		}
		label := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		label.Wrapping = fyne.TextWrapWord
		value := widget.NewLabel(st.Value)
		value.TextStyle = fyne.TextStyle{Monospace: true}
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		var right fyne.CanvasObject
		if w.setup.Automatic {
			right = widget.NewIcon(theme.ConfirmIcon())
		} else {
			v := st.Value
			copyBtn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
				fyne.CurrentApp().Clipboard().SetContent(v)
			})
			right = copyBtn
		}
		w.settingsBox.Add(container.NewBorder(label, nil, nil, right, value))
	}
}
