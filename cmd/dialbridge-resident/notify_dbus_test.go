//go:build linux

package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
	"github.com/dialbridge/dialbridge/ui/desktoptest"
)

// waitNotification waits for the first notification titled summary.
func (d *desktop) waitNotification(t *testing.T, summary string) desktoptest.Notification {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		for _, n := range d.notes.All() {
			if n.Summary == summary {
				return n
			}
		}
		select {
		case <-d.notes.Seen:
		case <-deadline:
			t.Fatalf("no %q notification; got %+v", summary, d.notes.All())
		}
	}
}

// TestHostileCallerReachesTheDesktopAsText rings the demo phone from a
// caller whose display name is markup, a bidi override, an access key and
// a line break, and reads what the desktop gets: the notification body as
// the notification server receives it over D-Bus (escaped for a server
// that reads markup, as it is for one that does not) and the tray's menu.
// Both show the name's own characters, nothing rendered, nothing fetched.
func TestHostileCallerReachesTheDesktopAsText(t *testing.T) {
	const number = "+4930901821"
	name := displaytest.Hostile + " \u202e_x\r\nX"
	who := display.Name(name) + " (" + number + ")"
	tests := []struct {
		name   string
		caps   []string
		markup bool
	}{
		{"a server that reads markup gets it escaped", desktoptest.MarkupServer, true},
		{"a server without markup gets the text as it is", desktoptest.PlainServer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startDesktopWith(t, "", tt.caps)
			d.waitState(t, "the simulated phone as ready", assets.TrayIdle, []itemWant{{"No calls yet", false, true}})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := d.client.Do(ctx, http.MethodPost, "/api/v1/demo/incoming", control.DemoCall{Number: number, Name: name}, nil); err != nil {
				t.Fatalf("POST /api/v1/demo/incoming: %v", err)
			}

			body := d.waitNotification(t, "Incoming call").Body
			shown := body
			if tt.markup {
				var err error
				if shown, err = markupText(body); err != nil {
					t.Fatalf("the body %q: %v", body, err)
				}
			}
			if shown != who {
				t.Errorf("the notification server got %q, which shows %q; want %q", body, shown, who)
			}

			// The ringing call and then, rejected in the menu (rather than
			// waiting as long as the demo phone rings), the missed one in the
			// recent calls, as dbusmenu labels: underscores doubled, so "_x"
			// binds no key.
			d.waitState(t, "the hostile caller ringing", assets.TrayRinging, []itemWant{
				{display.DBusMenuLabel("Incoming call from " + who), false, true},
			})
			d.click(t, "Reject")
			d.waitState(t, "the hostile caller in the recent calls", assets.TrayIdle, []itemWant{
				{display.DBusMenuLabel("Missed: " + who + ", "), true, true},
			})
		})
	}
}

// markupText reads a notification body the way a server with body-markup
// does (XML-like markup, as GLib's GMarkup and Qt parse it) and returns the
// text it would show, or an error if the body opens any element.
func markupText(body string) (string, error) {
	dec := xml.NewDecoder(strings.NewReader("<body>" + body + "</body>"))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "body" {
				return "", fmt.Errorf("opens <%s>", t.Name.Local)
			}
		case xml.CharData:
			b.Write(t)
		}
	}
}
