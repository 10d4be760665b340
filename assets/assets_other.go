//go:build !windows

package assets

func trayNative(i TrayIcon) []byte { return TrayPNG(i) }
