//go:build (linux || freebsd || openbsd || netbsd) && !android

package notify

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/dialbridge/dialbridge/phone/display"
)

// newBody is how a body is written for the freedesktop
// notification server that beeep talks to over the session bus: escaped
// as markup when the server reads markup, as it is when it does not.
func newBody() func(string) string {
	return (&markupProbe{bus: dbus.SessionBus}).body
}

// markupProbe asks the notification server once, with GetCapabilities,
// whether it reads bodies as markup ("body-markup"): there "<b>" is bold,
// "<a href>" a link and "<img src>" an image it may fetch, so a caller's
// name must be escaped; a server without it shows "&amp;" as typed, so
// the name must not be.
type markupProbe struct {
	bus func() (*dbus.Conn, error)

	mu            sync.Mutex
	known, markup bool
}

func (p *markupProbe) body(s string) string {
	return display.NotificationBody(s, p.readsMarkup())
}

// readsMarkup is the server's answer, asked once. Until a server has
// answered it is true: beeep falls back to notify-send (the same server)
// and to kdialog, whose popup takes text that looks like HTML as HTML, so
// escaped text is the only body that is safe everywhere. An answer is
// kept; a missing server is asked again with the next notification.
func (p *markupProbe) readsMarkup() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.known {
		return p.markup
	}
	conn, err := p.bus()
	if err != nil {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var caps []string
	err = conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications").
		CallWithContext(ctx, "org.freedesktop.Notifications.GetCapabilities", 0).Store(&caps)
	if err != nil {
		return true
	}
	p.known, p.markup = true, slices.Contains(caps, "body-markup")
	return p.markup
}

// service checks that the session bus has a notification service, running
// or started on demand.
func service() error {
	const name = "org.freedesktop.Notifications"
	conn, err := dbus.SessionBus()
	if err != nil {
		return fmt.Errorf("no D-Bus session bus: %w", err)
	}
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned); err == nil && owned {
		return nil
	}
	var activatable []string
	if err := conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err == nil && slices.Contains(activatable, name) {
		return nil
	}
	return fmt.Errorf("nothing provides %s on the session bus", name)
}
