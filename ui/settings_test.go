package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

type settingsRig struct {
	s       *Settings
	store   *memConfig
	secrets *memSecrets
	res     *fakeResident
	reg     []error // answers of Register, one per call
	regRuns int
}

func newSettingsRig(t *testing.T, cfg config.Config) *settingsRig {
	t.Helper()
	return newSettingsRigWith(t, cfg, nil)
}

// newSettingsRigWith is newSettingsRig with deps adjusted (nil: as they
// are) before the window is built, for the pages that ask the resident
// more than the rig's fakes answer.
func newSettingsRigWith(t *testing.T, cfg config.Config, adjust func(*SettingsDeps)) *settingsRig {
	t.Helper()
	a := test.NewTempApp(t)
	r := &settingsRig{store: &memConfig{cfg: cfg}, secrets: &memSecrets{}, res: &fakeResident{}}
	d := SettingsDeps{
		Env: testEnv(), Config: r.store, Secrets: r.secrets, Resident: r.res, Brands: []string{"snom", "yealink", "sip"},
		Register: func(context.Context) error {
			r.regRuns++
			if len(r.reg) > 0 {
				err := r.reg[0]
				r.reg = r.reg[1:]
				return err
			}
			return nil
		},
	}
	if adjust != nil {
		adjust(&d)
	}
	r.s = NewSettings(a, d)
	r.s.Window().Resize(fyne.NewSize(920, 660))
	return r
}

// problems lists the problems shown next to fields, by config key.
func (r *settingsRig) problems() map[string]string {
	out := map[string]string{}
	for _, f := range r.s.fields {
		if f.problem.Visible() {
			out[f.key] = f.problem.Text
		}
	}
	return out
}

func retype(e interface {
	fyne.Focusable
	SetText(string)
}, text string) {
	e.SetText("")
	test.Type(e, text)
}

func TestSettingsShowsMiasItemsFromTheFile(t *testing.T) {
	cfg := config.Default()
	cfg.Listener.Port = 61999
	cfg.Listener.MakeCall = false
	cfg.Outgoing = []config.Outgoing{{Event: "connected", URL: "https://crm.example/up?g=<$call_guid>", Enabled: true, OpenInBrowser: true}}
	r := newSettingsRig(t, cfg)
	s := r.s
	if !s.enabled.Checked || s.port.Text != "61999" || !s.incoming.Checked || s.makeCall.Checked {
		t.Errorf("items 1-4: enabled=%v port=%q incoming=%v make_call=%v", s.enabled.Checked, s.port.Text, s.incoming.Checked, s.makeCall.Checked)
	}
	connected := s.events[2]
	if connected.event != "connected" || connected.url.Text != cfg.Outgoing[0].URL || !connected.enabled.Checked || !connected.browser.Checked {
		t.Errorf("items 5-7 for connected: %q %q enabled=%v browser=%v", connected.event, connected.url.Text, connected.enabled.Checked, connected.browser.Checked)
	}
	if !strings.Contains(s.makeCallHelp.hint.Text, "http://127.0.0.1:61999/?action=make_call&target=123") {
		t.Errorf("make_call help does not show the configured port: %q", s.makeCallHelp.hint.Text)
	}
}

func TestSettingsSwitchesGreyOutWhatTheyTurnOff(t *testing.T) {
	r := newSettingsRig(t, config.Default())
	s := r.s
	test.Tap(s.incoming) // off
	if !s.makeCall.Disabled() {
		t.Error("make_call stays enabled with incoming action URLs off")
	}
	test.Tap(s.incoming) // on again
	test.Tap(s.enabled)  // everything off
	if !s.incoming.Disabled() || !s.makeCall.Disabled() {
		t.Error("items 3 and 4 stay enabled with action URLs off")
	}
}

