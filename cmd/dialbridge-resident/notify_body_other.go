//go:build !((linux || freebsd || openbsd || netbsd) && !android) && !windows

package main

import "github.com/dialbridge/dialbridge/phone/display"

// newNotificationBody is how a body is written for macOS, where beeep
// hands it to terminal-notifier or AppleScript (quoted by Go's %q): plain
// text, never read as markup.
func newNotificationBody() func(string) string {
	return func(s string) string { return display.NotificationBody(s, false) }
}
