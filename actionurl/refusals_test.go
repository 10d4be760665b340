package actionurl

import (
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// Every refusal is in the translation files: in English word for word, so
// that the tray says what the web page is told, and in German with the
// same placeholders. A file entry no refusal uses is a leftover.
func TestEveryRefusalIsTranslatedWithItsPlaceholders(t *testing.T) {
	sentencetest.CheckTranslations(t, "../i18n/translations", "refusal", refusalForms)
}
