//go:build (linux || freebsd || openbsd || netbsd) && !android

package trayapp

import (
	"context"
	"fmt"

	"time"

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

// statusNotifierWatcher is the bus name of the tray host: the desktop's
// part that shows tray icons (KDE, XFCE, GNOME with the AppIndicator
// extension). Stock GNOME has none.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// awaitTrayHost reports whether a tray host is on the session bus, waiting
// up to wait for one: at login the panel may come up after dialbridge.
func awaitTrayHost(ctx context.Context, wait time.Duration) bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		var owned bool
		if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&owned); err == nil && owned {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// noTrayHostAdvice is what the log says when no tray host appeared.
const noTrayHostAdvice = "no tray host: this desktop shows no tray icons (nothing provides " + statusNotifierWatcher +
	"), so the dial pad opens instead; on GNOME install the AppIndicator extension (apt install gnome-shell-extension-appindicator, then log in again); quit with \"dialbridge quit\""
