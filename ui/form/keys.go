package form

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// Key is one function key binding ([[phone.keys]]) as the Phone keys page
// shows it: the action split into a picker (Verb) and the field beside it
// (Arg), so that a person picks "Dial a number" and types the number
// rather than writing "dial:030123".
type Key struct {
	// Number is the key's number as typed (Snom P1 = 1).
	Number string
	// Label is what the phone shows beside the key.
	Label string
	// Verb is one of KeyVerbs.
	Verb string
	// Arg is the number to dial or the keys to send; only the verbs that
	// take one (TakesArg) read it.
	Arg string
	// LED is one of config.KeyLEDs.
	LED string
}

// KeyVerbs are the actions a key can run, as the page's picker offers
// them: config.KeyActions without the colon of those that take an
// argument.
func KeyVerbs() []string {
	out := make([]string, len(config.KeyActions))
	for i, a := range config.KeyActions {
		out[i] = strings.TrimSuffix(a, ":")
	}
	return out
}

// TakesArg reports whether the verb needs the field beside the picker:
// "dial" its number, "keys" its key sequence.
func TakesArg(verb string) bool {
	for _, a := range config.KeyActions {
		if a == verb+":" {
			return true
		}
	}
	return false
}

// keysOf is the Phone keys page's list for cfg.
func keysOf(cfg config.Config) []Key {
	var out []Key
	for _, k := range cfg.Phone.Keys {
		verb, arg := k.Verb()
		led := k.LED
		if led == "" {
			led = "none"
		}
		out = append(out, Key{Number: strconv.Itoa(k.Key), Label: k.Label, Verb: verb, Arg: arg, LED: led})
	}
	return out
}

// PhoneKeys builds the [[phone.keys]] tables from the page. A number that
// is not one becomes 0, which the config check refuses with the key's
// place; "none" is written as no light at all, as the file's example does.
func PhoneKeys(keys []Key) []config.PhoneKey {
	var out []config.PhoneKey
	for _, k := range keys {
		n, err := strconv.Atoi(strings.TrimSpace(k.Number))
		if err != nil {
			n = 0
		}
		action := k.Verb
		if TakesArg(k.Verb) {
			action += ":" + strings.TrimSpace(k.Arg)
		}
		led := k.LED
		if led == "none" {
			led = ""
		}
		out = append(out, config.PhoneKey{Key: n, Label: strings.TrimSpace(k.Label), Action: action, LED: led})
	}
	return out
}

var keyField = regexp.MustCompile(`^phone\.keys\[\d+\]\.(key|label|action|led)$`)

// keyKind words the config check's problems with a key binding by the
// field they concern, so that the page says them in the person's language.
func keyKind(key, msg string) Kind {
	m := keyField.FindStringSubmatch(key)
	if m == nil {
		return KindConfig
	}
	switch {
	case m[1] == "key" && strings.Contains(msg, "bound twice"):
		return KindKeyTwice
	case m[1] == "key":
		return KindKeyNumber
	case m[1] == "label" && strings.HasPrefix(msg, "is empty"):
		return KindKeyLabelEmpty
	case m[1] == "label" && strings.HasPrefix(msg, "has "):
		return KindKeyLabelLong
	case m[1] == "action" && strings.HasPrefix(msg, "dial: needs"):
		return KindKeyDialNumber
	case m[1] == "action" && strings.HasPrefix(msg, "keys: needs"):
		return KindKeySequence
	}
	return KindConfig
}
