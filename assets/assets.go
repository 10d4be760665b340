// Package assets holds dialbridge's pictures, embedded in the binary: the
// tray icon for each state of the phone and the application icon. The files
// under icons/ are drawn by assets/internal/iconart and written by
// `go generate`; a test fails when they no longer match the drawing code.
package assets

//go:generate go run ./internal/gen -out icons

import (
	"embed"
	"fmt"
)

//go:embed icons/*.png
var pngs embed.FS

// TrayIcon names one state the tray icon shows.
type TrayIcon string

// The tray icon states.
const (
	// TrayIdle: the phone is paired, reachable and has no call.
	TrayIdle TrayIcon = "idle"
	// TrayRinging: a call is coming in.
	TrayRinging TrayIcon = "ringing"
	// TrayInCall: a call is connected (or being dialed).
	TrayInCall TrayIcon = "incall"
	// TrayOnHold: every connected call is on hold.
	TrayOnHold TrayIcon = "onhold"
	// TrayOffline: no phone is paired, or the paired one cannot be reached.
	TrayOffline TrayIcon = "offline"
)

// TrayIcons lists every tray state, so that tests and tools can cover all.
func TrayIcons() []TrayIcon {
	return []TrayIcon{TrayIdle, TrayRinging, TrayInCall, TrayOnHold, TrayOffline}
}

// TrayPNG is the tray picture of state i as a 64×64 PNG, what
// fyne.io/systray wants on Linux and macOS.
func TrayPNG(i TrayIcon) []byte { return mustRead(pngs, "icons/tray-"+string(i)+".png") }

// Tray is the tray picture of state i in the format fyne.io/systray's
// SetIcon takes on this operating system: ICO on Windows, PNG elsewhere.
func Tray(i TrayIcon) []byte { return trayNative(i) }

// AppPNG is the application icon, 256×256: window icons, the About
// window, notifications and the desktop entry.
func AppPNG() []byte { return mustRead(pngs, "icons/app.png") }

// mustRead returns an embedded file. A missing one is a build mistake
// (the embed pattern and the names above disagree), caught by the tests.
func mustRead(fs embed.FS, name string) []byte {
	data, err := fs.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("assets: %s is not embedded: %v", name, err))
	}
	return data
}
