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
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

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
// words are not dialbridge's and stay as they are. A country in them
// (sentence.Region) is named in the same language: "Deutschland".
func Error(err error) string {
	_ = Load() // without translations, English
	return sentence.Translate(err, func(key, text string, args map[string]any) string { return lang.X(key, text, regionNames(args)) })
}

// regionNames replaces the sentence.Region values of args by the region's
// name in the language the translations speak, leaving args as it is when
// there are none.
func regionNames(args map[string]any) map[string]any {
	return sentence.MapArgs(args, func(v any) (any, bool) {
		r, ok := v.(sentence.Region)
		if !ok {
			return v, false
		}
		return RegionName(r), true
	})
}

// RegionName is r's name in the language the translations speak
// ("Germany", "Deutschland"), from Unicode's CLDR through
// golang.org/x/text; a code CLDR does not know stays a code.
func RegionName(r sentence.Region) string {
	region, err := language.ParseRegion(string(r))
	if err != nil {
		return string(r)
	}
	// The language lang.X picked, not the environment's: a person whose
	// language has no translation reads English sentences, and then the
	// countries in them in English too.
	namer := display.Regions(language.Make(lang.X("i18n.language", "en")))
	if namer == nil {
		namer = display.English.Regions()
	}
	if name := namer.Name(region); name != "" {
		return name
	}
	return string(r)
}
