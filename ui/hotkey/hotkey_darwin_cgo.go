//go:build darwin && cgo

package hotkey

import (
	xhotkey "golang.design/x/hotkey"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// libMods are the macOS modifiers of a combination's modifiers (Super is
// Command).
var libMods = map[keys.Mods]xhotkey.Modifier{
	keys.Ctrl: xhotkey.ModCtrl, keys.Alt: xhotkey.ModOption, keys.Shift: xhotkey.ModShift, keys.Super: xhotkey.ModCmd,
}

// taken: Carbon's RegisterEventHotKey gives no reason, and a combination
// in use is the one it fails for.
func taken(error) bool { return true }
