package ui

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// fourSources is a config with one source of each way of keeping state:
// a file read, a CardDAV book synced, a directory that refuses its
// password and a CRM nobody asked yet; fourStates is how the running
// dialbridge reports them.
func fourSources() (config.Config, *fakeLookups) {
	cfg := berlinConfig()
	cfg.Lookup = []config.Lookup{
		{Kind: "vcard", Path: "~/contacts.vcf"},
		{Kind: "carddav", URL: "https://dav.example/addressbooks/me/contacts/", Username: "me"},
		{Kind: "ldap", URL: "ldaps://dir.example", BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader"},
		{Kind: "url", URL: "https://crm.example/api/lookup?nr=<$remote_party>"},
	}
	at := testNow.Add(-27 * time.Minute) // 14:03
	refused := sentence.New("lookup.ldap_auth", "the directory at {{.Host}} refused the user name or password of {{.User}}",
		map[string]any{"Host": "dir.example", "User": "cn=reader"}, nil)
	return cfg, &fakeLookups{list: []lookup.SourceStatus{
		{Label: "vcard ~/contacts.vcf", Kind: control.LookupRead, At: at, Numbers: 124},
		{Label: "carddav dav.example", Kind: control.LookupSynced, At: at, Numbers: 80},
		{Label: "ldap dir.example", Kind: control.LookupAsked, At: at.Add(2 * time.Minute), Err: refused},
		{Label: "url crm.example", Kind: control.LookupAsked},
	}}
}

// rowState is the line under a source and whether it warns.
type rowState struct {
	text string
	warn bool
}

func (s *Settings) rowStates() []rowState {
	var out []rowState
	for _, r := range s.rows {
		text := r.state.Text
		if !r.state.Visible() {
			text = ""
		}
		out = append(out, rowState{text, r.state.Importance == widget.WarningImportance})
	}
	return out
}

// When the Contacts page opens, each source shows under it how the running
// dialbridge reports it: read, synced, the directory's refusal as a
// warning, and "not asked yet", in English and German.
func TestSettingsContactsShowsHowEachSourceOfTheRunningDialbridgeIsDoing(t *testing.T) {
	for _, tc := range []struct {
		language string
		want     []rowState
		golden   string
	}{
		{"en", []rowState{
			{"Read at 14:03: 124 numbers", false},
			{"Synced at 14:03: 80 numbers", false},
			{"Asked at 14:05: the directory at dir.example refused the user name or password of cn=reader", true},
			{"Not asked yet", false},
		}, "settings_contacts_states.xml"},
		{"de", []rowState{
			{"Gelesen um 14:03: 124 Nummern", false},
			{"Abgeglichen um 14:03: 80 Nummern", false},
			{"Gefragt um 14:05: das Verzeichnis auf dir.example hat Benutzername oder Passwort von cn=reader abgelehnt", true},
			{"Noch nicht gefragt", false},
		}, "settings_contacts_states_de.xml"},
	} {
		t.Run(tc.language, func(t *testing.T) {
			useLanguage(t, tc.language)
			cfg, states := fourSources()
			r := newSettingsRigWith(t, cfg, func(d *SettingsDeps) { d.Lookups = states })
			if got := r.s.rowStates(); states.asked != 1 || !slices.Equal(got, tc.want) {
				t.Errorf("asked %d times; lines\n%+v\nwant once and\n%+v", states.asked, got, tc.want)
			}
			if r.s.statesNote.Visible() {
				t.Errorf("the page says %q although dialbridge answered", r.s.statesNote.Text)
			}
			r.s.ShowTab("contacts")
			settle(r.s.Window())
			assertMarkup(t, tc.golden, r.s.Window())
		})
	}
}

// A source added or changed in the window says it is not saved yet rather
// than another source's state; a moved one keeps its own; after Save the
// page asks dialbridge again and shows what it has now.
func TestSettingsContactsSaysAnEditedSourceIsNotSavedUntilSaveAsksAgain(t *testing.T) {
	useLanguage(t, "en")
	cfg, states := fourSources()
	r := newSettingsRigWith(t, cfg, func(d *SettingsDeps) { d.Lookups = states })
	s := r.s
	unsaved := rowState{"Not saved yet: dialbridge asks this source once you save.", false}
	refused := rowState{"Asked at 14:05: the directory at dir.example refused the user name or password of cn=reader", true}

	retype(s.rows[0].place, "~/other.vcf")
	s.moveSource(2, 1)
	s.rows = append(s.rows, s.newSourceRow(formSource("csv", "~/team.csv")))
	s.relayoutSources()
	want := []rowState{unsaved, refused, {"Synced at 14:03: 80 numbers", false}, {"Not asked yet", false}, unsaved}
	if got := s.rowStates(); !slices.Equal(got, want) {
		t.Errorf("after editing, moving and adding:\n%+v\nwant\n%+v", got, want)
	}
	retype(s.rows[1].password, "new-pw")
	if got := s.rowStates()[1]; got != unsaved {
		t.Errorf("with a new password typed: %+v, want %+v", got, unsaved)
	}

	states.list = []lookup.SourceStatus{
		{Label: "vcard ~/other.vcf", Kind: control.LookupRead, At: testNow, Numbers: 3},
		{Label: "ldap dir.example", Kind: control.LookupAsked},
		{Label: "carddav dav.example", Kind: control.LookupSynced},
		{Label: "url crm.example", Kind: control.LookupAsked},
		{Label: "csv ~/team.csv", Kind: control.LookupRead, At: testNow, Numbers: 1},
	}
	s.Save()
	if r.store.saves != 1 {
		t.Fatalf("not saved: %q %v", s.status.Text, r.problems())
	}
	want = []rowState{{"Read at 14:30: 3 numbers", false}, {"Not asked yet", false}, {"Not synced yet", false}, {"Not asked yet", false}, {"Read at 14:30: 1 number", false}}
	if got := s.rowStates(); states.asked != 2 || !slices.Equal(got, want) {
		t.Errorf("after Save (asked %d times in all):\n%+v\nwant\n%+v", states.asked, got, want)
	}
}

// Without a running dialbridge the page says so once, above the sources,
// and leaves the lines under them empty; a source added still says it is
// not saved.
func TestSettingsContactsSaysOnceThatDialbridgeDoesNotAnswer(t *testing.T) {
	for _, tc := range []struct{ language, note, unsaved string }{
		{"en", "dialbridge does not answer (dialbridge is not running), so how the sources are doing is not known; it reads them when it starts.",
			"Not saved yet: dialbridge asks this source once you save."},
		{"de", "dialbridge antwortet nicht (dialbridge is not running), daher ist nicht bekannt, wie es um die Quellen steht; es liest sie, wenn es startet.",
			"Noch nicht gespeichert: dialbridge fragt diese Quelle, sobald Sie speichern."},
	} {
		t.Run(tc.language, func(t *testing.T) {
			useLanguage(t, tc.language)
			cfg, states := fourSources()
			states.list, states.err = nil, errors.New("dialbridge is not running")
			r := newSettingsRigWith(t, cfg, func(d *SettingsDeps) { d.Lookups = states })
			s := r.s
			s.rows = append(s.rows, s.newSourceRow(formSource("csv", "~/team.csv")))
			s.relayoutSources()
			want := []rowState{{}, {}, {}, {}, {tc.unsaved, false}}
			if got := s.rowStates(); !slices.Equal(got, want) {
				t.Errorf("lines\n%+v\nwant\n%+v", got, want)
			}
			if !s.statesNote.Visible() || s.statesNote.Text != tc.note || s.statesNote.Importance != widget.WarningImportance {
				t.Errorf("the note above the sources: %q (shown %v); want the warning %q", s.statesNote.Text, s.statesNote.Visible(), tc.note)
			}
		})
	}
}
