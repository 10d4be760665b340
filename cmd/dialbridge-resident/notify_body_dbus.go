//go:build (linux || freebsd || openbsd || netbsd) && !android

package main

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/dialbridge/dialbridge/phone/display"
)

// newNotificationBody is how a body is written for the freedesktop
// notification server that beeep talks to over the session bus: escaped
// as markup when the server reads markup, as it is when it does not.
func newNotificationBody() func(string) string {
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
