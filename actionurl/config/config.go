// Package config is the config-file contract of dialbridge (the README's
// Configuration section): the TOML schema with its defaults, validation that
// names the key and line of every mistake, atomic saving, and the secrets
// that live in the keyring beside it. Admins provision this file, so nothing
// in it is ever silently ignored.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is the whole file.
type Config struct {
	Listener Listener   `toml:"listener"`
	Phone    Phone      `toml:"phone"`
	Dialing  Dialing    `toml:"dialing"`
	Desktop  Desktop    `toml:"desktop"`
	Outgoing []Outgoing `toml:"outgoing"`
	Lookup   []Lookup   `toml:"lookup"`
}

// Listener is the local HTTP listener: items 1 to 4 of Mia CSTA's action URL
// settings ("Mia 1" below; docs/protocols.md) plus the security policy of
// actionurl.Policy.
type Listener struct {
	// Enabled switches action URLs on at all (Mia 1): dial requests in and
	// outgoing action URLs out. The control API and phone events stay on.
	Enabled bool `toml:"enabled"`
	// Port is the TCP port (Mia 2).
	Port int `toml:"port"`
	// Incoming accepts dial requests ("incoming action URLs", Mia 3).
	Incoming bool `toml:"incoming"`
	// MakeCall accepts the make_call action and its vendor forms (Mia 4).
	MakeCall bool `toml:"make_call"`
	// AllowIPs are clients besides loopback that may send dial requests.
	AllowIPs []string `toml:"allow_ips"`
	// AllowedOrigins are web origins allowed to dial with fetch (CORS).
	AllowedOrigins []string `toml:"allowed_origins"`
	// Confirm is "always", "untrusted" or "never".
	Confirm string `toml:"confirm"`
	// Username enables listener credentials; the password is in the keyring.
	Username string `toml:"username"`
	// LANAddress is this computer's address on the LAN (e.g. "192.0.2.5"):
	// when set, a second socket on it takes the paired phone's events (only
	// from the phone's address, with the pairing token) and dial requests
	// from the computers in AllowIPs (with the listener's credentials).
	// "" keeps the listener on loopback only; "auto" picks the address on
	// the route to the phone.
	LANAddress string `toml:"lan_address"`
	// PhoneEventsAddress is LANAddress under its old name, still accepted
	// in provisioned files so that an upgrade breaks nobody. Parse moves it
	// to LANAddress; Save never writes it.
	PhoneEventsAddress string `toml:"phone_events_address,omitempty"`
	// LANTLS makes the LAN socket speak HTTPS with a certificate dialbridge
	// makes beside the config file. Loopback stays plain HTTP: browsers
	// treat it as secure, and existing extensions keep working.
	LANTLS bool `toml:"lan_tls"`
}

// Phone is the paired desk phone.
type Phone struct {
	// Brand is one of the names of phone/brands, or "demo".
	Brand string `toml:"brand"`
	// Address is the phone's address: host, host:port or http(s) URL.
	Address string `toml:"address"`
	// Username for the phone's web interface; the password is in the keyring.
	Username string `toml:"username"`
	// Identity is the outgoing_uri / callingDevice / account to dial from.
	Identity string `toml:"identity"`
	// CSTALegacy (snom-csta) writes CSTA ConnectionIDs bare, for firmware
	// before 8.7 or with csta_legacy_control=0 (brands.Settings.CSTALegacyConnectionID).
	CSTALegacy bool `toml:"csta_legacy"`
	// SIPDomain (sip) is the domain of the PBX the phone is registered
	// with: a dial refers the phone to sip:NUMBER@SIPDomain
	// (brands.Settings.SIPDomain).
	SIPDomain string `toml:"sip_domain"`
	// ShowCallerName (snom, snom-csta) shows the name and company a
	// caller lookup found on the phone's own display while it rings.
	// Off by default: the screen covers the phone's own call screen.
	ShowCallerName bool `toml:"show_caller_name"`
	// TLSFingerprint is the SHA-256 fingerprint of the phone's HTTPS
	// certificate, pinned on first use (brands.Settings.TLSFingerprint).
	TLSFingerprint string `toml:"tls_fingerprint"`
	// PairingToken is the secret path segment of the phone's event URLs
	// (/phone/<token>/...), generated on first start. It is not a password
	// (the phone's own settings hold it) but it is never logged.
	PairingToken string `toml:"pairing_token"`
	// Model is the phone's model, e.g. "D785", for the light numbers of its
	// function keys when the phone does not report it; "" means the model
	// the phone reports.
	Model string `toml:"model"`
	// Keys are the function keys bound to dialbridge actions.
	Keys []PhoneKey `toml:"keys"`
}

