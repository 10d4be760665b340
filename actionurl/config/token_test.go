package config

import (
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestAFreshPairingTokenIsValid: the token the wizard and the resident
// make passes the config's check, so a saved one never stops a start.
func TestAFreshPairingTokenIsValid(t *testing.T) {
	cfg := Default()
	cfg.Phone.PairingToken = control.NewPairingToken()
	for _, p := range cfg.Validate() {
		if p.Key == "phone.pairing_token" {
			t.Errorf("a fresh pairing token is refused: %s", p.Msg)
		}
	}
}
