package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/ui/form"
	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// hotkeyPart is the dialing page's section for the global hotkey that
// dials the text selected in any program.
type hotkeyPart struct {
	hotkey      *hotkeyRecorder
	hotkeyClear *widget.Button
	hotkeyField *field
}

func (p *hotkeyPart) read(f *form.Form) {
	f.Hotkey = p.hotkey.value
}

// hotkeySection shows the hotkey's recorder and a button that clears it.
func (s *Settings) hotkeySection(f form.Form) fyne.CanvasObject {
	s.hotkey = newHotkeyRecorder(f.Hotkey, func() { s.recheck("desktop.hotkey") })
	s.hotkey.refused = func(msg string) { s.hotkeyField.setProblem(msg) }
	s.hotkeyClear = widget.NewButtonWithIcon(lang.X("settings.hotkey.clear", "Clear"), theme.ContentClearIcon(), func() {
		s.hotkey.set("")
		s.recheck("desktop.hotkey")
	})
	s.hotkeyField = s.add(newField("desktop.hotkey", lang.X("settings.hotkey", "Hotkey that dials the selected text"),
		container.NewBorder(nil, nil, nil, s.hotkeyClear, s.hotkey),
		lang.X("settings.hotkey.hint", "Click the field and press the keys together, e.g. Ctrl+Alt+D. Then select a phone number in any program and press them: the phone dials it, through the dialing rules, blocked numbers refused. On Linux the selection is what you highlighted (X11; under Wayland only in X11 programs); on Windows and macOS dialbridge copies the selection and puts your clipboard's text back. A letter, digit or Space counts only with Ctrl, Alt or Super. Off while empty.")))
	return section(lang.X("settings.section.hotkey", "Dial from any program"), "", s.hotkeyField.box)
}

// hotkeyRecorder is an entry that records the key combination pressed in
// it instead of taking text: it shows "Ctrl+Alt+D" and keeps the config's
// "ctrl+alt+d". What it accepts is what keys.FromKeyName accepts, the
// same rules the config check and the resident use.
type hotkeyRecorder struct {
	widget.Entry
	// value is the combination as the config writes it, "" for none.
	value   string
	held    keys.Mods
	changed func()
	// refused says why the keys just pressed were not taken (a letter
	// without Ctrl, Alt or Super; Escape), which the field shows until the
	// next combination is recorded: a press that does nothing would leave
	// the person guessing.
	refused func(msg string)
}

func newHotkeyRecorder(value string, changed func()) *hotkeyRecorder {
	r := &hotkeyRecorder{changed: changed}
	r.ExtendBaseWidget(r)
	r.PlaceHolder = lang.X("settings.hotkey.placeholder", "Off: click here and press the keys")
	r.set(value)
	return r
}

// set shows value (the config's form); one the keys package cannot read is
// shown as written, so the config check's sentence beside it makes sense.
func (r *hotkeyRecorder) set(value string) {
	r.value = value
	text := value
	if c, err := keys.Parse(value); err == nil {
		text = c.Label()
	}
	r.Entry.SetText(text)
}

// recorderMods are the modifier keys as Fyne names them.
var recorderMods = map[fyne.KeyName]keys.Mods{
	desktop.KeyControlLeft: keys.Ctrl, desktop.KeyControlRight: keys.Ctrl,
	desktop.KeyAltLeft: keys.Alt, desktop.KeyAltRight: keys.Alt,
	desktop.KeyShiftLeft: keys.Shift, desktop.KeyShiftRight: keys.Shift,
	desktop.KeySuperLeft: keys.Super, desktop.KeySuperRight: keys.Super,
}

// KeyDown follows the modifiers held and records the combination when a
// key a hotkey can use is pressed with them.
func (r *hotkeyRecorder) KeyDown(ev *fyne.KeyEvent) {
	if m, ok := recorderMods[ev.Name]; ok {
		r.held |= m
		return
	}
	c, ok := keys.FromKeyName(r.held, string(ev.Name))
	if ok {
		r.set(c.String())
		if r.changed != nil {
			r.changed()
		}
		return
	}
	if r.refused != nil && ev.Name != fyne.KeyTab {
		// Tab moves on to the next field, as everywhere else.
		r.refused(refusedHotkey(r.held, string(ev.Name)))
	}
}

// refusedHotkey says why the recorder did not take name pressed with mods.
func refusedHotkey(mods keys.Mods, name string) string {
	if !keys.Usable(name) {
		return lang.X("settings.hotkey.bad_key", "{{.Key}} cannot be part of a hotkey: use a letter, a digit, F1 to F12 or Space, with Ctrl, Alt or Super.", map[string]any{"Key": name})
	}
	pressed := keys.Combo{Mods: mods, Key: strings.ToLower(name)}.Label()
	return lang.X("settings.hotkey.needs_modifier", "{{.Keys}} alone would fire while you type: hold Ctrl, Alt or Super as well, e.g. Ctrl+Alt+D.", map[string]any{"Keys": pressed})
}

// KeyUp follows the modifiers let go.
func (r *hotkeyRecorder) KeyUp(ev *fyne.KeyEvent) {
	if m, ok := recorderMods[ev.Name]; ok {
		r.held &^= m
	}
}

// The keys pressed are recorded, never typed, pasted or cut.
func (r *hotkeyRecorder) TypedRune(rune)              {}
func (r *hotkeyRecorder) TypedKey(*fyne.KeyEvent)     {}
func (r *hotkeyRecorder) TypedShortcut(fyne.Shortcut) {}
func (r *hotkeyRecorder) FocusLost()                  { r.held = 0; r.Entry.FocusLost() }
