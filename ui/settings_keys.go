package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/ui/form"
)

// KeyWriter is the running resident as the Phone keys page needs it: how
// the last write of the function keys into the phone went, and a write
// on demand (control.Client's Keys and WriteKeys).
type KeyWriter interface {
	Keys(ctx context.Context) (control.KeysStatus, error)
	WriteKeys(ctx context.Context) (control.KeysStatus, error)
}

// keysPage binds the phone's function keys to dialbridge actions.
type keysPage struct {
	keyRows  []*keyRow
	keyList  *fyne.Container
	addKey   *widget.Button
	model    *widget.Entry
	writeBtn *widget.Button
	written  *widget.Label
}

// keyRow edits one binding.
type keyRow struct {
	number, label, arg *widget.Entry
	action, led        *widget.Select
	// state is how the last write into the phone went for this key.
	state                          *widget.Label
	numField, labelField, actField *field
	ledField                       *field
	box                            fyne.CanvasObject
}

func (p *keysPage) read(f *form.Form) {
	for _, r := range p.keyRows {
		f.Keys = append(f.Keys, form.Key{Number: r.number.Text, Label: r.label.Text, Verb: keyVerbs.value(r.action.Selected),
			Arg: r.arg.Text, LED: keyLEDs.value(r.led.Selected)})
	}
	f.Model = p.model.Text
}

var keyVerbs = choices{values: form.KeyVerbs(), words: func() []string {
	words := map[string]string{
		"dial":            lang.X("settings.keys.action.dial", "Dial a number"),
		"callback_missed": lang.X("settings.keys.action.callback_missed", "Call back the last missed call"),
		"dial_clipboard":  lang.X("settings.keys.action.dial_clipboard", "Dial the number on the clipboard"),
		"open_crm":        lang.X("settings.keys.action.open_crm", "Open the call in the CRM"),
		"answer":          lang.X("settings.keys.action.answer", "Answer"),
		"hangup":          lang.X("settings.keys.action.hangup", "Hang up"),
		"hold":            lang.X("settings.keys.action.hold", "Hold or resume"),
		"dnd":             lang.X("settings.keys.action.dnd", "Do not disturb on or off"),
		"keys":            lang.X("settings.keys.action.keys", "Send keys"),
	}
	out := make([]string, 0, len(words))
	for _, v := range form.KeyVerbs() {
		out = append(out, words[v])
	}
	return out
}}

var keyLEDs = choices{values: config.KeyLEDs, words: func() []string {
	words := map[string]string{
		"none":            lang.X("settings.keys.led.none", "No light"),
		"missed_calls":    lang.X("settings.keys.led.missed_calls", "Missed calls not returned"),
		"in_call":         lang.X("settings.keys.led.in_call", "A call is ringing or in progress"),
		"crm_failing":     lang.X("settings.keys.led.crm_failing", "Outgoing URLs are failing"),
		"confirm_pending": lang.X("settings.keys.led.confirm_pending", "A dial waits for your confirmation"),
		"dnd":             lang.X("settings.keys.led.dnd", "Do not disturb is on"),
	}
	out := make([]string, 0, len(words))
	for _, v := range config.KeyLEDs {
		out = append(out, words[v])
	}
	return out
}}

// keysTab lists the bindings with buttons to add and remove them, the
// phone's model for the numbers of the lights, and a button that writes
// the keys into the phone and says how that went.
func (s *Settings) keysTab(f form.Form) fyne.CanvasObject {
	s.keyList = container.NewVBox()
	for _, k := range f.Keys {
		s.keyRows = append(s.keyRows, s.newKeyRow(k))
	}
	s.relayoutKeys()
	s.addKey = widget.NewButtonWithIcon(lang.X("settings.keys.add", "Bind a key"), theme.ContentAddIcon(), func() {
		s.keyRows = append(s.keyRows, s.newKeyRow(form.Key{Number: strconv.Itoa(s.nextFreeKey()), Verb: "callback_missed", LED: "none"}))
		s.relayoutKeys()
	})
	model := s.textField(&s.model, f.Model, lang.X("settings.keys.model.placeholder", "e.g. D785"), "phone.model", lang.X("settings.keys.model", "Phone model"),
		lang.X("settings.keys.model.hint", "Only needed when the phone does not report its model: the lights of the keys have different numbers on each model."))
	s.written = wrapped("")
	s.writeBtn = widget.NewButtonWithIcon(lang.X("settings.keys.write", "Write to phone"), theme.UploadIcon(), s.writeKeys)
	if s.d.Keys == nil {
		s.writeBtn.Disable()
	} else {
		s.d.spawn(s.showKeysStatus)
	}
	intro := captionLabel(lang.X("settings.keys.intro", "Bind the phone's function keys to dialbridge: pressing the key runs the action, and its light shows what you choose. dialbridge writes the keys into the phone when it starts and whenever you save; on phones it cannot write to, `dialbridge pairing-urls --keys` prints what to enter."))
	return scroll(intro, s.keyList, s.addKey, widget.NewSeparator(), model, container.NewBorder(nil, nil, nil, s.writeBtn, s.written))
}

