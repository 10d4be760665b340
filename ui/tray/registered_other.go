//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package tray

import "context"

// awaitRegistered reports true at once: on Windows and macOS
// fyne.io/systray applies SetIcon to the native item directly, with no
// registration window in which a change could be lost.
func awaitRegistered(context.Context) bool { return true }
