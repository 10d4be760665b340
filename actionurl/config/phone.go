package config

import "github.com/dialbridge/dialbridge/phone/brands"

// Settings is the [phone] table as a driver needs it, with the password
// from the keyring, so that every part that talks to the configured phone
// (the resident, dialbridge doctor, healing) opens the same phone the same
// way.
func (p Phone) Settings(password string) brands.Settings {
	return brands.Settings{Brand: p.Brand, Address: p.Address, Username: p.Username, Password: password,
		Identity: p.Identity, CSTALegacyConnectionID: p.CSTALegacy, SIPDomain: p.SIPDomain, TLSFingerprint: p.TLSFingerprint}
}
