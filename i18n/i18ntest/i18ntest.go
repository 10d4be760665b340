// Package i18ntest switches dialbridge's words to another language for one
// test, the way the environment does for the real program, so that the
// windows' and the command line's tests of German read alike.
package i18ntest

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/i18n"
)

// Use switches the language to code ("" is English) until the test ends,
// then back to English.
func Use(t testing.TB, code string) {
	t.Helper()
	if code == "" {
		code = "en"
	}
	for _, v := range []string{"LC_ALL", "LANGUAGE"} {
		t.Setenv(v, code)
	}
	if err := lang.AddTranslationsFS(i18n.Files(), "translations"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Runs before t.Setenv restores the variables: go back to English.
		os.Setenv("LC_ALL", "en")
		os.Setenv("LANGUAGE", "en")
		_ = lang.AddTranslationsFS(i18n.Files(), "translations")
	})
}
