package dialplan

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

// readTranslations reads the dialing rules' translation file of lang.
func readTranslations(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../i18n/translations/dialplan." + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("dialplan.%s.json: %v", lang, err)
	}
	return m
}

var placeholderRe = regexp.MustCompile(`\{\{\.(\w+)\}\}`)

// placeholders are the names text fills in, sorted, each once.
func placeholders(text string) []string {
	var names []string
	for _, m := range placeholderRe.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Every sentence of the package is in the translation files: in English
// word for word, so that the windows say what Error says; in German with
// the same placeholders; and no form has more values than a step holds.
// A file entry no form uses is a leftover.
func TestEverySentenceIsTranslatedWithItsPlaceholders(t *testing.T) {
	en, de := readTranslations(t, "en"), readTranslations(t, "de")
	used := map[string]bool{}
	for _, f := range forms {
		if used[f.key] {
			t.Errorf("%s is the key of two forms", f.key)
		}
		used[f.key] = true
		if got := en[f.key]; got != f.text {
			t.Errorf("dialplan.en.json %s = %q; want %q", f.key, got, f.text)
		}
		want := placeholders(f.text)
		if got := placeholders(de[f.key]); !slices.Equal(got, want) {
			t.Errorf("dialplan.de.json %s has the placeholders %q; want %q", f.key, got, want)
		}
		if len(f.names) > maxStepVals {
			t.Errorf("%s has %d values; a step holds %d", f.key, len(f.names), maxStepVals)
		}
	}
	for key := range en {
		if !used[key] {
			t.Errorf("dialplan.en.json has %s, which no sentence uses", key)
		}
	}
}