// Dialing holds the dialing rules.
type Dialing struct {
	// Country is the ISO 3166 code of the phone's country, e.g. "DE".
	Country string `toml:"country"`
	// AreaCode is the local area code without trunk prefix, e.g. "30".
	AreaCode string `toml:"area_code"`
	// OutsideLine is the prefix a PBX needs for external numbers, e.g. "0".
	OutsideLine string `toml:"outside_line"`
	// InternalMaxDigits: numbers this short are internal extensions.
	InternalMaxDigits int `toml:"internal_max_digits"`
	// InternationalPrefix overrides the country's prefix for calls abroad
	// ("00" in DE, "011" in US); empty means the country's own.
	InternationalPrefix string `toml:"international_prefix"`
	// Format is "national" (home numbers with trunk prefix, foreign ones with
	// the international prefix) or "e164" (+CC... for PBXs that route E.164).
	Format string `toml:"format"`
	// Blocked patterns refuse dials the person did not type ("0900*").
	// Unset means the default premium ranges of Country.
	Blocked []string `toml:"blocked"`
}

// Outgoing is one outgoing action URL (Mia 5 to 7).
type Outgoing struct {
	// Event is inbound, outbound, connected, hold or disconnected.
	Event string `toml:"event"`
	// URL is the template with <$placeholders>.
	URL string `toml:"url"`
	// Enabled switches this URL on (Mia 6).
	Enabled bool `toml:"enabled"`
	// OpenInBrowser opens the URL in the default browser instead of
	// requesting it in the background (Mia 7).
	OpenInBrowser bool `toml:"open_in_browser"`
}

// Desktop is how dialbridge reaches into the rest of the desktop beyond
// the tray: the global hotkey that dials the selected text.
type Desktop struct {
	// Hotkey dials the text selected in any program, e.g. "ctrl+alt+d";
	// empty (the default) grabs no key, because a global key is taken
	// away from every other program.
	Hotkey string `toml:"hotkey"`
}

// DefaultPort is Mia's default listener port.
const DefaultPort = 61234

// Default returns the configuration a missing file means.
func Default() Config {
	return Config{
		Listener: Listener{Enabled: true, Port: DefaultPort, Incoming: true, MakeCall: true, Confirm: "untrusted"},
		Phone:    Phone{Brand: "demo"},
		Dialing:  Dialing{Country: "DE", InternalMaxDigits: 4},
	}
}

// Load reads the file at path. A missing file means Default(); any other
// problem is an error naming the file, the key and the line.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("reading config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes and validates a config file's contents over the defaults.
func Parse(data []byte) (Config, error) {
	cfg := Default()
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" {
				msg = fmt.Sprintf("%s: %s", pe.LastKey, msg)
			}
			return Config{}, &Problem{Key: pe.LastKey, Line: pe.Position.Line, Msg: msg}
		}
		return Config{}, err
	}
	var probs Problems
	if old := cfg.Listener.PhoneEventsAddress; old != "" {
		if cfg.Listener.LANAddress != "" && cfg.Listener.LANAddress != old {
			key := toml.Key{"listener", "phone_events_address"}
			probs = append(probs, &Problem{Key: key.String(), Line: lineOf(data, key),
				Msg: "listener.phone_events_address is the old name of listener.lan_address, and the two disagree: keep only lan_address"})
		}
		cfg.Listener.LANAddress, cfg.Listener.PhoneEventsAddress = old, ""
	}
	for _, k := range md.Undecoded() {
		msg := "unknown setting " + k.String()
		if near := nearestSetting(k); near != "" {
			msg += "; did you mean " + near + "?"
		}
		probs = append(probs, &Problem{Key: k.String(), Line: lineOf(data, k), Msg: msg})
	}
	for _, p := range cfg.Validate() {
		p.Line = lineOf(data, splitKey(p.Key))
		if p.Line == 0 && p.Key == "listener.lan_address" {
			p.Line = lineOf(data, toml.Key{"listener", "phone_events_address"})
		}
		probs = append(probs, p)
	}
	if len(probs) > 0 {
		return Config{}, probs
	}
	return cfg, nil
}

