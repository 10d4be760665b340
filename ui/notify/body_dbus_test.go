//go:build linux

package notify

import (
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/dialbridge/dialbridge/phone/display/displaytest"
	"github.com/dialbridge/dialbridge/ui/desktoptest"
)

// TestMarkupProbeAsksOnce asks a private session's notification server
// for its capabilities through the probe the desktop notifier uses: escaped
// bodies until a server answers (then asked no more), plain text for a
// server without body-markup.
func TestMarkupProbeAsksOnce(t *testing.T) {
	const escaped = "&lt;b&gt;Bank&lt;/b&gt; &amp; &lt;a href=\"https://evil.example/x\"&gt;pay&lt;/a&gt;&lt;img src=\"http://127.0.0.1:9/t.png\"&gt;"
	tests := []struct {
		name string
		caps []string
		want string
	}{
		{"markup is escaped", desktoptest.MarkupServer, escaped},
		{"plain text stays", desktoptest.PlainServer, displaytest.Hostile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := desktoptest.SessionBus(t)
			client := desktoptest.ConnectBus(t, addr)
			p := &markupProbe{bus: func() (*dbus.Conn, error) { return client, nil }}
			if got := p.body(displaytest.Hostile); got != escaped {
				t.Errorf("with no server yet the body is %q, want it escaped %q", got, escaped)
			}
			server := desktoptest.StartNotifyServer(t, desktoptest.ConnectBus(t, addr), tt.caps)
			for range 3 {
				if got := p.body(displaytest.Hostile); got != tt.want {
					t.Errorf("body %q, want %q", got, tt.want)
				}
			}
			if n := server.Asks(); n != 1 {
				t.Errorf("the server was asked %d times, want once", n)
			}
		})
	}
}
