package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// press is what the desktop driver does with a focused Keyable for a key
// combination (each key down in order, then up in reverse), then types
// the key's character, which the recorder must ignore.
func press(r *hotkeyRecorder, names ...fyne.KeyName) {
	for _, n := range names {
		r.KeyDown(&fyne.KeyEvent{Name: n})
	}
	test.Type(r, "x")
	for i := len(names) - 1; i >= 0; i-- {
		r.KeyUp(&fyne.KeyEvent{Name: names[i]})
	}
}

func TestTheHotkeyFieldRecordsTheKeysPressedAndSavesThem(t *testing.T) {
	cfg := config.Default()
	cfg.Desktop.Hotkey = "ctrl+alt+d"
	r := newSettingsRig(t, cfg)
	s := r.s
	if s.hotkey.Text != "Ctrl+Alt+D" {
		t.Errorf("the field shows %q, want Ctrl+Alt+D", s.hotkey.Text)
	}
	if !s.ShowTab("dialing") {
		t.Fatal("no Dialing rules page")
	}
	s.Window().Canvas().Focus(s.hotkey)

	steps := []struct {
		keys    []fyne.KeyName
		want    string // shown
		problem string // said below the field
	}{
		{[]fyne.KeyName{desktop.KeyControlLeft, desktop.KeyShiftRight, fyne.KeyK}, "Ctrl+Shift+K", ""},
		// A letter alone is no hotkey, and the field says why.
		{[]fyne.KeyName{fyne.KeyD}, "Ctrl+Shift+K", "D alone would fire while you type: hold Ctrl, Alt or Super as well, e.g. Ctrl+Alt+D."},
		{[]fyne.KeyName{desktop.KeyShiftLeft, fyne.KeyD}, "Ctrl+Shift+K", "Shift+D alone would fire while you type: hold Ctrl, Alt or Super as well, e.g. Ctrl+Alt+D."},
		{[]fyne.KeyName{desktop.KeyControlLeft, fyne.KeyEscape}, "Ctrl+Shift+K", "Escape cannot be part of a hotkey: use a letter, a digit, F1 to F12 or Space, with Ctrl, Alt or Super."},
		{[]fyne.KeyName{desktop.KeySuperLeft, desktop.KeyAltLeft, fyne.KeySpace}, "Alt+Super+Space", ""},
		{[]fyne.KeyName{fyne.KeyF9}, "F9", ""},
		{[]fyne.KeyName{fyne.KeyTab}, "F9", ""}, // moves on, says nothing
		{[]fyne.KeyName{desktop.KeyControlRight, desktop.KeyAltRight, fyne.Key7}, "Ctrl+Alt+7", ""},
	}
	for _, st := range steps {
		press(s.hotkey, st.keys...)
		if s.hotkey.Text != st.want {
			t.Errorf("after %v the field shows %q, want %q", st.keys, s.hotkey.Text, st.want)
		}
		if got := s.hotkeyField.problem.Text; got != st.problem {
			t.Errorf("after %v the field says %q, want %q", st.keys, got, st.problem)
		}
	}

	s.Save()
	if got := r.store.cfg.Desktop.Hotkey; r.store.saves != 1 || got != "ctrl+alt+7" {
		t.Fatalf("saved %d times with hotkey %q, want ctrl+alt+7 once; status %q", r.store.saves, got, s.status.Text)
	}
	if r.res.reloads != 1 {
		t.Errorf("the resident reloaded %d times, want once: the new key works without a restart", r.res.reloads)
	}

	test.Tap(s.hotkeyClear)
	if s.hotkey.Text != "" {
		t.Errorf("after Clear the field shows %q", s.hotkey.Text)
	}
	s.Save()
	if got := r.store.cfg.Desktop.Hotkey; got != "" {
		t.Errorf("saved hotkey %q after Clear, want none", got)
	}
}

func TestAHotkeyTheFileGetsWrongIsShownAtTheField(t *testing.T) {
	cfg := config.Default()
	cfg.Desktop.Hotkey = "ctrl+alt+esc" // as an admin might write it; Load would refuse it
	r := newSettingsRig(t, cfg)
	r.s.Save()
	if r.store.saves != 0 {
		t.Fatal("a hotkey dialbridge cannot use was saved")
	}
	if got := r.problems()["desktop.hotkey"]; got == "" || r.s.hotkey.Text != "ctrl+alt+esc" {
		t.Errorf("the field shows %q with the problem %q", r.s.hotkey.Text, got)
	}
}
