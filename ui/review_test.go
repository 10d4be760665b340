package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// TestRenderForReview writes a PNG of every window to $DIALBRIDGE_UI_REVIEW
// with the software painter, for looking at layouts while working on them
// without an X server. It does nothing unless that variable is set; the
// real screenshots come from `make screenshots` under Xvfb.
func TestRenderForReview(t *testing.T) {
	dir := os.Getenv("DIALBRIDGE_UI_REVIEW")
	if dir == "" {
		t.Skip("set DIALBRIDGE_UI_REVIEW=DIR to render every window to DIR")
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme())
	useLanguage(t, os.Getenv("DIALBRIDGE_UI_LANG"))
	shot := func(name string, w fyne.Window) {
		w.Show()
		// Wrapped labels learn their height from their width: lay out
		// twice, as the real driver does over its first frames.
		w.Content().Refresh()
		w.Content().Refresh()
		img := w.Canvas().Capture()
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	res := &fakeResident{calls: sampleCalls(), deliveries: sampleDeliveries(), lines: []Line{{ID: "101@pbx", Label: "101 – Reception"}, {ID: "102@pbx", Label: "102 – Support"}}}
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Outgoing = []config.Outgoing{{Event: "inbound", URL: "https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>", Enabled: true}}
	store := &memConfig{cfg: cfg}

	p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: store, Number: "Tel.: +49 (30) 123 45-67"})
	shot("dialpad", p.Window())

	tp := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: store, Number: "204", TransferCall: "c6"})
	shot("dialpad-transfer", tp.Window())

	paired := cfg
	paired.Phone.Brand, paired.Phone.Address = "snom", "192.0.2.10"
	about := NewAbout(a, AboutDeps{Env: testEnv(), Version: "1.4.2", ConfigPath: "/home/erika/.config/dialbridge/config.toml", Config: &memConfig{cfg: paired}, Resident: res})
	shot("about", about.Window())

	withKeys := cfg
	withKeys.Phone.Keys = []config.PhoneKey{{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"}, {Key: 2, Label: "Office", Action: "dial:030 123456"}}
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.Local)
	keys := &fakeKeys{status: control.KeysStatus{At: &at, Keys: []control.KeyStatus{{Key: 1, State: control.KeyWritten, At: &at}, {Key: 2, State: control.KeyWritten, At: &at}}}}
	s := NewSettings(a, SettingsDeps{Env: testEnv(), Config: &memConfig{cfg: withKeys}, Secrets: &memSecrets{}, Resident: res, Brands: []string{"snom", "yealink"}, OpenWizard: func() {}, Keys: keys})
	for i := range s.tabs.Items {
		s.tabs.SelectIndex(i)
		shot("settings-"+string(rune('1'+i)), s.Window())
	}

	contacts, states := fourSources()
	cs := NewSettings(a, SettingsDeps{Env: testEnv(), Config: &memConfig{cfg: contacts}, Secrets: &memSecrets{}, Resident: res, Lookups: states})
	cs.rows = append(cs.rows, cs.newSourceRow(formSource("csv", "~/team.csv")))
	cs.relayoutSources()
	cs.ShowTab("contacts")
	cs.Window().Resize(fyne.NewSize(920, 1500)) // every source with its line
	shot("settings-contacts-states", cs.Window())

	j := NewJournal(a, JournalDeps{Env: testEnv(), Resident: res})
	shot("journal-calls", j.Window())
	j.tabs.SelectIndex(1)
	shot("journal-deliveries", j.Window())
	j.delivTable.Select(widget.TableCellID{Row: 2, Col: 2}) // the failed one, with its reason
	shot("journal-deliveries-reason", j.Window())

	c := NewConfirm(a, ConfirmDeps{Env: testEnv(), Origin: "https://crm.example", Number: "+49 30 1234567", Dial: "0301234567"})
	shot("confirm", c.Window())

	wz := NewWizard(a, WizardDeps{Env: testEnv(), Pairer: &fakePairer{brand: "snom", password: "pw", setup: pairing.EventSetup{Settings: []pairing.Setting{{Name: "action_incoming_url", Label: "Incoming call", Value: "http://192.0.2.5:61234/phone/TOKEN/snom/incoming?remote=$remote"}}}}, Config: store, Secrets: &memSecrets{}, Resident: res, Address: "192.0.2.10"})
	shot("wizard-1", wz.Window())
	wz.Next()
	shot("wizard-2", wz.Window())
	wz.Next()
	wz.password.SetText("pw")
	wz.Next()
	shot("wizard-4", wz.Window())
	wz.Next()
	shot("wizard-5", wz.Window())
	wz.Next()
	shot("wizard-6", wz.Window())
}
