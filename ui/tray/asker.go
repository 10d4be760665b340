package tray

import (
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Asker names, for a person, who asked for a dial: one of dialbridge's own
// entries in the person's words (their Source names are English and meant
// for the log), a web page by its origin as display.Origin shows it, and
// anything else as the client called itself, shown as plain text. The
// words start a sentence or stand alone, so they begin with a capital.
// L looks up the words (lang.L).
func Asker(L func(string, ...any) string, source string) string {
	switch source {
	case "", control.SourceControlAPI:
		return L("A program on this computer")
	case control.SourcePhoneLink:
		return L("A phone link (tel:)")
	case control.SourceCommandLine:
		return L("The command line (dialbridge dial)")
	case control.SourceExtension:
		return L("The browser extension")
	case control.SourceDialPad:
		return L("The dial pad")
	case control.SourceTransfer:
		return L("The dial pad (transfer)")
	case control.SourceJournal:
		return L("The call journal")
	case control.SourceClipboard:
		return L("The tray menu (clipboard)")
	case control.SourceHotkey:
		return L("The hotkey (selected text)")
	}
	if n, ok := control.PhoneKeyOf(source); ok {
		return L("Key {{.Key}} on the phone", map[string]any{"Key": n})
	}
	if who := display.Origin(source); who != "" {
		return who
	}
	return L("A program on this computer") // nothing readable: blanks, control characters
}
