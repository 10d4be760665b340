//go:build (linux || freebsd || openbsd || netbsd) && !android

package tray

import "github.com/dialbridge/dialbridge/phone/display"

// menuText escapes a label for com.canonical.dbusmenu, where "_" marks the
// access key: a caller named "A_B" must not lose the underscore.
func menuText(s string) string { return display.DBusMenuLabel(s) }
