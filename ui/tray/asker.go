package tray

import (
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/display"
)

// entryWords are dialbridge's own dial entries in English words, the keys
// L translates (their Source names are English too, but meant for the log).
// A client that names no entry is the control API's.
var entryWords = map[string]string{
	"":                        "A program on this computer",
	control.SourceControlAPI:  "A program on this computer",
	control.SourcePhoneLink:   "A phone link (tel:)",
	control.SourceCommandLine: "The command line (dialbridge dial)",
	control.SourceExtension:   "The browser extension",
	control.SourceDialPad:     "The dial pad",
	control.SourceTransfer:    "The dial pad (transfer)",
	control.SourceJournal:     "The call journal",
	control.SourceClipboard:   "The tray menu (clipboard)",
	control.SourceHotkey:      "The hotkey (selected text)",
}

// Asker names, for a person, who asked for a dial: one of dialbridge's own
// entries in the person's words, a web page by its origin as
// display.Origin shows it, and anything else as the client called itself,
// shown as plain text. The words start a sentence or stand alone, so they
// begin with a capital. L looks up the words (lang.L).
func Asker(L func(string, ...any) string, source string) string {
	if words, ok := entryWords[source]; ok {
		return L(words)
	}
	if n, ok := control.PhoneKeyOf(source); ok {
		return L("Key {{.Key}} on the phone", map[string]any{"Key": n})
	}
	if who := display.Origin(source); who != "" {
		return who
	}
	return L(entryWords[control.SourceControlAPI]) // nothing readable: blanks, control characters
}
