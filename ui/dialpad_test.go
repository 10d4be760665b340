package ui

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
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

// settle lays a window out twice, as the real driver does over its first
// frames: wrapped labels learn their height from their width, so a single
// pass leaves heights that depend on what earlier tests measured.
func settle(w fyne.Window) {
	w.Content().Refresh()
	w.Content().Refresh()
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

// TestDialPadShowsWhatThePhoneWillDoAsYouType reads the preview and the
// button's state after each typed text, in the dial pad and in the
// transfer pad, whose button transfers the call instead.
func TestDialPadShowsWhatThePhoneWillDoAsYouType(t *testing.T) {
	dialPad := func(t *testing.T) *DialPad { return newTestDialPad(t, &fakeResident{}) }
	transferPad := func(t *testing.T) *DialPad {
		p, _ := newTransferPad(t, &fakeResident{}, "c7")
		return p
	}
	tests := []struct {
		pad         string
		open        func(*testing.T) *DialPad
		typed       string
		wantPreview string
		canPress    bool
	}{
		{"dial", dialPad, "", "The number the phone will dial appears here.", false},
		{"dial", dialPad, "+49 (30) 123 45-67", "The phone will dial 0301234567 (national number)", true},
		{"dial", dialPad, "Tel.: 030 / 123 45 67", "The phone will dial 0301234567 (national number)", true},
		{"dial", dialPad, "204", "The phone will dial 204 (internal extension)", true},
		{"dial", dialPad, "+1 201 555 0123", "The phone will dial 0012015550123 (international number)", true},
		{"dial", dialPad, "call me", "Cannot dial this:", false},
		{"transfer", transferPad, "", "The number the phone will dial appears here.", false},
		{"transfer", transferPad, "Tel.: 030 / 123 45 67", "The phone will transfer the call to 0301234567 (national number)", true},
		{"transfer", transferPad, "+49 30 1234567 ext. 89", "The phone will transfer the call to 0301234567 (national number)\nExtension 89 is left out", true},
		{"transfer", transferPad, "call me", "Cannot dial this:", false},
	}
	for _, tt := range tests {
		t.Run(tt.pad+"/"+tt.typed, func(t *testing.T) {
			p := tt.open(t)
			test.Type(p.number, tt.typed)
			if got := p.preview.Text; !strings.HasPrefix(got, tt.wantPreview) {
				t.Errorf("preview for %q = %q, want it to start with %q", tt.typed, got, tt.wantPreview)
			}
			if got := !p.dialBtn.Disabled(); got != tt.canPress {
				t.Errorf("%s button enabled = %v, want %v", tt.pad, got, tt.canPress)
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

func newTransferPad(t *testing.T, res *fakeResident, callID string) (*DialPad, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: &memConfig{cfg: berlinConfig()}, TransferCall: callID})
	p.Window().Resize(fyne.NewSize(460, 520))
	p.Window().Show()
	settle(p.Window())
	return p, a
}

// isOpen reports whether w is still one of the app's windows.
func isOpen(a fyne.App, w fyne.Window) bool {
	for _, o := range a.Driver().AllWindows() {
		if o == w {
			return true
		}
	}
	return false
}

func TestDialPadTransfersTheCallAndCloses(t *testing.T) {
	tests := []struct {
		name, callID, typed string
		submit              func(p *DialPad)
		want                string
	}{
		{"button, by GUID", "c7", "+49 30 1234567", func(p *DialPad) { test.Tap(p.dialBtn) }, "c7|+49 30 1234567"},
		{"enter, by call id", "17", "204", func(p *DialPad) { p.number.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }, "17|204"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &fakeResident{lines: []Line{{ID: "1", Label: "101"}, {ID: "2", Label: "102"}}}
			p, a := newTransferPad(t, res, tt.callID)
			if p.Window().Title() != "Transfer the call" || p.dialBtn.Text != "Transfer" {
				t.Errorf("title %q, button %q; want the transfer wording", p.Window().Title(), p.dialBtn.Text)
			}
			if p.lineBox.Visible() {
				t.Error("a transfer offers a line to dial from; it goes out on the call's own line")
			}
			test.Type(p.number, tt.typed)
			tt.submit(p)
			if len(res.transfers) != 1 || res.transfers[0] != tt.want {
				t.Errorf("transfers %q, want [%q]", res.transfers, tt.want)
			}
			if len(res.dialed) != 0 {
				t.Errorf("dialed %q in transfer mode", res.dialed)
			}
			if isOpen(a, p.Window()) {
				t.Error("the window stays open after the phone took the transfer")
			}
		})
	}
}

func TestDialPadTellsWhyATransferFailed(t *testing.T) {
	res := &fakeResident{transferErr: errors.New("that call is not in progress (it may have ended)")}
	p, a := newTransferPad(t, res, "c7")
	test.Type(p.number, "204")
	test.Tap(p.dialBtn)
	if want := "The call was not transferred: that call is not in progress (it may have ended)"; p.status.Text != want {
		t.Errorf("status = %q, want %q", p.status.Text, want)
	}
	if p.status.Importance != widget.DangerImportance {
		t.Errorf("status importance = %v, want danger", p.status.Importance)
	}
	if !isOpen(a, p.Window()) {
		t.Error("the window closed after a failed transfer; the person cannot try again")
	}
	if p.dialBtn.Disabled() {
		t.Error("Transfer stays disabled after a failure")
	}
}

func TestDialPadNamesTheCallBeingTransferred(t *testing.T) {
	active := phone.Call{GUID: "c7", ID: "17", Direction: phone.Inbound, Remote: "+4940998877", RemoteAlias: "Hamburg Office", Created: testNow.Add(-3 * time.Minute)}
	tests := []struct {
		name, callID, want string
	}{
		{"by GUID", "c7", "Type the number to transfer your call with Hamburg Office (+4940998877) to."},
		{"by call id", "17", "Type the number to transfer your call with Hamburg Office (+4940998877) to."},
		// c6 has ended: the note must not name a call that is over.
		{"ended call", "c6", "Type the number to transfer the call in progress to."},
		{"unknown call", "c99", "Type the number to transfer the call in progress to."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newTransferPad(t, &fakeResident{calls: append([]phone.Call{active}, sampleCalls()...)}, tt.callID)
			if !strings.HasPrefix(p.transferNote.Text, tt.want) {
				t.Errorf("note = %q, want it to start with %q", p.transferNote.Text, tt.want)
			}
		})
	}
}

func TestDialPadTransferMarkup(t *testing.T) {
	active := phone.Call{GUID: "c7", ID: "17", Direction: phone.Inbound, Remote: "+4940998877", RemoteAlias: "Hamburg Office", Created: testNow.Add(-3 * time.Minute)}
	p, _ := newTransferPad(t, &fakeResident{calls: append([]phone.Call{active}, sampleCalls()...)}, "c7")
	test.Type(p.number, "204")
	settle(p.Window())
	assertMarkup(t, "dialpad_transfer.xml", p.Window())
}

func TestDialPadTransferInGerman(t *testing.T) {
	useLanguage(t, "de")
	p, _ := newTransferPad(t, &fakeResident{}, "c7")
	test.Type(p.number, "204")
	if p.Window().Title() != "Gespräch weiterverbinden" || p.dialBtn.Text != "Weiterverbinden" {
		t.Errorf("title %q, button %q", p.Window().Title(), p.dialBtn.Text)
	}
	if want := "Das Telefon verbindet das Gespräch weiter an 204 (interne Durchwahl)"; p.preview.Text != want {
		t.Errorf("preview = %q, want %q", p.preview.Text, want)
	}
}

// TestDialPadNamesWhatIsNotANumber: text with letters that are no vanity
// spelling cannot be dialled, and the preview names the part, in English
// and in German.
func TestDialPadNamesWhatIsNotANumber(t *testing.T) {
	tests := []struct {
		language, typed, want string
	}{
		{"en", "030123 --config", `Cannot dial this: "--config" looks like a command-line option, not part of a phone number.`},
		{"en", "030-ABC-1234", `Cannot dial this: the word "ABC" stands between digits. Letters are read as keypad digits only at the end of a number, as in 0800 FLOWERS.`},
		{"en", "PLEASE CALL 0800 NOW", `Cannot dial this: the word "NOW" after the number is part of a sentence. Letters are read as keypad digits only in a vanity number, as in 0800 FLOWERS.`},
		{"de", "BITTE 0800 ANRUFEN", "Nicht wählbar: Das Wort „ANRUFEN“ nach der Nummer gehört zu einem Satz. Buchstaben werden nur in einer Vanity-Nummer als Tastenziffern gelesen, wie in 0800 FLOWERS."},
		{"de", "030123 --config", "Nicht wählbar: „--config“ sieht aus wie eine Befehlszeilen-Option, nicht wie ein Teil einer Telefonnummer."},
		{"de", "030-ABC-1234", "Nicht wählbar: Das Wort „ABC“ steht zwischen Ziffern. Buchstaben werden nur am Ende einer Nummer als Tastenziffern gelesen, wie in 0800 FLOWERS."},
	}
	for _, tt := range tests {
		t.Run(tt.language+" "+tt.typed, func(t *testing.T) {
			useLanguage(t, tt.language)
			p := newTestDialPad(t, &fakeResident{})
			test.Type(p.number, tt.typed)
			if p.preview.Text != tt.want {
				t.Errorf("preview = %q, want %q", p.preview.Text, tt.want)
			}
			if !p.dialBtn.Disabled() {
				t.Error("the Dial button is enabled")
			}
		})
	}
	useLanguage(t, "en")
	p := newTestDialPad(t, &fakeResident{})
	test.Type(p.number, "0800 FLOWERS")
	if want := "The phone will dial 08003569377 (national number)"; !strings.HasPrefix(p.preview.Text, want) {
		t.Errorf("vanity preview = %q, want %q", p.preview.Text, want)
	}
}

// TestDialPadPlaceholderFits: the hint in the empty number field is shown
// whole, in every language, at the window's size.
func TestDialPadPlaceholderFits(t *testing.T) {
	for _, language := range []string{"en", "de"} {
		t.Run(language, func(t *testing.T) {
			useLanguage(t, language)
			p := newTestDialPad(t, &fakeResident{})
			settle(p.Window())
			room := p.number.Size().Width - 2*theme.InnerPadding() - 2*theme.InputBorderSize()
			need := fyne.MeasureText(p.number.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width
			if need > room {
				t.Errorf("the placeholder %q needs %.0f px, the field has %.0f", p.number.PlaceHolder, need, room)
			}
		})
	}
}

// TestDialPadAnswersOrRejectsARingingCall: while a call rings, the dial
// pad offers Answer and Reject, which go to the resident as the tray's
// items do; a connected call offers neither.
func TestDialPadAnswersOrRejectsARingingCall(t *testing.T) {
	ringing := phone.Call{ID: "c1", GUID: "g1", Direction: phone.Inbound, Remote: "+4930123", RemoteAlias: "Anna"}
	connected := ringing
	connected.Connected = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		active  []phone.Call
		tap     func(p *DialPad) *widget.Button
		wantBar bool
		wantOps []string
	}{
		{"answer", []phone.Call{ringing}, func(p *DialPad) *widget.Button { return p.incoming.answer }, true, []string{"g1|answer"}},
		{"reject", []phone.Call{ringing}, func(p *DialPad) *widget.Button { return p.incoming.reject }, true, []string{"g1|hangup"}},
		{"connected: nothing to answer", []phone.Call{connected}, nil, false, nil},
		{"no call", nil, nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &fakeResident{active: tt.active}
			p := newTestDialPad(t, res)
			p.refreshIncoming()
			if got := p.incoming.box.Visible(); got != tt.wantBar {
				t.Fatalf("bar shown %v, want %v", got, tt.wantBar)
			}
			if !tt.wantBar {
				return
			}
			if want := "Incoming call from Anna (+4930123)"; p.incoming.label.Text != want {
				t.Errorf("bar says %q, want %q", p.incoming.label.Text, want)
			}
			test.Tap(tt.tap(p))
			if !reflect.DeepEqual(res.ops, tt.wantOps) {
				t.Errorf("resident was asked %v, want %v", res.ops, tt.wantOps)
			}
			if p.incoming.box.Visible() {
				t.Error("the bar stays after the call stopped ringing")
			}
		})
	}
}

// TestDialPadForwardsThePhonesCalls: in forward mode the pad asks for the
// number the phone forwards its calls to, previews it under the dialing
// rules, hands the typed text to the resident, closes once the phone
// accepted and stays with the reason when it did not.
func TestDialPadForwardsThePhonesCalls(t *testing.T) {
	for _, tt := range []struct {
		name, wantStatus string
		err              error
		wantOpen         bool
	}{
		{"accepted", "Asking the phone to forward its calls…", nil, false},
		{"refused", "Calls are not forwarded: A Fanvil phone cannot forward calls remotely", errors.New("A Fanvil phone cannot forward calls remotely"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := &fakeResident{forwardErr: tt.err}
			a := test.NewTempApp(t)
			p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: &memConfig{cfg: berlinConfig()}, Forward: true})
			p.Window().Show()
			settle(p.Window())
			if p.Window().Title() != "Forward calls" || p.dialBtn.Text != "Forward" || p.lineBox.Visible() {
				t.Errorf("title %q, button %q, line shown %v; want the forward wording and no line", p.Window().Title(), p.dialBtn.Text, p.lineBox.Visible())
			}
			if want := "The number the phone will forward its calls to appears here."; p.preview.Text != want {
				t.Errorf("empty preview %q, want %q", p.preview.Text, want)
			}
			test.Type(p.number, "+49 30 1234567")
			if want := "The phone will forward every incoming call to 0301234567 (national number)"; p.preview.Text != want {
				t.Errorf("preview %q, want %q", p.preview.Text, want)
			}
			test.Tap(p.dialBtn)
			if len(res.forwards) != 1 || res.forwards[0] != "+49 30 1234567" || len(res.dialed) != 0 {
				t.Errorf("forwards %q and dials %q, want one forward to the typed text", res.forwards, res.dialed)
			}
			if isOpen(a, p.Window()) != tt.wantOpen || p.status.Text != tt.wantStatus {
				t.Errorf("open %v with status %q, want %v and %q", isOpen(a, p.Window()), p.status.Text, tt.wantOpen, tt.wantStatus)
			}
		})
	}
}
