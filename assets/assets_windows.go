package assets

import "embed"

// The ICO files are only embedded where systray needs them.
//
//go:embed icons/*.ico
var icos embed.FS

// TrayICO is the tray picture of state i as a Windows icon holding every
// small-icon size from 16 to 64 pixels.
func TrayICO(i TrayIcon) []byte { return mustRead(icos, "icons/tray-"+string(i)+".ico") }

// AppICO is the application icon as a Windows icon, 16 to 256 pixels.
func AppICO() []byte { return mustRead(icos, "icons/app.ico") }

func trayNative(i TrayIcon) []byte { return TrayICO(i) }
