package ui

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// fakeKeys is the resident's function key writer as the page sees it: it
// records the writes and answers with the status it is given.
type fakeKeys struct {
	status control.KeysStatus
	err    error
	writes int
	// saved is the file's keys when the write came, so that a test sees
	// that "Write to phone" saved first.
	store *memConfig
	saved []config.PhoneKey
}

func (f *fakeKeys) Keys(context.Context) (control.KeysStatus, error) { return f.status, f.err }

func (f *fakeKeys) WriteKeys(context.Context) (control.KeysStatus, error) {
	f.writes++
	f.saved = f.store.cfg.Phone.Keys
	if f.status.Error != "" {
		return f.status, errors.New(f.status.Error)
	}
	return f.status, f.err
}

func newKeysRig(t *testing.T, cfg config.Config, keys *fakeKeys) *settingsRig {
	t.Helper()
	r := &settingsRig{store: &memConfig{cfg: cfg}, secrets: &memSecrets{}, res: &fakeResident{}}
	keys.store = r.store
	r.s = NewSettings(test.NewTempApp(t), SettingsDeps{Env: testEnv(), Config: r.store, Secrets: r.secrets, Resident: r.res, Keys: keys})
	if !r.s.ShowTab("keys") {
		t.Fatal("no Phone keys page")
	}
	return r
}

