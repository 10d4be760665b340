package calls

import (
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// The printout's words are in the translation files: in English word for
// word, in German with the same placeholders.
func TestEveryWordOfTheJournalPrintoutIsTranslated(t *testing.T) {
	sentencetest.CheckTranslations(t, "../../i18n/translations", "journal", printForms)
}
