package i18n_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// TestErrorWordsALookupSourcesSentencesInTheUsersLanguage asks a source
// whose address book is broken and a source of a kind nobody knows:
// their sentences come in English, and in German with LANGUAGE=de, each
// with its cause (the vCard reader's own words) after it.
func TestErrorWordsALookupSourcesSentencesInTheUsersLanguage(t *testing.T) {
	book := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(book, []byte("BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\nTEL:030 1234567\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: book}, {Kind: "rolodex"}}
	names, cfgErr := lookup.FromConfig(cfg, nil, nil)
	_, _, findErr := names.Find(context.Background(), "030 1234567")
	for _, tc := range []struct {
		language   string
		find, conf string
	}{
		{"en", "vcard " + book + ": the address book " + book + " cannot be read: card 1 cannot be read: vcard: no END field found",
			`lookup[2].kind: "rolodex" is not one of vcard, csv, carddav, ldap, url`},
		{"de", "vcard " + book + ": das Adressbuch " + book + " ist nicht lesbar: Karte 1 ist nicht lesbar: vcard: no END field found",
			`lookup[2].kind: "rolodex" ist keine dieser Arten: vcard, csv, carddav, ldap, url`},
	} {
		t.Run(tc.language, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			if got := i18n.Error(findErr); got != tc.find {
				t.Errorf("the source's error:\n got %q\nwant %q", got, tc.find)
			}
			if got := i18n.Error(cfgErr); !strings.Contains(got, tc.conf) {
				t.Errorf("the config's error:\n got %q\nwant %q", got, tc.conf)
			}
		})
	}
	// Logs and the English reader keep the sentence as it was.
	if want := "vcard " + book + ": the address book " + book + " cannot be read"; !strings.HasPrefix(findErr.Error(), want) {
		t.Errorf("Error() = %q", findErr.Error())
	}
}
