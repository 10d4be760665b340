package lookup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

func TestVCardAndCSVFilesMatchEverySpelling(t *testing.T) {
	key := dialplan.Keyer(berlin)
	vcf := NewVCardSource("testdata/contacts.vcf", key)
	csv := NewCSVSource("testdata/contacts.csv", key)
	for _, tc := range []struct {
		src     Source
		number  string
		want    Contact
		wantHit bool
	}{
		{vcf, "0301234567", Contact{Name: "Anna Schmidt", Company: "Schmidt & Söhne GmbH"}, true},
		{vcf, "+491719876543", Contact{Name: "Anna Schmidt", Company: "Schmidt & Söhne GmbH"}, true},
		{vcf, "+49 30 7654321", Contact{Name: "Jonas Meyer"}, true},
		{vcf, "204", Contact{Name: "Empfang"}, true},
		{vcf, "205", Contact{}, false},
		{csv, "+49305550100", Contact{Name: "Bernd Kraus", Company: "Kraus KG"}, true},
		{csv, "0160 5550101", Contact{Name: "Bernd Kraus", Company: "Kraus KG"}, true},
		{csv, "001 201 555 0123", Contact{Name: "Müller, Eva"}, true},
		{csv, "0301234567", Contact{}, false},
	} {
		got, ok, err := tc.src.Find(context.Background(), Number{Raw: tc.number, Key: key(tc.number)})
		if err != nil || ok != tc.wantHit || got != tc.want {
			t.Errorf("%s: Find(%q) = %+v, %v, %v; want %+v, %v", tc.src.Label(), tc.number, got, ok, err, tc.want, tc.wantHit)
		}
	}
}

func TestAChangedFileIsReadAgainAndABrokenOneKeepsTheBook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.csv")
	write := func(s string, mod time.Time) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	key := dialplan.Keyer(berlin)
	src := NewCSVSource(path, key)
	find := func() string {
		c, _, _ := src.Find(context.Background(), Number{Key: key("0305550100")})
		return c.Name
	}
	t0 := time.Now().Add(-time.Hour)
	write("name,phone\nOld Name,030 5550100\n", t0)
	if got := find(); got != "Old Name" {
		t.Fatalf("first read: got %q", got)
	}
	write("name,phone\nNew Name,030 5550100\n", t0.Add(time.Minute))
	if got := find(); got != "New Name" {
		t.Fatalf("after the change: got %q, want New Name", got)
	}
	write("nothing useful\n", t0.Add(2*time.Minute))
	if got := find(); got != "New Name" {
		t.Fatalf("after a broken write: got %q, want the book read before", got)
	}
	if _, _, err := src.Find(context.Background(), Number{Key: key("0305550100")}); err == nil || !strings.Contains(err.Error(), "no \"name\" or \"company\" column") {
		t.Fatalf("Find's error = %v, want the missing column named", err)
	}
}

func TestAMissingFileSaysSo(t *testing.T) {
	src := NewVCardSource(filepath.Join(t.TempDir(), "none.vcf"), dialplan.Keyer(dialplan.Rules{}))
	_, ok, err := src.Find(context.Background(), Number{Key: "+49301234567"})
	if ok || err == nil || !strings.HasPrefix(err.Error(), "there is no file ") || !strings.HasSuffix(err.Error(), "none.vcf") {
		t.Fatalf("Find = %v, %v; want one sentence naming the missing file", ok, err)
	}
}

func TestAFolderAsThePathSaysItIsNoFile(t *testing.T) {
	dir := t.TempDir()
	src := NewCSVSource(dir, dialplan.Keyer(dialplan.Rules{}))
	_, ok, err := src.Find(context.Background(), Number{Key: "+49301234567"})
	if want := dir + " is a folder; path names the address book file itself"; ok || err == nil || err.Error() != want {
		t.Fatalf("Find = %v, %v; want %q", ok, err, want)
	}
}
