package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"

	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// Events are the call events that fire outgoing action URLs (phone.Action,
// the events of Mia CSTA), in the order of a call.
var Events = []string{"inbound", "outbound", "connected", "hold", "disconnected"}

// ConfirmModes are the values listener.confirm accepts.
var ConfirmModes = []string{"always", "untrusted", "never"}

// Validate returns every problem with cfg, each with the key it concerns.
func (cfg *Config) Validate() Problems {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, &Problem{Key: key, Msg: key + ": " + fmt.Sprintf(format, args...)})
	}

	l := cfg.Listener
	if l.Port < 1 || l.Port > 65535 {
		add("listener.port", "%d is not a TCP port (1 to 65535)", l.Port)
	}
	for _, ip := range l.AllowIPs {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				add("listener.allow_ips", "%q is neither an IP address nor a network like 192.0.2.0/24", ip)
			}
		}
	}
	if len(l.AllowIPs) > 0 && strings.TrimSpace(l.Username) == "" {
		add("listener.allow_ips", "is set but listener.username is empty: add username = \"crm\" (any name) and its password in Settings or DIALBRIDGE_LISTENER_PASSWORD, because other computers must send the listener's credentials")
	}
	if l.LANTLS && l.LANAddress == "" && l.PhoneEventsAddress == "" {
		add("listener.lan_tls", "is true but listener.lan_address is empty: set lan_address = \"auto\" (or this computer's LAN address), because only the LAN socket speaks HTTPS")
	}
	for _, o := range l.AllowedOrigins {
		if msg := checkOrigin(o); msg != "" {
			add("listener.allowed_origins", "%q %s", o, msg)
		}
	}
	if !contains(ConfirmModes, l.Confirm) {
		add("listener.confirm", "%q is not one of %s", l.Confirm, strings.Join(ConfirmModes, ", "))
	}

	p := cfg.Phone
	if !brands.Known(p.Brand) {
		add("phone.brand", "%q is not a known brand (known: %s, demo)", p.Brand, strings.Join(brands.Names(), ", "))
	}
	if p.Brand != brands.Demo && strings.TrimSpace(p.Address) == "" {
		add("phone.address", "is empty; set the phone's address, e.g. \"http://192.0.2.10\"")
	}

	if p.Brand != brands.Demo {
		own := brands.Check(brands.Settings{Brand: p.Brand, Address: p.Address, Username: p.Username, Identity: p.Identity, SIPDomain: p.SIPDomain})
		for _, key := range slices.Sorted(maps.Keys(own)) {
			if key == "phone.address" && strings.TrimSpace(p.Address) == "" {
				continue // said above
			}
			add(key, "%s", own[key])
		}
	}

	for _, err := range cfg.Dialing.Rules().Validate() {
		var fe *dialplan.FieldError
		if errors.As(err, &fe) {
			prob := &Problem{Key: fe.Key, Msg: fe.Error()}
			if fe.Says != nil {
				prob.Says = fe.Says
			}
			ps = append(ps, prob)
		} else {
			ps = append(ps, &Problem{Key: "dialing", Msg: err.Error()})
		}
	}

	if _, err := keys.Parse(cfg.Desktop.Hotkey); err != nil {
		add("desktop.hotkey", "%v", err)
	}

	for i, o := range cfg.Outgoing {
		key := fmt.Sprintf("outgoing[%d]", i+1)
		if !contains(Events, o.Event) {
			add(key+".event", "%q is not one of %s", o.Event, strings.Join(Events, ", "))
		}
		if strings.TrimSpace(o.URL) == "" && o.Enabled {
			add(key+".url", "is empty but the URL is enabled")
		}
	}
	// The checks of the parts with a file of their own: every one, always,
	// so that what Validate reports never depends on which packages a
	// program links.
	ps = append(ps, validateOutgoing(cfg)...)
	ps = append(ps, validatePhoneEvents(cfg)...)
	ps = append(ps, validateLookup(cfg)...)
	ps = append(ps, validateKeys(cfg)...)
	return ps
}

// Rules turns the [dialing] table into the dialing rules every dial goes
// through.
func (d Dialing) Rules() dialplan.Rules {
	return dialplan.Rules{
		Country:             d.Country,
		AreaCode:            d.AreaCode,
		OutsideLine:         d.OutsideLine,
		InternalMaxDigits:   d.InternalMaxDigits,
		InternationalPrefix: d.InternationalPrefix,
		Format:              d.Format,
		Blocked:             d.Blocked,
	}
}

// checkOrigin returns why o is not a web origin ("scheme://host[:port]"),
// or "". It uses ParseOrigin, the listener's own parser, so that a config
// that passes the check is one the listener accepts.
func checkOrigin(o string) string {
	if o == "*" || o == "null" {
		return "would let any web page dial; name the origins instead"
	}
	if _, ok := ParseOrigin(o); !ok {
		return "is not a web origin like \"https://crm.example\""
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