func TestSettingsExplainsBadValuesNextToTheFieldAndSavesNothing(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(s *Settings)
		key    string
		reason string
	}{
		{"port too big", func(s *Settings) { retype(s.port, "70000") }, "listener.port", "Enter a port number from 1 to 65535."},
		{"port not a number", func(s *Settings) { retype(s.port, "sixty") }, "listener.port", "Enter a port number from 1 to 65535."},
		{"origin with path", func(s *Settings) { retype(s.origins, "https://crm.example\nhttps://x.example/page") }, "listener.allowed_origins", `Line 2: "https://x.example/page" is not a web origin`},
		{"wildcard origin", func(s *Settings) { retype(s.origins, "*") }, "listener.allowed_origins", "would let every web page dial"},
		{"bad network", func(s *Settings) { retype(s.ips, "192.0.2.0/33") }, "listener.allow_ips", `Line 1: "192.0.2.0/33" is neither an address nor a network`},
		{"country", func(s *Settings) { retype(s.country, "Germany") }, "dialing.country", "Enter the two-letter country code"},
		{"unknown country", func(s *Settings) { retype(s.country, "QQ") }, "dialing.country", "not an ISO 3166 country code"},
		{"area code with trunk prefix", func(s *Settings) { retype(s.area, "030") }, "dialing.area_code", "without the trunk prefix 0"},
		{"internal digits", func(s *Settings) { retype(s.internalMax, "12") }, "dialing.internal_max_digits", "Enter a number from 0 to 8."},
		{"blocked pattern", func(s *Settings) { s.defaultBlocked.SetChecked(false); retype(s.blocked, "09x0*") }, "dialing.blocked", "pattern"},
		{"address missing", func(s *Settings) { s.brand.SetSelected("snom"); retype(s.address, "") }, "phone.address", "Enter the phone's address"},
		{"SIP phone at a web address", func(s *Settings) {
			s.brand.SetSelected("sip")
			retype(s.address, "http://192.0.2.10")
			retype(s.sipDomain, "pbx.example")
		},
			"phone.address", "is not a SIP address; write it as sip:101@192.0.2.10:5060"},
		{"SIP phone without PBX domain", func(s *Settings) { s.brand.SetSelected("sip"); retype(s.address, "sip:101@192.0.2.10") },
			"phone.sip_domain", "Enter the domain of the PBX the phone is registered with"},
		{"PBX domain that would break the header", func(s *Settings) {
			s.brand.SetSelected("sip")
			retype(s.address, "sip:101@192.0.2.10")
			retype(s.sipDomain, "pbx.example>")
		},
			"phone.sip_domain", `"pbx.example>" is not a domain like "pbx.example"`},
		{"user without password", func(s *Settings) { retype(s.listenerUser, "alice") }, "listener.password", "Set a password for this user name"},
		{"enabled URL empty", func(s *Settings) { test.Tap(s.events[0].enabled) }, "outgoing[1]", "Enter a URL, or switch this action URL off."},
		{"URL with unknown placeholder", func(s *Settings) { retype(s.events[1].url, "https://crm.example/?n=<$number>") }, "outgoing[1]", "unknown placeholder <$number>"},
		{"URL that is no web address", func(s *Settings) { retype(s.events[1].url, "file:///etc/passwd") }, "outgoing[1]", "not an http:// or https:// URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSettingsRig(t, berlinConfig())
			tt.edit(r.s)
			r.s.Save()
			if r.store.saves != 0 {
				t.Fatalf("the config was saved despite %s", tt.name)
			}
			if len(r.secrets.m) != 0 {
				t.Errorf("secrets were stored despite %s: %v", tt.name, r.secrets.m)
			}
			got := r.problems()[tt.key]
			if !strings.Contains(got, tt.reason) {
				t.Errorf("problem next to %s = %q, want it to say %q (all: %q)", tt.key, got, tt.reason, r.problems())
			}
			if !strings.HasPrefix(r.s.status.Text, "Nothing was saved") {
				t.Errorf("status = %q", r.s.status.Text)
			}
		})
	}
}

func TestSettingsShowsAProblemWhileTyping(t *testing.T) {
	r := newSettingsRig(t, config.Default())
	test.Type(r.s.port, "9") // at the cursor, the start: 961234
	if got := r.problems()["listener.port"]; got != "Enter a port number from 1 to 65535." {
		t.Errorf("after typing 961234: %q", got)
	}
	r.s.port.SetText("61235")
	if got, ok := r.problems()["listener.port"]; ok {
		t.Errorf("problem stays after fixing the port: %q", got)
	}
}

func TestSettingsSaveWritesTheFileAndReloads(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	s := r.s
	retype(s.port, "61235")
	test.Tap(s.makeCall)
	retype(s.origins, "https://crm.example\n\n https://helpdesk.example:8443 ")
	s.confirm.SetSelected(confirmLabels()[0])
	retype(s.outside, "0")
	retype(s.events[0].url, "https://crm.example/call?nr=<$remote_party>")
	test.Tap(s.events[0].enabled)
	test.Tap(s.events[4].browser)
	retype(s.events[4].url, "https://crm.example/end?g=<$call_guid>")

	s.Save()
	if r.store.saves != 1 {
		t.Fatalf("saved %d times, want once; status %q, problems %v", r.store.saves, s.status.Text, r.problems())
	}
	got := r.store.cfg
	if got.Listener.Port != 61235 || got.Listener.MakeCall || got.Listener.Confirm != "always" || got.Dialing.OutsideLine != "0" {
		t.Errorf("saved listener %+v, dialing %+v", got.Listener, got.Dialing)
	}
	if want := []string{"https://crm.example", "https://helpdesk.example:8443"}; strings.Join(got.Listener.AllowedOrigins, " ") != strings.Join(want, " ") {
		t.Errorf("origins = %q, want %q", got.Listener.AllowedOrigins, want)
	}
	want := []config.Outgoing{
		{Event: "inbound", URL: "https://crm.example/call?nr=<$remote_party>", Enabled: true},
		{Event: "disconnected", URL: "https://crm.example/end?g=<$call_guid>", OpenInBrowser: true},
	}
	if len(got.Outgoing) != len(want) || got.Outgoing[0] != want[0] || got.Outgoing[1] != want[1] {
		t.Errorf("outgoing = %+v, want %+v", got.Outgoing, want)
	}
	if r.res.reloads != 1 {
		t.Errorf("resident reloaded %d times, want once", r.res.reloads)
	}
	if s.status.Text != "Saved. dialbridge uses the new settings now." {
		t.Errorf("status = %q", s.status.Text)
	}
}

