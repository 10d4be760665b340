package phoneevents

import (
	"context"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// TestLANAddressOpensASocketOnlyOffLoopback: listener.lan_address names an
// address other than loopback before a LAN socket opens; the demo phone
// runs on this computer, so "auto" with it means none.
func TestLANAddressOpensASocketOnlyOffLoopback(t *testing.T) {
	tests := []struct {
		setting, brand, phone string
		want                  string // "" is no LAN socket
		wantErr               bool
	}{
		{"", "snom", "http://192.0.2.10", "", false},
		{"192.0.2.5", "snom", "http://192.0.2.10", "192.0.2.5", false},
		{"127.0.0.1", "snom", "http://192.0.2.10", "", false},
		{"0.0.0.0", "snom", "http://192.0.2.10", "", false},
		{"::1", "snom", "http://192.0.2.10", "", false},
		{"auto", brands.Demo, "", "", false},
		{"192.0.2.5", brands.Demo, "", "192.0.2.5", false},
		{"my-pc", "snom", "http://192.0.2.10", "", true},
	}
	for _, tt := range tests {
		cfg := config.Default()
		cfg.Listener.LANAddress, cfg.Phone.Brand, cfg.Phone.Address = tt.setting, tt.brand, tt.phone
		got, err := LANAddress(context.Background(), cfg)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q with %s: error %v, want one: %v", tt.setting, tt.brand, err, tt.wantErr)
			continue
		}
		gotS := ""
		if got.IsValid() {
			gotS = got.String()
		}
		if gotS != tt.want {
			t.Errorf("%q with %s: got %q, want %q", tt.setting, tt.brand, gotS, tt.want)
		}
	}
}
