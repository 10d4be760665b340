// Package sentencetest holds the sentences a package declares (package
// sentence) to their entries in the translation files, so that the
// windows say word for word what Error says in English and every German
// entry fills in the same values. It needs nothing but the standard
// library, like the packages it tests.
package sentencetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// Form is one sentence a package declares: its translation key and its
// English text.
type Form = sentence.Form

// Placeholders are the names text fills in (sentence.Placeholders),
// sorted, so that a translation may place them in another order.
func Placeholders(text string) []string {
	names := sentence.Placeholders(text)
	slices.Sort(names)
	return names
}

// CheckTranslations fails t unless every one of forms is in dir's
// PART.en.json word for word and in PART.de.json with the same
// placeholders, each key declared once; an English entry no form uses is
// a leftover and fails too.
func CheckTranslations(t testing.TB, dir, part string, forms []Form) {
	t.Helper()
	en, de := read(t, dir, part+".en.json"), read(t, dir, part+".de.json")
	used := map[string]bool{}
	for _, f := range forms {
		if used[f.Key] {
			t.Errorf("%s is the key of two forms", f.Key)
		}
		used[f.Key] = true
		if got := en[f.Key]; got != f.Text {
			t.Errorf("%s.en.json %s = %q; want %q", part, f.Key, got, f.Text)
		}
		if got, want := Placeholders(de[f.Key]), Placeholders(f.Text); !slices.Equal(got, want) {
			t.Errorf("%s.de.json %s has the placeholders %q; want %q", part, f.Key, got, want)
		}
	}
	for key := range en {
		if !used[key] {
			t.Errorf("%s.en.json has %s, which no sentence uses", part, key)
		}
	}
}

// read is one translation file.
func read(t testing.TB, dir, name string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}