func TestSettingsSavesASIPPhoneWithItsPBXDomain(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	r.s.brand.SetSelected("sip")
	retype(r.s.address, "sip:101@192.0.2.10:5060")
	retype(r.s.sipDomain, " pbx.example ")
	r.s.Save()
	if r.store.saves != 1 {
		t.Fatalf("saved %d times, want once; status %q, problems %v", r.store.saves, r.s.status.Text, r.problems())
	}
	got := r.store.cfg.Phone
	if got.Brand != "sip" || got.Address != "sip:101@192.0.2.10:5060" || got.SIPDomain != "pbx.example" {
		t.Errorf("saved phone %+v", got)
	}
}

func TestSettingsKeepsWhatItDoesNotShow(t *testing.T) {
	cfg := berlinConfig()
	cfg.Phone.TLSFingerprint = "AB:CD"
	cfg.Outgoing = []config.Outgoing{
		{Event: "inbound", URL: "https://a.example/1", Enabled: true},
		{Event: "inbound", URL: "https://b.example/2", Enabled: true}, // a second URL an admin wrote
	}
	r := newSettingsRig(t, cfg)
	r.s.Save()
	got := r.store.cfg
	if got.Phone.TLSFingerprint != "AB:CD" {
		t.Errorf("phone.tls_fingerprint lost: %+v", got.Phone)
	}
	if len(got.Outgoing) != 2 || got.Outgoing[1].URL != "https://b.example/2" {
		t.Errorf("the admin's second inbound URL was lost: %+v", got.Outgoing)
	}
}

func TestSettingsPasswordsGoToTheKeyringOnly(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	s := r.s
	retype(s.listenerUser, "alice")
	test.Type(s.listenerPass, "s3cret")
	s.brand.SetSelected("snom")
	retype(s.address, "192.0.2.10")
	retype(s.phoneUser, "admin")
	test.Type(s.phonePass, "pa55")
	s.Save()
	if r.store.saves != 1 {
		t.Fatalf("not saved: %q %v", s.status.Text, r.problems())
	}
	if r.secrets.m[config.SecretListener] != "s3cret" || r.secrets.m[config.SecretPhone] != "pa55" {
		t.Errorf("keyring = %v", r.secrets.m)
	}
	if r.store.cfg.Listener.Username != "alice" || r.store.cfg.Phone.Username != "admin" {
		t.Errorf("user names not saved: %+v %+v", r.store.cfg.Listener, r.store.cfg.Phone)
	}
	if s.listenerPass.Text != "" || s.phonePass.Text != "" {
		t.Error("password fields keep the password after saving")
	}

	// Clearing the user name removes the stored password.
	retype(s.listenerUser, "")
	s.Save()
	if _, ok := r.secrets.m[config.SecretListener]; ok {
		t.Error("listener password stays in the keyring after the user name was cleared")
	}
}

func TestSettingsKeyringFailureSavesNothing(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	r.secrets.setErr = errors.New("the system keyring did not answer within 5 seconds")
	retype(r.s.listenerUser, "alice")
	test.Type(r.s.listenerPass, "s3cret")
	r.s.Save()
	if r.store.saves != 0 {
		t.Error("the config names a listener user whose password could not be stored")
	}
	if !strings.Contains(r.s.status.Text, "keyring did not answer") {
		t.Errorf("status = %q", r.s.status.Text)
	}
}

func TestSettingsSavedWhileDialbridgeIsNotRunning(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	r.res.reloadErr = control.ErrNotRunning
	r.s.Save()
	if r.store.saves != 1 || !strings.Contains(r.s.status.Text, "not running") {
		t.Errorf("saves=%d status=%q", r.store.saves, r.s.status.Text)
	}
}

