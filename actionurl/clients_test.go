package actionurl

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOnlyLoopbackAndListedComputersMayDial sends a dial request to the
// listener as if from other computers (the LAN socket for the phone's
// events makes the listener reachable from outside): loopback always
// dials, another computer only when listener.allow_ips names it, and the
// phone hears nothing of the others.
func TestOnlyLoopbackAndListedComputersMayDial(t *testing.T) {
	tests := []struct {
		name       string
		allowIPs   []string
		remote     string
		wantStatus int
	}{
		{"loopback", nil, "127.0.0.1:40000", http.StatusOK},
		{"IPv6 loopback", nil, "[::1]:40000", http.StatusOK},
		{"a LAN computer, nothing allowed", nil, "192.0.2.50:40000", http.StatusForbidden},
		{"a LAN computer in the allowed range", []string{"192.0.2.0/24"}, "192.0.2.50:40000", http.StatusOK},
		{"a LAN computer in the allowed range, IPv4-mapped", []string{"192.0.2.0/24"}, "[::ffff:192.0.2.50]:40000", http.StatusOK},
		{"a computer outside the allowed range", []string{"192.0.2.0/24"}, "198.51.100.7:40000", http.StatusForbidden},
		{"an IPv6 LAN computer, nothing allowed", nil, "[2001:db8::7]:40000", http.StatusForbidden},
		{"an unreadable address", nil, "somewhere", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, rigOptions{policy: func(p *Policy) {
				// The list as the config gives it.
				listed, err := NewPolicy(p.Port, tt.allowIPs, nil, p.Confirm, "", "")
				if err != nil {
					t.Fatal(err)
				}
				p.AllowIPs = listed.AllowIPs
			}})
			req := httptest.NewRequest("GET", r.base+"/command.htm?number=204", nil)
			req.RemoteAddr = tt.remote
			w := httptest.NewRecorder()
			r.l.ServeHTTP(w, req)
			if w.Code != tt.wantStatus {
				t.Fatalf("got %d %q, want %d", w.Code, w.Body.String(), tt.wantStatus)
			}
			dialed := len(r.sim.Dialed())
			if tt.wantStatus == http.StatusOK && dialed != 1 {
				t.Errorf("the phone dialed %d times, want once", dialed)
			}
			if tt.wantStatus != http.StatusOK {
				if dialed != 0 {
					t.Errorf("the phone dialed %d times, want never", dialed)
				}
				if !strings.Contains(w.Body.String(), "listener.allow_ips") {
					t.Errorf("the refusal %q does not say how to allow the computer", w.Body.String())
				}
			}
		})
	}
}