func (s *Settings) newKeyRow(k form.Key) *keyRow {
	r := &keyRow{}
	r.number = entry(k.Number, "")
	r.label = entry(k.Label, lang.X("settings.keys.label.placeholder", "e.g. Missed"))
	r.arg = entry(k.Arg, "")
	r.action = widget.NewSelect(keyVerbs.words(), func(string) { r.showArg() })
	r.action.SetSelected(keyVerbs.word(k.Verb))
	r.led = widget.NewSelect(keyLEDs.words(), nil)
	r.led.SetSelected(keyLEDs.word(k.LED))
	r.state = captionLabel("")
	r.numField = s.add(newField("", lang.X("settings.keys.number", "Key"), r.number, ""))
	r.labelField = s.add(newField("", lang.X("settings.keys.label", "Label on the phone"), r.label, ""))
	r.actField = s.add(newField("", lang.X("settings.keys.action", "When pressed"), container.NewVBox(r.action, r.arg), ""))
	r.ledField = s.add(newField("", lang.X("settings.keys.led", "Light"), r.led, ""))
	r.box = container.NewVBox(container.NewGridWithColumns(2, r.numField.box, r.labelField.box), container.NewGridWithColumns(2, r.actField.box, r.ledField.box), r.state)
	r.showArg()
	// An edited binding is no longer the one the phone has: the line under
	// it says so until the next write, instead of "In the phone.".
	edited := func(string) { r.markEdited() }
	r.number.OnChanged, r.label.OnChanged, r.arg.OnChanged, r.led.OnChanged = edited, edited, edited, edited
	r.action.OnChanged = func(string) { r.showArg(); r.markEdited() }
	return r
}

// markEdited says under a binding that was changed in the window that the
// phone does not have it yet.
func (r *keyRow) markEdited() {
	if r.state.Text != "" {
		r.state.SetText(lang.X("settings.keys.state.unsaved", "Not in the phone yet: save or write to phone."))
	}
}

// showArg shows the field beside the picker for the actions that read it,
// with an example of what goes in.
func (r *keyRow) showArg() {
	switch keyVerbs.value(r.action.Selected) {
	case "dial":
		r.arg.SetPlaceHolder(lang.X("settings.keys.arg.dial", "The number, e.g. 030 1234567"))
		r.arg.Show()
	case "keys":
		r.arg.SetPlaceHolder(lang.X("settings.keys.arg.keys", "Keys with press and pause in ms, e.g. F_HOLD;ENTER,50,1000"))
		r.arg.Show()
	default:
		r.arg.Hide()
	}
}

// relayoutKeys shows the rows in their order, each field with the config
// key its problems carry, and a button to remove the binding.
func (s *Settings) relayoutKeys() {
	s.keyList.RemoveAll()
	for i, r := range s.keyRows {
		key := fmt.Sprintf("phone.keys[%d]", i+1)
		r.numField.key, r.labelField.key, r.actField.key, r.ledField.key = key+".key", key+".label", key+".action", key+".led"
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			gone := s.keyRows[i]
			gone.numField.key, gone.labelField.key, gone.actField.key, gone.ledField.key = "", "", "", ""
			s.keyRows = append(s.keyRows[:i:i], s.keyRows[i+1:]...)
			s.relayoutKeys()
		})
		s.keyList.Add(widget.NewCard("", "", container.NewBorder(nil, nil, nil, remove, r.box)))
	}
	if len(s.keyRows) == 0 {
		s.keyList.Add(captionLabel(lang.X("settings.keys.none", "No keys bound yet.")))
	}
}