// Save writes cfg to path atomically (temporary file, fsync, rename), so a
// crash while saving leaves either the old file or the new one. It refuses
// to save an invalid config, and keeps a file on disk that does not load
// aside (KeepBrokenAside) instead of overwriting it.
func Save(path string, cfg Config) error {
	if probs := cfg.Validate(); len(probs) > 0 {
		return probs
	}
	if _, err := KeepBrokenAside(path, time.Now()); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating config directory: %w", err)
	}
	if err := WriteFileAtomic(path, Render(cfg), 0o600); err != nil {
		return fmt.Errorf("saving config: %w", err)
	}
	return nil
}

// Problem is one mistake in the config file.
type Problem struct {
	// Key is the dotted key, e.g. "listener.port" or "outgoing[1].url".
	Key string
	// Line is the 1-based line in the file, 0 when unknown (a value that
	// came from the defaults, or a config built in memory).
	Line int
	// Msg says what is wrong and what is allowed.
	Msg string
	// Says is Msg without the key, with its translation key (package
	// sentence), so that the windows word it in the person's language;
	// nil where the sentence exists in English only.
	Says error
}

func (p *Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

// Problems is every mistake found, so an admin fixes them in one go.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// splitKey turns "outgoing[1].url" into the TOML key path {"outgoing", "url"}
// plus the array index, as lineOf wants it.
func splitKey(key string) toml.Key {
	var k toml.Key
	for _, part := range strings.Split(key, ".") {
		k = append(k, part)
	}
	return k
}

// lineOf finds the line where key is set, by following table headers. The
// TOML decoder knows positions but does not export them for keys, and an
// admin needs the line. Array-of-tables keys are written "outgoing[2]".
func lineOf(data []byte, key toml.Key) int {
	if len(key) == 0 {
		return 0
	}
	wantTable := strings.Join(key[:len(key)-1], ".")
	name := key[len(key)-1]
	// Index into an array of tables, e.g. "outgoing[2]".
	wantIndex := -1
	if i := strings.IndexByte(wantTable, '['); i >= 0 {
		fmt.Sscanf(wantTable[i:], "[%d]", &wantIndex)
		wantTable = wantTable[:i]
	}
	table, index, header := "", -1, 0
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(line, "[["):
			t := strings.TrimSpace(strings.Trim(strings.SplitN(line, "#", 2)[0], "[] \t"))
			if t == table {
				index++
			} else {
				table, index = t, 0
			}
			if len(key) == 1 && t == name {
				return n + 1
			}
			if t == wantTable && wantIndex-1 == index {
				header = n + 1
			}
		case strings.HasPrefix(line, "["):
			table, index = strings.TrimSpace(strings.Trim(strings.SplitN(line, "#", 2)[0], "[] \t")), -1
			if len(key) == 1 && table == name {
				return n + 1
			}
		default:
			k, _, ok := strings.Cut(line, "=")
			if !ok || strings.Trim(strings.TrimSpace(k), `"'`) != name {
				continue
			}
			if table == wantTable && (wantIndex < 0 || wantIndex-1 == index) {
				return n + 1
			}
		}
	}
	// A setting missing from one table of an array ("key" left out of a
	// [[phone.keys]]) is at least in that table: its header's line.
	return header
}
