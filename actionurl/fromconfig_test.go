package actionurl

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// TestPolicyForTakesTheListenerPasswordFromTheSecrets: a listener username
// needs the stored password, and the policy then asks for both; the LAN
// address reaches the policy as given.
func TestPolicyForTakesTheListenerPasswordFromTheSecrets(t *testing.T) {
	l := config.Default().Listener
	l.Username = "phone"
	lan := netip.MustParseAddrPort("192.0.2.7:33000")
	stored := config.Secrets{Getenv: func(k string) string {
		if k == "DIALBRIDGE_LISTENER_PASSWORD" {
			return "s3cret"
		}
		return ""
	}}
	p, err := PolicyFor(l, stored, lan)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user, pw string
		want     bool
	}{{"phone", "s3cret", true}, {"phone", "guess", false}} {
		r := httptest.NewRequest("GET", "/", nil)
		r.SetBasicAuth(tt.user, tt.pw)
		if got := p.CredentialsOK(r, "", true); got != tt.want {
			t.Errorf("%s:%s: got %v, want %v", tt.user, tt.pw, got, tt.want)
		}
	}
	if p.LANAddr != lan {
		t.Errorf("LANAddr: got %v, want %v", p.LANAddr, lan)
	}
}

// TestPolicyForSaysWhichPasswordIsMissing: a username without a stored
// password is refused with where to set it, not served without a check.
func TestPolicyForSaysWhichPasswordIsMissing(t *testing.T) {
	l := config.Default().Listener
	l.Username = "phone"
	none := config.Secrets{Getenv: func(string) string { return "" }}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	_, err := PolicyFor(l, none, netip.AddrPort{})
	if err == nil || !strings.Contains(err.Error(), "DIALBRIDGE_LISTENER_PASSWORD") {
		t.Errorf("got %v, want an error naming DIALBRIDGE_LISTENER_PASSWORD", err)
	}
}