func TestSettingsPhoneKeysBindsMissedCallsToP1AndWritesItToThePhone(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.Local)
	keys := &fakeKeys{status: control.KeysStatus{At: &at, Keys: []control.KeyStatus{{Key: 1, Label: "Missed", Action: "callback_missed", State: control.KeyWritten, At: &at}}}}
	r := newKeysRig(t, berlinConfig(), keys)
	s := r.s

	test.Tap(s.addKey)
	row := s.keyRows[0]
	if row.number.Text != "1" || keyVerbs.value(row.action.Selected) != "callback_missed" || row.arg.Visible() {
		t.Fatalf("a new row: key %q action %q argument shown %v", row.number.Text, row.action.Selected, row.arg.Visible())
	}
	retype(row.label, "Missed")
	row.led.SetSelected(keyLEDs.word("missed_calls"))
	test.Tap(s.writeBtn)

	want := []config.PhoneKey{{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"}}
	if keys.writes != 1 || !reflect.DeepEqual(keys.saved, want) {
		t.Fatalf("writes %d with the file's keys %+v; want one write after saving %+v (status %q, problems %v)", keys.writes, keys.saved, want, s.status.Text, r.problems())
	}
	if s.written.Text != "The phone took the keys at 09:30:00." || row.state.Text != "In the phone." {
		t.Errorf("result line %q, key line %q", s.written.Text, row.state.Text)
	}

	// Edited, the key is no longer what the phone has; a write the form
	// refuses leaves no word of the last one beside the button.
	retype(row.label, "")
	if row.state.Text != "Not in the phone yet: save or write to phone." {
		t.Errorf("after an edit the key line says %q", row.state.Text)
	}
	test.Tap(s.writeBtn)
	if keys.writes != 1 || s.written.Text != "" {
		t.Errorf("a refused write: writes %d, result line %q", keys.writes, s.written.Text)
	}
}

func TestSettingsPhoneKeysShowsWhatThePhoneRefused(t *testing.T) {
	cfg := berlinConfig()
	cfg.Phone.Keys = []config.PhoneKey{{Key: 2, Label: "Office", Action: "dial:030 123456"}}
	refusal := "The phone at 192.0.2.10 refused the key settings (HTTP 403)"
	keys := &fakeKeys{status: control.KeysStatus{Error: refusal, Keys: []control.KeyStatus{{Key: 2, State: control.KeyFailed, Error: refusal}}}}
	r := newKeysRig(t, cfg, keys)
	s := r.s
	row := s.keyRows[0]
	if !row.arg.Visible() || row.arg.Text != "030 123456" {
		t.Fatalf("the dial key's number: shown %v, %q", row.arg.Visible(), row.arg.Text)
	}
	// The page asked for the last write's outcome when it opened.
	if s.written.Text != refusal || row.state.Text != "Not written: "+refusal {
		t.Errorf("on opening: result line %q, key line %q", s.written.Text, row.state.Text)
	}
	test.Tap(s.writeBtn)
	if keys.writes != 1 || s.written.Text != refusal {
		t.Errorf("writes %d, result line %q", keys.writes, s.written.Text)
	}
}

// A sentence longer than a name is shown whole: what to enter by hand,
// and a refusal with its reason at the end.
func TestSettingsPhoneKeysShowsLongSentencesWhole(t *testing.T) {
	cfg := berlinConfig()
	cfg.Phone.Keys = []config.PhoneKey{{Key: 2, Label: "Office", Action: "dnd"}}
	manual := "dialbridge cannot write this Yealink phone's settings: enter what \"dialbridge pairing-urls --keys\" prints on its line key page"
	refusal := "The phone at 192.0.2.10 refused to save the key settings (HTTP 403): allow the web user to change settings"
	for _, st := range []control.KeysStatus{
		{Manual: manual, Keys: []control.KeyStatus{{Key: 2, State: control.KeyManual}}},
		{Error: refusal, Keys: []control.KeyStatus{{Key: 2, State: control.KeyFailed, Error: refusal}}},
	} {
		s := newKeysRig(t, cfg, &fakeKeys{status: st}).s
		want := st.Manual + st.Error
		if s.written.Text != want {
			t.Errorf("result line %q, want %q", s.written.Text, want)
		}
		if st.Error != "" && s.keyRows[0].state.Text != "Not written: "+refusal {
			t.Errorf("key line %q, want the whole refusal", s.keyRows[0].state.Text)
		}
	}
}

func TestSettingsPhoneKeysShowsABadBindingNextToItAndWritesNothing(t *testing.T) {
	keys := &fakeKeys{}
	r := newKeysRig(t, berlinConfig(), keys)
	s := r.s
	test.Tap(s.addKey)
	test.Tap(s.addKey)
	first, second := s.keyRows[0], s.keyRows[1]
	retype(first.label, "Office")
	first.action.SetSelected(keyVerbs.word("dial"))
	retype(second.number, "1")
	retype(second.label, "A label far too long for a key")
	test.Tap(s.writeBtn)
	if keys.writes != 0 || r.store.saves != 0 {
		t.Fatalf("saved %d times and wrote %d times with bad bindings", r.store.saves, keys.writes)
	}
	got := r.problems()
	want := map[string]string{
		"phone.keys[1].action": "Enter the number this key dials.",
		"phone.keys[2].key":    "Another row binds this key already; a key runs one action.",
		"phone.keys[2].label":  "A phone shows at most 20 characters beside a key; shorten the label.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	// Removing the second row takes its problems with it.
	s.keyRows = s.keyRows[:1]
	s.relayoutKeys()
	retype(first.arg, "030 123456")
	test.Tap(s.writeBtn)
	if keys.writes != 1 {
		t.Errorf("after the fix: writes %d, status %q, problems %v", keys.writes, s.status.Text, r.problems())
	}
}

func TestSettingsPhoneKeysInGerman(t *testing.T) {
	useLanguage(t, "de")
	r := newKeysRig(t, berlinConfig(), &fakeKeys{err: errors.New("no resident")})
	s := r.s
	test.Tap(s.addKey)
	row := s.keyRows[0]
	for got, want := range map[string]string{
		s.writeBtn.Text:     "Ins Telefon schreiben",
		row.action.Selected: "Den letzten verpassten Anruf zurückrufen",
		row.led.Selected:    "Kein Licht",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	if !strings.HasPrefix(s.written.Text, "dialbridge antwortet nicht") {
		t.Errorf("without a resident: %q", s.written.Text)
	}
	retype(row.number, "null")
	s.Save()
	if got := r.problems()["phone.keys[1].key"]; !strings.HasPrefix(got, "Geben Sie die Nummer der Taste") {
		t.Errorf("problem in German: %q", got)
	}
}

func TestSettingsPhoneKeysSaysWhyTheLightsCannotBeSet(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.Local)
	cfg := berlinConfig()
	cfg.Phone.Keys = []config.PhoneKey{{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"}}
	why := "dialbridge does not know which light belongs to which key on a Snom D717"
	keys := &fakeKeys{status: control.KeysStatus{At: &at, Lights: why,
		Keys: []control.KeyStatus{{Key: 1, State: control.KeyWritten, At: &at}}}}
	s := newKeysRig(t, cfg, keys).s
	if want := "The phone took the keys at 09:30:00.\nThe lights: " + why; s.written.Text != want || s.written.Importance != widget.WarningImportance {
		t.Errorf("result line %q (importance %v), want %q as a warning", s.written.Text, s.written.Importance, want)
	}
}
