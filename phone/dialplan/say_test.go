package dialplan

import (
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// Every sentence of the package is in the translation files: in English
// word for word, so that the windows say what Error says; in German with
// the same placeholders; and no form has more values than a step holds.
// A file entry no form uses is a leftover.
func TestEverySentenceIsTranslatedWithItsPlaceholders(t *testing.T) {
	var all []sentencetest.Form
	for _, f := range forms {
		all = append(all, sentencetest.Form{Key: f.key, Text: f.text})
		if len(f.names) > maxStepVals {
			t.Errorf("%s has %d values; a step holds %d", f.key, len(f.names), maxStepVals)
		}
	}
	sentencetest.CheckTranslations(t, "../../i18n/translations", "dialplan", all)
}
