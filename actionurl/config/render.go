package config

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// setting is one key of the file as Render writes it.
type setting struct {
	table, key string
	// get reads the key's value from a config.
	get func(Config) any
	// inForce, when set, is what an unset value means (the country's
	// premium ranges for an unset blocked list, "national" for an empty
	// format), shown in place of the empty value.
	inForce func(Config) any
	doc     string
}

// settings are the keys of the file in the order the file lists them,
// each with the one line that explains it. The README's config block is
// rendered from this list (a test keeps them equal), so that what the
// README shows, what a missing file means and what dialbridge writes are
// one and the same.
var settings = []setting{
	{"listener", "enabled", func(c Config) any { return c.Listener.Enabled }, nil, "Mia 1: action URLs at all (dial requests in, outgoing action URLs out)"},
	{"listener", "port", func(c Config) any { return c.Listener.Port }, nil, "Mia 2"},
	{"listener", "incoming", func(c Config) any { return c.Listener.Incoming }, nil, "Mia 3: incoming (dial) action URLs"},
	{"listener", "make_call", func(c Config) any { return c.Listener.MakeCall }, nil, "Mia 4: the make_call action and its vendor forms"},
	{"listener", "lan_address", func(c Config) any { return c.Listener.LANAddress }, nil, `"" = loopback only; "auto" = this PC's LAN address; or an address`},
	{"listener", "allow_ips", func(c Config) any { return c.Listener.AllowIPs }, nil, `computers that may send dial requests to the LAN socket, e.g. ["192.0.2.0/24"]`},
	{"listener", "username", func(c Config) any { return c.Listener.Username }, nil, `listener credentials, e.g. "crm": required with allow_ips; the password lives in the keyring`},
	{"listener", "lan_tls", func(c Config) any { return c.Listener.LANTLS }, nil, "true: the LAN socket speaks HTTPS (loopback stays plain HTTP)"},
	{"listener", "allowed_origins", func(c Config) any { return c.Listener.AllowedOrigins }, nil, `web origins allowed to dial with fetch (CORS), e.g. ["https://crm.example"]`},
	{"listener", "confirm", func(c Config) any { return c.Listener.Confirm }, nil, "always | untrusted | never: when to ask you before dialing"},

	{"phone", "brand", func(c Config) any { return c.Phone.Brand }, nil, "demo (the built-in simulated phone) | snom | snom-csta | yealink | auerswald | grandstream | polycom | fanvil | cisco | sip"},
	{"phone", "address", func(c Config) any { return c.Phone.Address }, nil, `the phone's web interface, e.g. "http://192.0.2.10"; sip: its SIP URI, e.g. "sip:101@192.0.2.10:5060" (";transport=tcp" for TCP)`},
	{"phone", "username", func(c Config) any { return c.Phone.Username }, nil, `e.g. "admin"; the password lives in the keyring (sip: the Digest user, if the phone asks)`},
	{"phone", "identity", func(c Config) any { return c.Phone.Identity }, nil, "outgoing_uri / callingDevice / account to dial from"},
	{"phone", "csta_legacy", func(c Config) any { return c.Phone.CSTALegacy }, nil, "snom-csta: bare ConnectionIDs for firmware before 8.7.3"},
	{"phone", "sip_domain", func(c Config) any { return c.Phone.SIPDomain }, nil, `sip: the domain of the phone's PBX, e.g. "pbx.example"; dials go to sip:NUMBER@sip_domain`},
	{"phone", "show_caller_name", func(c Config) any { return c.Phone.ShowCallerName }, nil, "snom, snom-csta: show the name a caller lookup finds on the phone's display"},
	{"phone", "tls_fingerprint", func(c Config) any { return c.Phone.TLSFingerprint }, nil, "written by dialbridge: the phone's certificate, trusted on first use"},
	{"phone", "model", func(c Config) any { return c.Phone.Model }, nil, `e.g. "D785": the light numbers of its keys, when the phone does not report its model`},
	{"phone", "pairing_token", func(c Config) any { return c.Phone.PairingToken }, nil, "written by dialbridge: the secret path of the phone's event URLs"},

	{"dialing", "country", func(c Config) any { return c.Dialing.Country }, nil, "ISO 3166 code of the phone's country"},
	{"dialing", "area_code", func(c Config) any { return c.Dialing.AreaCode }, nil, `without the trunk prefix, e.g. "30" in Berlin`},
	{"dialing", "outside_line", func(c Config) any { return c.Dialing.OutsideLine }, nil, `e.g. "0" behind a PBX`},
	{"dialing", "internal_max_digits", func(c Config) any { return c.Dialing.InternalMaxDigits }, nil, "numbers this short are internal extensions"},
	{"dialing", "format", func(c Config) any { return c.Dialing.Format }, func(Config) any { return "national" }, "national | e164"},
	{"dialing", "international_prefix", func(c Config) any { return c.Dialing.InternationalPrefix }, nil, `"" = the country's own (00 in DE, 011 in US)`},
	{"dialing", "blocked", func(c Config) any { return c.Dialing.Blocked }, func(c Config) any { return dialplan.DefaultBlocked(c.Dialing.Country) },
		"unset: the premium ranges of the country"},

	{"desktop", "hotkey", func(c Config) any { return c.Desktop.Hotkey }, nil, `dials the selected text in any program, e.g. "ctrl+alt+d"; "" = off`},
}