func TestSettingsOutgoingPreviewFollowsTyping(t *testing.T) {
	r := newSettingsRig(t, config.Default())
	e := r.s.events[0] // inbound
	tests := []struct{ typed, want string }{
		{"", "No URL for this event."},
		{"https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>&dir=<$call_direction>",
			"https://crm.example/call?nr=%2B49301234567&name=Erika+Mustermann&dir=inbound"},
		{"https://crm.example/<$remote_alias>", "https://crm.example/Erika%20Mustermann"},
		{"https://crm.example/?x=<$nope>", "unknown placeholder <$nope>"},
		{"https://<$remote_party>.example/", "host"},
	}
	for _, tt := range tests {
		retype(e.url, tt.typed)
		if !strings.Contains(e.preview.Text, tt.want) {
			t.Errorf("preview of %q = %q, want %q", tt.typed, e.preview.Text, tt.want)
		}
	}
}

func TestSettingsPlaceholderPickerInsertsAtTheCursor(t *testing.T) {
	r := newSettingsRig(t, config.Default())
	e := r.s.events[0]
	test.Type(e.url, "https://crm.example/?nr=")
	e.picker.SetSelectedIndex(5) // <$remote_party>
	if e.url.Text != "https://crm.example/?nr=<$remote_party>" {
		t.Errorf("URL after picking = %q", e.url.Text)
	}
	if e.picker.Selected != "" {
		t.Errorf("picker keeps %q selected; it should be ready for the next", e.picker.Selected)
	}
	for i, tok := range []string{"<$action>", "<$remote_party>", "<$call_guid>"} {
		found := false
		for _, o := range e.picker.Options {
			if strings.HasPrefix(o, tok+"  –  ") && len(o) > len(tok)+8 {
				found = true
			}
		}
		if !found {
			t.Errorf("%d: picker lacks %s with a description", i, tok)
		}
	}
}

func TestSettingsTryANumber(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	s := r.s
	retype(s.outside, "0")
	test.Type(s.tryNumber, "+49 30 1234567")
	if want := "The phone will dial 00301234567 (national number)"; s.tryResult.Text != want {
		t.Errorf("try = %q, want %q", s.tryResult.Text, want)
	}
	retype(s.tryNumber, "0900 123456")
	if !strings.Contains(s.tryResult.Text, "Blocked for links and web pages") {
		t.Errorf("premium number not shown as blocked: %q", s.tryResult.Text)
	}
}

func TestSettingsRegistersThePhoneLinkHandler(t *testing.T) {
	r := newSettingsRig(t, config.Default())
	r.reg = []error{errors.New("xdg-mime is not installed"), nil}
	test.Tap(r.s.registerBtn)
	if !strings.Contains(r.s.registerResult.Text, "xdg-mime is not installed") || r.s.registerBtn.Disabled() {
		t.Errorf("after a failed registration: %q", r.s.registerResult.Text)
	}
	test.Tap(r.s.registerBtn)
	if r.regRuns != 2 || !strings.HasPrefix(r.s.registerResult.Text, "Done") {
		t.Errorf("runs=%d result=%q", r.regRuns, r.s.registerResult.Text)
	}
}

func TestSettingsRefusesToEditABrokenFile(t *testing.T) {
	a := test.NewTempApp(t)
	store := &memConfig{loadErr: errors.New("config.toml: line 3: unknown setting listener.color")}
	s := NewSettings(a, SettingsDeps{Env: testEnv(), Config: store, Secrets: &memSecrets{}})
	if s.save != nil {
		t.Error("a Save button is offered for a file that could not be read")
	}
	if !strings.Contains(test.RenderToMarkup(s.Window().Canvas()), "unknown setting listener.color") {
		t.Error("the file's problem is not shown")
	}
}

func TestSettingsMarkup(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	retype(r.s.port, "99999")
	assertMarkup(t, "settings_actionurls.xml", r.s.Window())
	r.s.tabs.SelectIndex(1)
	assertMarkup(t, "settings_outgoing.xml", r.s.Window())
}

// TestSettingsInGerman: with a German locale every word of the window is
// German, Mia's items in Mia's own wording.
func TestSettingsInGerman(t *testing.T) {
	useLanguage(t, "de")
	r := newSettingsRig(t, berlinConfig())
	for got, want := range map[string]string{
		r.s.enabled.Text:           "1  Aktiviere Action-URLs (Grundfunktionalität)",
		r.s.portField.label.Text:   "2  TCP-Port zum Empfang eingehender Action-URLs",
		r.s.makeCall.Text:          "4  Aktiviere eingehende Action-URL „make_call“ („Wähle Rufnummer“)",
		r.s.events[0].browser.Text: "7  Zeige die Action-URL im externen Webbrowser",
		r.s.save.Text:              "Speichern",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	retype(r.s.port, "0")
	r.s.Save()
	if got := r.problems()["listener.port"]; got != "Geben Sie eine Portnummer von 1 bis 65535 ein." {
		t.Errorf("problem in German: %q", got)
	}
	assertMarkup(t, "settings_actionurls_de.xml", r.s.Window())
}
