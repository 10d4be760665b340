package control

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// NewToken returns a fresh random token of 256 bits in hex: the control
// file's token, and the pairing token the phone's event URLs carry.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Errorf("no randomness for a token: %w", err))
	}
	return hex.EncodeToString(b)
}
