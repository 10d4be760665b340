// Package i18ntest switches the language dialbridge speaks for one test,
// the way the environment does for the real program, so that a test can
// show a sentence in German.
package i18ntest

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/i18n"
)

// UseLanguage makes the translations speak code ("de") until the test
// ends, then English again.
func UseLanguage(t testing.TB, code string) {
	t.Helper()
	if err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"LC_ALL", "LANGUAGE", "LANG"} {
		t.Setenv(v, code)
	}
	if err := lang.AddTranslationsFS(i18n.Files(), "translations"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Runs before t.Setenv restores the variables: back to English.
		for _, v := range []string{"LC_ALL", "LANGUAGE", "LANG"} {
			os.Setenv(v, "en")
		}
		_ = lang.AddTranslationsFS(i18n.Files(), "translations")
	})
}
