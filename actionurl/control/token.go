package control

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// NewToken returns a fresh random token of 256 bits in hex: the control
// file's token.
func NewToken() string { return randomHex(256, "token") }

// PairingTokenBits is the strength of every pairing token: the secret
// path segment that lets a request count as the phone's event, so it is
// as hard to guess as the control file's token.
const PairingTokenBits = 256

// NewPairingToken returns a fresh pairing token: PairingTokenBits random
// bits in hex. The pairing wizard and the resident's first start both
// make theirs here, so the rule has one answer.
func NewPairingToken() string { return randomHex(PairingTokenBits, "pairing token") }

// randomHex returns bits random bits in hex; without randomness nothing
// secret can be made, so it panics.
func randomHex(bits int, what string) string {
	b := make([]byte, bits/8)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Errorf("no randomness for a %s: %w", what, err))
	}
	return hex.EncodeToString(b)
}
