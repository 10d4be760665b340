package tray

import "github.com/dialbridge/dialbridge/phone/display"

// menuText escapes a label for a Win32 menu, where "&" marks the access
// key: "Smith & Co" must keep its ampersand.
func menuText(s string) string { return display.Win32MenuLabel(s) }
