package i18n

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// languages every part must be complete in.
var languages = []string{"en", "de"}

// TestEveryKeyInEveryLanguage fails when a word is missing from a language,
// so that no German user ever sees a stray English label.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	entries, err := files.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	// part -> lang -> keys
	keys := map[string]map[string]map[string]string{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		part, lng, ok := strings.Cut(name, ".")
		if !ok {
			t.Errorf("%s: name translation files PART.LANG.json", e.Name())
			continue
		}
		data, err := files.ReadFile("translations/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if keys[part] == nil {
			keys[part] = map[string]map[string]string{}
		}
		keys[part][lng] = m
	}
	for part, byLang := range keys {
		all := map[string]bool{}
		for _, m := range byLang {
			for k := range m {
				all[k] = true
			}
		}
		for _, lng := range languages {
			var missing []string
			for k := range all {
				if v, ok := byLang[lng][k]; !ok || strings.TrimSpace(v) == "" {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("%s.%s.json lacks %d keys: %q", part, lng, len(missing), missing)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
}
