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

	"github.com/godbus/dbus/v5"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

// TestMarkupProbeAsksOnce asks a private session's notification server
// for its capabilities through the probe the resident uses: escaped
// bodies until a server answers (then asked no more), plain text for a
// server without body-markup.
func TestMarkupProbeAsksOnce(t *testing.T) {
	const escaped = "&lt;b&gt;Bank&lt;/b&gt; &amp; &lt;a href=\"https://evil.example/x\"&gt;pay&lt;/a&gt;&lt;img src=\"http://127.0.0.1:9/t.png\"&gt;"
	tests := []struct {
		name string
		caps []string
		want string
	}{
		{"markup is escaped", markupServer, escaped},
		{"plain text stays", plainServer, displaytest.Hostile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := sessionBus(t)
			client := connectBus(t, addr)
			p := &markupProbe{bus: func() (*dbus.Conn, error) { return client, nil }}
			if got := p.body(displaytest.Hostile); got != escaped {
				t.Errorf("with no server yet the body is %q, want it escaped %q", got, escaped)
			}
			server := startNotifyServer(t, connectBus(t, addr), tt.caps)
			for range 3 {
				if got := p.body(displaytest.Hostile); got != tt.want {
					t.Errorf("body %q, want %q", got, tt.want)
				}
			}
			server.mu.Lock()
			defer server.mu.Unlock()
			if server.asks != 1 {
				t.Errorf("the server was asked %d times, want once", server.asks)
			}
		})
	}
}

// waitNotification waits for the first notification titled summary.
func (d *desktop) waitNotification(t *testing.T, summary string) notification {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		for _, n := range d.notes.all() {
			if n.Summary == summary {
				return n
			}
		}
		select {
		case <-d.notes.seen:
		case <-deadline:
			t.Fatalf("no %q notification; got %+v", summary, d.notes.all())
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
		{"a server that reads markup gets it escaped", markupServer, true},
		{"a server without markup gets the text as it is", plainServer, false},
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

			// The ringing call and then the missed one in the recent calls,
			// as dbusmenu labels: underscores doubled, so "_x" binds no key.
			d.waitState(t, "the hostile caller ringing", assets.TrayRinging, []itemWant{
				{display.DBusMenuLabel("Incoming call from " + who), false, true},
			})
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
