// Package i18n holds dialbridge's translations (English and German first)
// and loads them into fyne.io/fyne/v2/lang, which both the tray (no Fyne
// driver) and the windows use to look words up. Files are named
// PART.LANG.json (tray.de.json, ui.de.json ...), one PART per front end, so
// that each part's words stay together.
package i18n

import (
	"embed"
	"fmt"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

//go:embed translations
var files embed.FS

var (
	once    sync.Once
	loadErr error
)

// Load registers the embedded translations with fyne's lang package. It is
// safe to call more than once; the locale comes from the environment
// (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
func Load() error {
	once.Do(func() {
		if err := lang.AddTranslationsFS(files, "translations"); err != nil {
			loadErr = fmt.Errorf("loading translations: %w", err)
		}
	})
	return loadErr
}

// Files exposes the embedded translation files, for the completeness test
// and for tools.
func Files() embed.FS { return files }

// Error is err in the person's language: the sentences dialbridge's own
// packages build (package sentence: the caller lookup's sources, its
// config check) are translated, with their causes; any other error's
// words are not dialbridge's and stay as they are.
func Error(err error) string {
	_ = Load() // without translations, English
	return sentence.Translate(err, func(key, text string, args map[string]any) string { return lang.X(key, text, args) })
}
