package form

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// Kind says which sentence explains a Problem. Package ui words each kind
// in the person's language; KindConfig shows the config check's own
// sentence, which is English.
type Kind int

// The kinds of problems.
const (
	// KindConfig: the config check's sentence (Msg) says it best.
	KindConfig Kind = iota
	// KindPort: not a TCP port (1 to 65535).
	KindPort
	// KindOriginWildcard: "*" or "null" would let every web page dial.
	KindOriginWildcard
	// KindOrigin: not a web origin like https://crm.example.
	KindOrigin
	// KindIP: neither an address nor a network.
	KindIP
	// KindIPsNeedUser: other computers allowed without a listener user
	// name, which they would have to send.
	KindIPsNeedUser
	// KindLANAddress: the LAN address is neither "auto" nor one address of
	// this computer.
	KindLANAddress
	// KindListenerPassword: a listener user name without a password.
	KindListenerPassword
	// KindCountry: not a two-letter country code.
	KindCountry
	// KindDigits: a prefix or area code with something other than digits.
	KindDigits
	// KindInternal: the longest extension is not a number from 0 to 8.
	KindInternal
	// KindBrand: no brand chosen.
	KindBrand
	// KindAddress: a real phone without an address.
	KindAddress
	// KindSIPDomain: a SIP phone without the domain of its PBX, which
	// its dials are referred to.
	KindSIPDomain
	// KindURLEmpty: an outgoing action URL switched on without a URL.
	KindURLEmpty
	// KindKeyNumber: a function key's number is not one from 1.
	KindKeyNumber
	// KindKeyTwice: two bindings for the same function key.
	KindKeyTwice
	// KindKeyLabelEmpty: a function key without a label.
	KindKeyLabelEmpty
	// KindKeyLabelLong: a label longer than a phone shows
	// (config.MaxKeyLabel).
	KindKeyLabelLong
	// KindKeyDialNumber: "Dial a number" without the number.
	KindKeyDialNumber
	// KindKeySequence: "Send keys" without the keys, or keys the phone
	// does not have (the config check's sentence names them).
	KindKeySequence
)

// Problem is one thing that keeps the form from being saved.
type Problem struct {
	// Key is the config key it concerns, e.g. "listener.allow_ips" or
	// "outgoing[2].url"; the window shows it on the field with that key.
	Key  string
	Kind Kind
	// Line is the 1-based line of a multi-line field the problem is on,
	// and Value that line; 0 and "" for other fields.
	Line  int
	Value string
	// Msg is the config check's sentence without the key in front, and
	// Says the same with its translation key when it has one.
	Msg  string
	Says error
}

// Checked is the outcome of Check: the config the form makes, where each
// event's outgoing entry landed in it, and every problem.
type Checked struct {
	Config   config.Config
	Entries  Entries
	Problems []Problem
}

// OK reports whether the form may be saved.
func (c Checked) OK() bool { return len(c.Problems) == 0 }

// Check builds the config from the form over base and finds every problem
// with it. The config check (config.Validate) has the last word on the
// values; the form adds only what a config cannot carry: text that is not
// a number, and a user name whose password is neither typed nor stored.
// Each problem says which sentence explains it best.
func Check(f Form, base config.Config, stored Stored) Checked {
	cfg, entries := f.Apply(base)
	c := Checked{Config: cfg, Entries: entries}
	if _, err := strconv.Atoi(strings.TrimSpace(f.Port)); err != nil {
		c.Problems = append(c.Problems, Problem{Key: "listener.port", Kind: KindPort})
	}
	if _, err := strconv.Atoi(strings.TrimSpace(f.InternalMax)); err != nil {
		c.Problems = append(c.Problems, Problem{Key: "dialing.internal_max_digits", Kind: KindInternal})
	}
	if cfg.Listener.Username != "" && f.ListenerPass == "" && !stored.Listener {
		c.Problems = append(c.Problems, Problem{Key: "listener.password", Kind: KindListenerPassword})
	}
	for _, p := range cfg.Validate() {
		c.Problems = append(c.Problems, explain(f, p))
	}
	return c
}

// For returns the problems with key or a key under it ("dialing.blocked"
// covers "dialing.blocked[2]"), in the order Check found them.
func (c Checked) For(key string) []Problem {
	var out []Problem
	for _, p := range c.Problems {
		if Under(p.Key, key) {
			out = append(out, p)
		}
	}
	return out
}

// Under reports whether the config key k is key or lies under it:
// "outgoing[2].url" is under "outgoing[2]", "dialing.blocked[3]" under
// "dialing.blocked".
func Under(k, key string) bool {
	return k == key || strings.HasPrefix(k, key+"[") || strings.HasPrefix(k, key+".")
}

var emptyURL = regexp.MustCompile(`^outgoing\[\d+\]\.url$`)

// explain turns one of the config check's problems into a Problem with
// the kind that words it best for the field the person typed into.
func explain(f Form, p *config.Problem) Problem {
	out := Problem{Key: p.Key, Kind: KindConfig, Msg: strings.TrimPrefix(p.Msg, p.Key+": "), Says: p.Says}
	switch p.Key {
	case "listener.port":
		out.Kind = KindPort
	case "listener.allowed_origins":
		out.Line, out.Value = lineIn(f.Origins, out.Msg)
		out.Kind = KindOrigin
		if out.Value == "*" || out.Value == "null" {
			out.Kind = KindOriginWildcard
		}
	case "listener.allow_ips":
		out.Line, out.Value = lineIn(f.IPs, out.Msg)
		switch {
		case out.Line > 0:
			out.Kind = KindIP
		case strings.TrimSpace(f.ListenerUser) == "":
			// Not about one line: the list is fine, the user name missing.
			out.Kind = KindIPsNeedUser
		}
	case "listener.lan_address":
		out.Kind = KindLANAddress
	case "dialing.country":
		if !isLetters(strings.TrimSpace(f.Country), 2) {
			out.Kind = KindCountry
		}
	case "dialing.area_code":
		out.Kind = digitsOr(f.AreaCode)
	case "dialing.outside_line":
		out.Kind = digitsOr(f.OutsideLine)
	case "dialing.international_prefix":
		out.Kind = digitsOr(f.IntlPrefix)
	case "dialing.internal_max_digits":
		out.Kind = KindInternal
	case "phone.brand":
		if f.Brand == "" {
			out.Kind = KindBrand
		}
	case "phone.address":
		// A brand's own rule about an address that is there (the sip
		// brand wants a SIP URI) is its own sentence.
		if strings.TrimSpace(f.Address) == "" {
			out.Kind = KindAddress
		}
	case "phone.sip_domain":
		if strings.TrimSpace(f.SIPDomain) == "" {
			out.Kind = KindSIPDomain
		}
	default:
		if emptyURL.MatchString(p.Key) && strings.HasPrefix(out.Msg, "is empty") {
			out.Kind = KindURLEmpty
		}
		if k := keyKind(p.Key, out.Msg); k != KindConfig {
			out.Kind = k
		}
	}
	return out
}

// lineIn finds the line of a multi-line field that the config check's
// sentence begins with: the check names the bad value, quoted, and the
// person needs its line.
func lineIn(text, msg string) (int, string) {
	for i, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && strings.HasPrefix(msg, strconv.Quote(l)+" ") {
			return i + 1, l
		}
	}
	return 0, ""
}

// digitsOr is KindDigits when the text has something other than digits,
// else the config check's own sentence (too long, needs a country ...).
func digitsOr(text string) Kind {
	for _, r := range strings.TrimSpace(text) {
		if r < '0' || r > '9' {
			return KindDigits
		}
	}
	return KindConfig
}

func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
