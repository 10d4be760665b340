package commands

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

func TestLookupPrintsWhoANumberIsAndExitsOneWhenNobodyKnowsIt(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "contacts.vcf")
	vcf := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nORG:Schmidt GmbH\r\nTEL;VALUE=uri:tel:+49-30-1234567\r\nEND:VCARD\r\n"
	if err := os.WriteFile(book, []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: book}}
	cfgPath := filepath.Join(dir, "config.toml")
	if err := config.Save(cfgPath, cfg); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.toml")
	if err := config.Save(empty, config.Default()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdout     string
		stderrPart string
	}{
		{"a known number in another spelling", []string{"--config", cfgPath, "030 123 45 67"}, 0,
			"Anna Schmidt (Schmidt GmbH) — from vcard " + book + "\n", ""},
		{"an unknown number", []string{"--config", cfgPath, "+49 30 7654321"}, 1, "", "no source knows +49 30 7654321"},
		{"no sources", []string{"--config", empty, "030 1234567"}, 1, "", "no caller lookup source is configured"},
		{"no number", []string{"--config", cfgPath}, 2, "", "lookup needs the NUMBER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Status(Lookup(context.Background(), tc.args, &stdout, &stderr), "dialbridge", &stderr, nil)
			if code != tc.code || stdout.String() != tc.stdout || !strings.Contains(stderr.String(), tc.stderrPart) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q",
					code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderrPart)
			}
		})
	}
}

func TestLookupSpeaksGermanWithLANGUAGEde(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: filepath.Join(dir, "missing.vcf")}}
	cfgPath := filepath.Join(dir, "config.toml")
	if err := config.Save(cfgPath, cfg); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Status(Lookup(context.Background(), []string{"--config", cfgPath, "030 1234567"}, &stdout, &stderr), "dialbridge", &stderr, nil)
	for _, want := range []string{"die Datei " + filepath.Join(dir, "missing.vcf") + " gibt es nicht\n", "keine Quelle kennt 030 1234567"} {
		if code != 1 || !strings.Contains(stderr.String(), want) {
			t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr.String(), want)
		}
	}
}

// lookupRecorder answers `lookup --status` as a running dialbridge would.
type lookupRecorder struct{ sources []control.LookupSource }

func (r lookupRecorder) LookupSources(context.Context) ([]control.LookupSource, error) {
	return r.sources, nil
}

// `lookup --status` prints each source of the running dialbridge with
// its state, in the person's language, and looks nothing up; without
// sources it says how to add one and exits 1.
func TestLookupStatusPrintsEachSourcesStateInEnglishAndGerman(t *testing.T) {
	at := time.Now()
	refused := sentence.New("lookup.ldap_auth", "the directory at {{.Host}} refused the user name or password of {{.User}}", map[string]any{"Host": "dir.example", "User": "cn=reader"}, nil)
	sources := []control.LookupSource{
		lookup.SourceStatus{Label: "vcard /home/erika/contacts.vcf", Kind: control.LookupRead, At: at, Numbers: 124}.Wire(),
		lookup.SourceStatus{Label: "carddav dav.example", Kind: control.LookupSynced}.Wire(),
		lookup.SourceStatus{Label: "ldap dir.example", Kind: control.LookupAsked, At: at, Err: refused}.Wire(),
		lookup.SourceStatus{Label: "url crm.example", Kind: control.LookupAsked}.Wire(),
	}
	hm := at.Format("15:04")
	for _, tc := range []struct {
		language string
		sources  []control.LookupSource
		code     int
		stdout   string
		stderr   string
	}{
		{"en", sources, 0, "vcard /home/erika/contacts.vcf: Read at " + hm + ": 124 numbers\n" +
			"carddav dav.example: Not synced yet\n" +
			"ldap dir.example: Asked at " + hm + ": the directory at dir.example refused the user name or password of cn=reader\n" +
			"url crm.example: Not asked yet\n", ""},
		{"de", sources, 0, "vcard /home/erika/contacts.vcf: Gelesen um " + hm + ": 124 Nummern\n" +
			"carddav dav.example: Noch nicht abgeglichen\n" +
			"ldap dir.example: Gefragt um " + hm + ": das Verzeichnis auf dir.example hat Benutzername oder Passwort von cn=reader abgelehnt\n" +
			"url crm.example: Noch nicht gefragt\n", ""},
		{"en", nil, 1, "", "dialbridge: no caller lookup source is configured: add a [[lookup]] table to the config file (see the README's Caller names)\n"},
	} {
		t.Run(tc.language+" "+strconv.Itoa(len(tc.sources))+" sources", func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			var stdout, stderr bytes.Buffer
			err := runLookup(context.Background(), []string{"--status"}, &stdout, &stderr, func(context.Context, string) (lookupAPI, error) {
				return lookupRecorder{tc.sources}, nil
			})
			code := cli.Status(err, "dialbridge", &stderr, nil)
			if code != tc.code || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
				t.Errorf("exit %d, stdout\n%s\nstderr %q\nwant exit %d, stdout\n%s\nstderr %q", code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// `lookup --help` lists --status, and --status with a NUMBER is refused.
func TestLookupHelpListsStatusAndStatusTakesNoNumber(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cli.Status(Lookup(context.Background(), []string{"--help"}, &stdout, &stderr), "dialbridge", &stderr, nil)
	if code != 0 || !strings.Contains(stderr.String(), "--status") {
		t.Errorf("--help: exit %d, printed %q; want exit 0 and --status listed", code, stderr.String())
	}
	stderr.Reset()
	code = cli.Status(Lookup(context.Background(), []string{"--status", "030 1234567"}, &stdout, &stderr), "dialbridge", &stderr, nil)
	if code != 2 || !strings.Contains(stderr.String(), "lookup --status takes no NUMBER") {
		t.Errorf("--status NUMBER: exit %d, stderr %q; want exit 2 and the usage", code, stderr.String())
	}
}
