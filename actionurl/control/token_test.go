package control

import (
	"encoding/hex"
	"testing"
)

// TestPairingTokenHasTheOneStrength: a pairing token is PairingTokenBits
// random bits in hex, and no two are alike.
func TestPairingTokenHasTheOneStrength(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok := NewPairingToken()
		b, err := hex.DecodeString(tok)
		if err != nil {
			t.Fatalf("%q is not hex: %v", tok, err)
		}
		if got, want := len(b)*8, PairingTokenBits; got != want {
			t.Fatalf("%q has %d bits, want %d", tok, got, want)
		}
		if seen[tok] {
			t.Fatalf("%q came twice", tok)
		}
		seen[tok] = true
	}
	if PairingTokenBits != 256 {
		t.Errorf("PairingTokenBits = %d, want 256", PairingTokenBits)
	}
}
