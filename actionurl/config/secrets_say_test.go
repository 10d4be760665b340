package config

import (
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// The keyring's sentences are in the translation files: in English word
// for word, in German with the same placeholders.
func TestEveryKeyringSentenceIsTranslatedWithItsPlaceholders(t *testing.T) {
	sentencetest.CheckTranslations(t, "../../i18n/translations", "config", secretForms)
}
