//go:build (linux || freebsd || openbsd || netbsd) && !android

package tray

import (
	"context"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// awaitRegistered waits until fyne.io/systray has put this process's tray
// item on the session bus, and reports whether it did before ctx ended or
// five seconds passed.
//
// It exists because of a window in fyne.io/systray (v1.12): the library
// copies the icon and tooltip into the item's D-Bus properties while it
// registers, concurrently with our onReady, and a SetIcon that lands
// between that copy and the moment the properties go live only updates a
// field nobody reads again. A phone that becomes ready in the first
// milliseconds then leaves a stale icon in the panel for good. Once the
// item answers on the bus, every later SetIcon reaches the desktop, so the
// caller sets icon and tooltip once more.
//
// The last thing the library exports is the menu's introspection data;
// asking our own connection for it over the bus is how we see it is done.
func awaitRegistered(ctx context.Context) bool {
	conn, err := dbus.SessionBus() // the shared connection systray uses too
	if err != nil {
		return false
	}
	names := conn.Names()
	if len(names) == 0 {
		return false
	}
	self := conn.Object(names[0], "/StatusNotifierItem/menu")
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		var xml string
		call := self.CallWithContext(ctx, "org.freedesktop.DBus.Introspectable.Introspect", 0)
		if call.Err == nil && call.Store(&xml) == nil && strings.Contains(xml, "com.canonical.dbusmenu") {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
}
