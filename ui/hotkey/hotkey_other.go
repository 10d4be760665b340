//go:build !windows && !(darwin && cgo) && !((linux || freebsd || openbsd || netbsd) && !android)

package hotkey

import (
	"errors"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// errNoHotkey: this build has no way to take a key for the whole desktop
// (a macOS build without cgo, other systems).
var errNoHotkey = errors.New("this build of dialbridge has no global hotkey")

// Register fails: see errNoHotkey.
func Register(keys.Combo, func()) (*Grab, error) { return nil, errNoHotkey }
