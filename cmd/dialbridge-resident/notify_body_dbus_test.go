//go:build linux

package main

import (
	"testing"

	"github.com/godbus/dbus/v5"

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