// outgoingExample is shown, commented, when no outgoing action URL is set.
const outgoingExample = `# [[outgoing]]             # one table per URL (Mia 5 to 7); none by default, e.g.:
# event = "inbound"        # inbound | outbound | connected | hold | disconnected
# url = "https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>"
# enabled = true
# open_in_browser = false  # true: open in the browser instead of requesting it in the background
`

// Render writes cfg as the config file: every key with a line saying what
// it does, the ones left at their defaults commented out and showing the
// value in force, so that the file documents itself and a later change of
// a default is not pinned by a file nobody edited.
func Render(cfg Config) []byte {
	def := Default()
	var b bytes.Buffer
	b.WriteString("# dialbridge configuration. A line starting with \"# \" shows a default in force;\n")
	b.WriteString("# remove the \"# \" to change it. Passwords are kept in the system keyring, not here.\n")
	table := ""
	for _, s := range settings {
		if s.table != table {
			table = s.table
			fmt.Fprintf(&b, "\n[%s]\n", table)
		}
		v, prefix := s.get(cfg), ""
		atDefault := same(v, s.get(def))
		if s.inForce != nil {
			// Unset is the default here, and an empty list is not unset
			// (blocked = [] blocks nothing).
			atDefault = reflect.DeepEqual(v, s.get(def))
		}
		if atDefault {
			prefix = "# "
			if s.inForce != nil {
				v = s.inForce(cfg)
			}
		}
		writeLine(&b, prefix+s.key+" = "+tomlValue(v), s.doc)
	}
	b.WriteString("\n")
	writeTables(&b, "outgoing", cfg.Outgoing, outgoingExample)
	b.WriteString("\n")
	writeTables(&b, "lookup", cfg.Lookup, lookupExample)
	b.WriteString("\n")
	writeKeys(&b, cfg.Phone.Keys)
	return b.Bytes()
}

// writeTables writes an array of tables, or its example, commented, when
// it is empty.
func writeTables[T any](b *bytes.Buffer, name string, tables []T, example string) {
	if len(tables) == 0 {
		b.WriteString(example)
		return
	}
	if err := toml.NewEncoder(b).Encode(map[string][]T{name: tables}); err != nil {
		// Strings and booleans always encode.
		panic(fmt.Sprintf("encoding %s: %v", name, err))
	}
}

// writeLine writes line with its comment in a column, as the README shows it.
func writeLine(b *bytes.Buffer, line, doc string) {
	const column = 27
	pad := column - len(line)
	if pad < 1 {
		pad = 1
	}
	b.WriteString(line + strings.Repeat(" ", pad) + "# " + doc + "\n")
}

// tomlValue is v written as TOML.
func tomlValue(v any) string {
	if l, ok := v.([]string); ok && l == nil {
		v = []string{}
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(map[string]any{"v": v}); err != nil {
		panic(fmt.Sprintf("encoding %v: %v", v, err))
	}
	return strings.TrimSpace(strings.TrimPrefix(b.String(), "v = "))
}

// same reports whether two values of a key are equal, an empty list being
// the same as none.
func same(a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func empty(v any) bool {
	switch x := v.(type) {
	case []string:
		return len(x) == 0
	case string:
		return x == ""
	}
	return false
}
