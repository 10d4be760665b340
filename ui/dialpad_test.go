package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// assertMarkup compares a window with testdata/NAME, rewriting the file
// with -update.
func assertMarkup(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(test.RenderToMarkup(w.Canvas())), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	test.AssertRendersToMarkup(t, name, w.Canvas())
}

func berlinConfig() config.Config {
	cfg := config.Default()
	cfg.Dialing.Country = "DE"
	cfg.Dialing.AreaCode = "30"
	return cfg
}

func newTestDialPad(t *testing.T, res *fakeResident) *DialPad {
	t.Helper()
	a := test.NewTempApp(t)
	p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: &memConfig{cfg: berlinConfig()}})
	p.Window().Resize(fyne.NewSize(460, 520))
	return p
}

func TestDialPadShowsWhatThePhoneWillDialAsYouType(t *testing.T) {
	tests := []struct {
		typed       string
		wantPreview string
		canDial     bool
	}{
		{"", "The number the phone will dial appears here.", false},
		{"+49 (30) 123 45-67", "The phone will dial 0301234567 (national number)", true},
		{"Tel.: 030 / 123 45 67", "The phone will dial 0301234567 (national number)", true},
		{"204", "The phone will dial 204 (internal extension)", true},
		{"+1 201 555 0123", "The phone will dial 0012015550123 (international number)", true},
		{"call me", "Cannot dial this:", false},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			p := newTestDialPad(t, &fakeResident{})
			test.Type(p.number, tt.typed)
			if got := p.preview.Text; !strings.HasPrefix(got, tt.wantPreview) {
				t.Errorf("preview for %q = %q, want it to start with %q", tt.typed, got, tt.wantPreview)
			}
			if got := !p.dialBtn.Disabled(); got != tt.canDial {
				t.Errorf("Dial enabled = %v, want %v", got, tt.canDial)
			}
		})
	}
}

func TestDialPadEnterDials(t *testing.T) {
	res := &fakeResident{}
	p := newTestDialPad(t, res)
	test.Type(p.number, "030 1234567")
	p.number.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if want := []string{"030 1234567|"}; strings.Join(res.dialed, ",") != strings.Join(want, ",") {
		t.Fatalf("dialed %q, want %q", res.dialed, want)
	}
	if !strings.Contains(p.status.Text, "The phone is dialing 00301234567") {
		t.Errorf("status after dialing: %q", p.status.Text)
	}
}

func TestDialPadAcceptsPastedText(t *testing.T) {
	res := &fakeResident{}
	p := newTestDialPad(t, res)
	fyne.CurrentApp().Clipboard().SetContent("Erika Mustermann\nTel.: +49 30 1234567\n")
	p.number.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	if want := "The phone will dial 0301234567"; !strings.HasPrefix(p.preview.Text, want) {
		t.Errorf("preview after paste = %q, want %q", p.preview.Text, want)
	}
	test.Tap(p.dialBtn)
	if len(res.dialed) != 1 {
		t.Errorf("dialed %q, want one dial", res.dialed)
	}
}

func TestDialPadTellsWhyADialFailed(t *testing.T) {
	res := &fakeResident{dialErr: errors.New("The phone at 192.0.2.10 cannot be reached")}
	p := newTestDialPad(t, res)
	test.Type(p.number, "204")
	test.Tap(p.dialBtn)
	if want := "The call was not placed: The phone at 192.0.2.10 cannot be reached"; p.status.Text != want {
		t.Errorf("status = %q, want %q", p.status.Text, want)
	}
	if p.dialBtn.Disabled() {
		t.Error("Dial stays disabled after a failure; the person cannot try again")
	}
}

func TestDialPadOffersALineOnlyWhenThereAreSeveral(t *testing.T) {
	tests := []struct {
		name         string
		lines        []Line
		choose       string
		wantShown    bool
		wantIdentity string
	}{
		{"none", nil, "", false, ""},
		{"one", []Line{{ID: "101@pbx", Label: "101"}}, "", false, ""},
		{"two, default", []Line{{ID: "101@pbx", Label: "101"}, {ID: "102@pbx", Label: "102 – Support"}}, "", true, "101@pbx"},
		{"two, second", []Line{{ID: "101@pbx", Label: "101"}, {ID: "102@pbx", Label: "102 – Support"}}, "102 – Support", true, "102@pbx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &fakeResident{lines: tt.lines}
			p := newTestDialPad(t, res)
			if p.lineBox.Visible() != tt.wantShown {
				t.Fatalf("line choice shown = %v, want %v", p.lineBox.Visible(), tt.wantShown)
			}
			if tt.choose != "" {
				p.line.SetSelected(tt.choose)
			}
			test.Type(p.number, "204")
			test.Tap(p.dialBtn)
			if want := "204|" + tt.wantIdentity; len(res.dialed) != 1 || res.dialed[0] != want {
				t.Errorf("dialed %q, want %q", res.dialed, want)
			}
		})
	}
}

func TestDialPadRecentNumberFillsTheField(t *testing.T) {
	p := newTestDialPad(t, &fakeResident{calls: sampleCalls()})
	if got := len(p.recentNums); got != 4 {
		t.Fatalf("%d recent numbers, want 4", got)
	}
	p.recent.Select(2)
	if p.number.Text != "+4940998877" {
		t.Errorf("number field = %q after choosing Hamburg Office", p.number.Text)
	}
}

func TestRecentAndFrequentNumbers(t *testing.T) {
	calls := sampleCalls()
	var recent []string
	for _, u := range recentNumbers(calls, 3) {
		recent = append(recent, u.Number)
	}
	if got, want := strings.Join(recent, " "), "+49301234567 0301234567 +4940998877"; got != want {
		t.Errorf("recent = %s, want %s", got, want)
	}
	var frequent []string
	for _, u := range frequentNumbers(calls, 10) {
		frequent = append(frequent, u.Number+"×"+string(rune('0'+u.Count))+" "+u.Name)
	}
	// Two numbers were called twice; the one called last comes first.
	if got, want := strings.Join(frequent, ", "), "+49301234567×2 Erika Mustermann, 204×2 Reception"; got != want {
		t.Errorf("frequent = %s, want %s", got, want)
	}
}

func TestDialPadMarkup(t *testing.T) {
	p := newTestDialPad(t, &fakeResident{calls: sampleCalls(), lines: []Line{{ID: "1", Label: "101"}, {ID: "2", Label: "102"}}})
	test.Type(p.number, "+49 30 1234567")
	assertMarkup(t, "dialpad.xml", p.Window())
}
