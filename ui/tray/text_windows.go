package tray

import "strings"

// menuText escapes a label for a Win32 menu, where "&" marks the access
// key: "Smith & Co" must keep its ampersand.
func menuText(s string) string { return strings.ReplaceAll(s, "&", "&&") }
