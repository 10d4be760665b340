package lookup

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// A file source says when it read the file and how many numbers it gave;
// once the file is gone it still answers from what it read, and its line
// says both.
func TestStatusOfAFileSourceSaysWhenItWasReadAndWhatBrokeSince(t *testing.T) {
	book := lookuptest.Book(t, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nTEL:030 1234567\r\nTEL:0171 2345678\r\nEND:VCARD\r\n")
	s := New(Options{Sources: []Source{NewVCardSource(book, dialplan.Keyer(berlin))}, Key: dialplan.Keyer(berlin)})
	before := time.Now()
	st := s.Status()
	if len(st) != 1 || st[0].Label != "vcard "+book || st[0].Kind != control.LookupRead || st[0].Numbers != 2 || st[0].Err != nil ||
		st[0].At.Before(before.Add(-time.Second)) || st[0].At.After(time.Now()) {
		t.Fatalf("Status = %+v; want the book read just now with 2 numbers", st)
	}
	now := st[0].At
	if got, want := st[0].Line(now).Error(), "Read at "+now.Format("15:04")+": 2 numbers"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	if err := os.Remove(book); err != nil {
		t.Fatal(err)
	}
	gone := s.Status()[0]
	want := "Read at " + now.Format("15:04") + ": 2 numbers; the last try failed: there is no file " + book
	if gone.Numbers != 2 || gone.Err == nil || gone.Line(now).Error() != want {
		t.Errorf("after the file went: %+v, line %q; want %q", gone, gone.Line(now), want)
	}
}

// A CRM asked live says when it was last asked and that it refused the
// password, until a later lookup works: then the failure is gone.
func TestStatusOfALiveSourceKeepsItsLastFailureUntilItAnswersAgain(t *testing.T) {
	var refuse atomic.Bool
	refuse.Store(true)
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.NotFound(w, r)
	}))
	defer crm.Close()
	src, err := NewURLSource(crm.URL+"/?nr=<$remote_party>", "me", nil, crm.Client())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := start
	s := New(Options{Sources: []Source{src}, Key: dialplan.Keyer(berlin), Now: func() time.Time { return now }})
	host := crm.Listener.Addr().String()
	line := func() string { return s.Status()[0].Line(now).Error() }

	steps := []struct {
		name   string
		number string
		refuse bool
		want   string
	}{
		{"before any call", "", true, "Not asked yet"},
		{"the CRM refuses", "030 1111111", true, "Asked at 09:00: the CRM at " + host + " refused the user name or password (HTTP 401)"},
		{"it still refuses a minute later", "030 2222222", true, "Asked at 09:01: the CRM at " + host + " refused the user name or password (HTTP 401)"},
		{"it answers again", "030 3333333", false, "Asked at 09:02"},
	}
	for i, step := range steps {
		now = start.Add(time.Duration(max(i-1, 0)) * time.Minute)
		refuse.Store(step.refuse)
		if step.number != "" {
			s.Find(context.Background(), step.number)
		}
		if got := line(); got != step.want {
			t.Errorf("%s: line %q, want %q", step.name, got, step.want)
		}
	}
	if st := s.Status()[0]; st.Kind != control.LookupAsked || st.Err != nil || !st.At.Equal(now) {
		t.Errorf("Status = %+v; want asked at %v without an error", st, now)
	}
}

// Each kind of state has its line, in English and German, and the line
// reads the same after the control API carried the status: the page and
// the command line word what the resident sent.
func TestEachStatusReadsAsItsLineInEnglishAndGermanAlsoAfterTheControlAPI(t *testing.T) {
	now := time.Date(2026, 12, 7, 14, 30, 0, 0, time.UTC)
	at := time.Date(2026, 12, 7, 14, 3, 0, 0, time.UTC)
	refused := say("ldap_auth", "the directory at {{.Host}} refused the user name or password of {{.User}}", map[string]any{"Host": "dir.example", "User": "cn=reader"}, nil)
	for _, tc := range []struct {
		name   string
		st     SourceStatus
		en, de string
	}{
		{"a file read", SourceStatus{Kind: control.LookupRead, At: at, Numbers: 124},
			"Read at 14:03: 124 numbers", "Gelesen um 14:03: 124 Nummern"},
		{"a file with one number", SourceStatus{Kind: control.LookupRead, At: at, Numbers: 1},
			"Read at 14:03: 1 number", "Gelesen um 14:03: 1 Nummer"},
		{"a book synced yesterday", SourceStatus{Kind: control.LookupSynced, At: at.Add(-24 * time.Hour), Numbers: 80},
			"Synced at 2026-12-06 14:03: 80 numbers", "Abgeglichen um 2026-12-06 14:03: 80 Nummern"},
		{"a book not synced yet", SourceStatus{Kind: control.LookupSynced},
			"Not synced yet", "Noch nicht abgeglichen"},
		{"a directory asked", SourceStatus{Kind: control.LookupAsked, At: at},
			"Asked at 14:03", "Gefragt um 14:03"},
		{"a directory refusing", SourceStatus{Kind: control.LookupAsked, At: at, Err: refused},
			"Asked at 14:03: the directory at dir.example refused the user name or password of cn=reader",
			"Gefragt um 14:03: das Verzeichnis auf dir.example hat Benutzername oder Passwort von cn=reader abgelehnt"},
		{"a CRM not asked yet", SourceStatus{Kind: control.LookupAsked},
			"Not asked yet", "Noch nicht gefragt"},
		{"a file never read", SourceStatus{Kind: control.LookupRead, Err: say("file_missing", "there is no file {{.Path}}", map[string]any{"Path": "/x.vcf"}, nil)},
			"there is no file /x.vcf", "die Datei /x.vcf gibt es nicht"},
		{"a book whose last sync failed", SourceStatus{Kind: control.LookupSynced, At: at, Numbers: 80, Err: say("carddav_sync", "the address book at {{.Host}} could not be synced", map[string]any{"Host": "dav.example"}, errors.New("EOF"))},
			"Synced at 14:03: 80 numbers; the last try failed: the address book at dav.example could not be synced: EOF",
			"Abgeglichen um 14:03: 80 Nummern; der letzte Versuch schlug fehl: das Adressbuch auf dav.example konnte nicht abgeglichen werden: EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := json.Marshal(tc.st.Wire())
			if err != nil {
				t.Fatal(err)
			}
			var w control.LookupSource
			if err := json.Unmarshal(raw, &w); err != nil {
				t.Fatal(err)
			}
			carried := StatusOf(w)
			for _, lc := range []struct{ language, want string }{{"en", tc.en}, {"de", tc.de}} {
				i18ntest.UseLanguage(t, lc.language)
				for where, st := range map[string]SourceStatus{"in the resident": tc.st, "after the control API": carried} {
					if got := i18n.Error(st.Line(now)); got != lc.want {
						t.Errorf("%s, %s:\n got %q\nwant %q", lc.language, where, got, lc.want)
					}
				}
			}
		})
	}
}
