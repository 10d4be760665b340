package ui

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

func TestSettingsContactsLooksANumberUpAndSavesTheSourcesInTheirNewOrder(t *testing.T) {
	book := filepath.Join(t.TempDir(), "contacts.vcf")
	vcf := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nORG:Schmidt GmbH\r\nTEL;VALUE=uri:tel:+49-30-1234567\r\nEND:VCARD\r\n"
	if err := os.WriteFile(book, []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	passwords := make(chan string, 10)
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pw, _ := r.BasicAuth()
		passwords <- pw
		http.NotFound(w, r)
	}))
	defer crm.Close()
	cfg := berlinConfig()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: book}}
	r := newSettingsRig(t, cfg)
	s := r.s

	s.rows = append(s.rows, s.newSourceRow(formSource("url", crm.URL+"/?nr=<$remote_party>")))
	s.relayoutSources()
	retype(s.rows[1].user, "crm")
	retype(s.rows[1].password, "crm-pw")

	retype(s.number, "030 1234567")
	test.Tap(s.lookBtn)
	lines := strings.Split(s.result.Text, "\n")
	if lines[0] != "Anna Schmidt (Schmidt GmbH) — from vcard "+book || !strings.Contains(s.result.Text, "vcard "+book+": Read at ") {
		t.Errorf("result:\n%s", s.result.Text)
	}
	retype(s.number, "040 999999")
	test.Tap(s.lookBtn)
	if !strings.HasPrefix(s.result.Text, "No source knows 040 999999.") {
		t.Errorf("an unknown number: %q", s.result.Text)
	}
	// Every source has answered the unknown number.
	if len(passwords) == 0 {
		t.Error("the CRM was never asked")
	}
	for len(passwords) > 0 {
		if pw := <-passwords; pw != "crm-pw" {
			t.Errorf("the CRM was asked with the password %q, want the one typed", pw)
		}
	}

	s.moveSource(1, 0)
	if s.showOnPhone.Checked {
		t.Error("the name shows on the phone before anyone asked for it")
	}
	test.Tap(s.showOnPhone)
	s.Save()
	if r.store.saves != 1 {
		t.Fatalf("saved %d times; status %q, problems %v", r.store.saves, s.status.Text, r.problems())
	}
	want := []config.Lookup{{Kind: "url", URL: crm.URL + "/?nr=<$remote_party>", Username: "crm"}, {Kind: "vcard", Path: book}}
	if !reflect.DeepEqual(r.store.cfg.Lookup, want) {
		t.Errorf("saved %+v, want %+v", r.store.cfg.Lookup, want)
	}
	if !r.store.cfg.Phone.ShowCallerName {
		t.Error("saved without phone.show_caller_name")
	}
	if pw, err := r.secrets.Get(config.LookupSecret(1)); err != nil || pw != "crm-pw" {
		t.Errorf("keyring lookup-1 = %q, %v", pw, err)
	}
}

func TestSettingsContactsShowsABadSourceNextToIt(t *testing.T) {
	for _, tc := range []struct{ language, want string }{
		{"en", `"https://dir.example" is not a directory's address`},
		{"de", `"https://dir.example" ist keine Adresse eines Verzeichnisses`},
	} {
		t.Run(tc.language, func(t *testing.T) {
			useLanguage(t, tc.language)
			r := newSettingsRig(t, berlinConfig())
			s := r.s
			s.rows = append(s.rows, s.newSourceRow(formSource("ldap", "https://dir.example")))
			s.relayoutSources()
			s.Save()
			if r.store.saves != 0 {
				t.Fatal("a directory without base DN and with an https URL was saved")
			}
			if p := r.problems()["lookup[1]"]; !strings.Contains(p, tc.want) {
				t.Errorf("problems %v; want %q next to the source", r.problems(), tc.want)
			}
		})
	}
}

// TestSettingsContactsSaysABrokenSourcesErrorOnce: a file that cannot be
// read fails the lookup and has a status line; both are the same
// sentence, which the page shows once.
func TestSettingsContactsSaysABrokenSourcesErrorOnce(t *testing.T) {
	useLanguage(t, "en")
	missing := filepath.Join(t.TempDir(), "missing.vcf")
	cfg := berlinConfig()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: missing}}
	got, found := lookupReport(cfg, nil, "030 1234567", testNow)
	want := "No source knows 030 1234567.\nvcard " + missing + ": there is no file " + missing
	if found || got != want {
		t.Errorf("lookupReport = %q, %v; want %q, false", got, found, want)
	}
}
