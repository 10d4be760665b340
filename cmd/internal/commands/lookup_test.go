package commands

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
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
