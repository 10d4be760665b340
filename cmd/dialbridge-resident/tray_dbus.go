//go:build (linux || freebsd || openbsd || netbsd) && !android

package main

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

// trayUsable checks that the session bus, where the tray icon lives on
// these systems, can be reached. Without it fyne.io/systray could show
// nothing and would fail when quitting.
func trayUsable() error {
	if _, err := dbus.SessionBus(); err != nil {
		return fmt.Errorf("no D-Bus session bus: %w", err)
	}
	return nil
}
