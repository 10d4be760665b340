package config

import (
	"fmt"
	"net/netip"
)

// validatePhoneEvents checks where the phone's events arrive: the events
// address and the pairing token's form.
func validatePhoneEvents(cfg *Config) Problems {
	var ps Problems
	add := func(key, msg string) { ps = append(ps, &Problem{Key: key, Msg: key + ": " + msg}) }
	if a := cfg.Listener.LANAddress; a != "" && a != "auto" {
		ip, err := netip.ParseAddr(a)
		switch {
		case err != nil:
			add("listener.lan_address", fmt.Sprintf("%q is not an IP address (or \"auto\", or \"\" for loopback only)", a))
		case ip.IsUnspecified() || ip.IsMulticast():
			add("listener.lan_address", fmt.Sprintf("%q is not one address of this computer; name the one the phone reaches", a))
		}
	}
	if tok := cfg.Phone.PairingToken; tok != "" && !validToken(tok) {
		add("phone.pairing_token", "must be 16 to 128 letters, digits, '-' or '_' (delete it and dialbridge makes a new one)")
	}
	return ps
}

func validToken(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