// nextFreeKey is the lowest key number no row uses, for a new binding.
func (s *Settings) nextFreeKey() int {
	used := map[int]bool{}
	for _, r := range s.keyRows {
		if n, err := strconv.Atoi(strings.TrimSpace(r.number.Text)); err == nil {
			used[n] = true
		}
	}
	n := 1
	for used[n] {
		n++
	}
	return n
}

// writeKeys saves the settings as they stand, so that the phone gets the
// keys the window shows, then has the resident write them now.
func (s *Settings) writeKeys() {
	// What the last write said is about the keys as they were: a refused
	// save must not leave it standing beside the button.
	s.written.SetText("")
	s.saveThen(func() {
		s.writeBtn.Disable()
		s.written.Importance = widget.MediumImportance
		s.written.SetText(lang.X("settings.keys.writing", "Writing the keys into the phone…"))
		ask(s.d.Env, s.d.Keys.WriteKeys, func(st control.KeysStatus, err error) {
			s.writeBtn.Enable()
			s.showKeys(st, err)
		})
	})
}

// showKeysStatus asks the resident how the last write went, when the page
// opens.
func (s *Settings) showKeysStatus() {
	ctx, cancel := s.d.context()
	st, err := s.d.Keys.Keys(ctx)
	cancel()
	fyne.Do(func() { s.showKeys(st, err) })
}

// said is a sentence of the resident or the phone on one line, whole: a
// name's limit (display.Name) would cut "…refused the password (HTTP 401)"
// before its reason, or the steps of what to enter by hand.
func said(s string) string { return display.Text(s, 300) }

// showKeys puts the outcome of a write beside each key and in the line
// under the list. The phone's and the resident's sentences are text from
// outside and are shown as text.
func (s *Settings) showKeys(st control.KeysStatus, err error) {
	s.written.Importance = widget.MediumImportance
	switch {
	case err != nil && len(st.Keys) == 0 && st.Error == "":
		s.written.Importance = widget.WarningImportance
		s.written.SetText(lang.X("settings.keys.no_resident", "dialbridge does not answer ({{.Err}}); it writes the keys when it starts.", map[string]any{"Err": said(err.Error())}))
		return
	case st.Error != "":
		s.written.Importance = widget.DangerImportance
		s.written.SetText(said(st.Error))
	case st.Manual != "":
		s.written.Importance = widget.WarningImportance
		s.written.SetText(said(st.Manual))
	case len(st.Keys) == 0:
		s.written.SetText(lang.X("settings.keys.nothing", "No keys are bound, so nothing was written."))
	case st.At != nil:
		s.written.Importance = widget.SuccessImportance
		s.written.SetText(lang.X("settings.keys.written", "The phone took the keys at {{.When}}.", map[string]any{"When": st.At.Local().Format("15:04:05")}))
	}
	if st.Lights != "" {
		if s.written.Importance != widget.DangerImportance {
			s.written.Importance = widget.WarningImportance
		}
		s.written.SetText(strings.TrimSpace(s.written.Text + "\n" + lang.X("settings.keys.lights", "The lights: {{.Why}}", map[string]any{"Why": said(st.Lights)})))
	}
	byKey := map[int]control.KeyStatus{}
	for _, k := range st.Keys {
		byKey[k.Key] = k
	}
	for _, r := range s.keyRows {
		n, _ := strconv.Atoi(strings.TrimSpace(r.number.Text))
		k, ok := byKey[n]
		switch {
		case !ok:
			r.state.SetText(lang.X("settings.keys.state.unsaved", "Not in the phone yet: save or write to phone."))
		case k.State == control.KeyWritten:
			r.state.SetText(lang.X("settings.keys.state.written", "In the phone."))
		case k.State == control.KeyFailed:
			r.state.SetText(lang.X("settings.keys.state.failed", "Not written: {{.Err}}", map[string]any{"Err": said(k.Error)}))
		case k.State == control.KeyManual:
			r.state.SetText(lang.X("settings.keys.state.manual", "Enter this key in the phone by hand (dialbridge pairing-urls --keys)."))
		default:
			r.state.SetText(lang.X("settings.keys.state.pending", "Waiting to be written."))
		}
	}
}
