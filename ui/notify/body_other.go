//go:build !((linux || freebsd || openbsd || netbsd) && !android) && !windows

package notify

import "github.com/dialbridge/dialbridge/phone/display"

// newBody is how a body is written for macOS, where beeep
// hands it to terminal-notifier or AppleScript (quoted by Go's %q): plain
// text, never read as markup.
func newBody() func(string) string {
	return func(s string) string { return display.NotificationBody(s, false) }
}
