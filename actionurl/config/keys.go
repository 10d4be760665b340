package config

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/dialbridge/dialbridge/phone"
)

// PhoneKey binds one of the phone's function keys to a dialbridge action
// ([[phone.keys]]). dialbridge writes the binding into the phone, so that
// pressing the key runs the action, and keeps the key's light showing the
// state named by LED.
type PhoneKey struct {
	// Key is the function key as the phone numbers it: Snom's P1 is 1
	// (its setting fkey0), Yealink's first DSS key is 1.
	Key int `toml:"key"`
	// Label is what the phone shows beside the key.
	Label string `toml:"label"`
	// Action is what pressing the key does: one of KeyActions, the ones
	// ending in ":" followed by their argument ("dial:030123",
	// "keys:F_HOLD;ENTER").
	Action string `toml:"action"`
	// LED is the state the key's light shows: one of KeyLEDs; "" is none.
	LED string `toml:"led,omitempty"`
}

// KeyActions are the actions a function key can run. "dial:" and "keys:"
// take an argument after the colon: a number to dial, a key sequence to
// send.
var KeyActions = []string{"dial:", "callback_missed", "dial_clipboard", "open_crm", "answer", "hangup", "hold", "dnd", "keys:"}

// KeyLEDs are the states a function key's light can show.
var KeyLEDs = []string{"none", "missed_calls", "in_call", "crm_failing", "confirm_pending", "dnd"}

// MaxKeyLabel is the longest label dialbridge writes: desk phones show
// about a dozen characters beside a key and cut or refuse longer ones.
const MaxKeyLabel = 20

// Verb splits the action into its verb and its argument: "dial:030123"
// is ("dial", "030123"), "answer" is ("answer", "").
func (k PhoneKey) Verb() (verb, arg string) {
	verb, arg, _ = strings.Cut(k.Action, ":")
	return verb, arg
}

// keysExample is shown, commented, when no function key is bound.
const keysExample = `# [[phone.keys]]           # a phone function key that runs a dialbridge action; none by default, e.g.:
# key = 1                  # the key as the phone numbers it (Snom P1 = 1, its setting fkey0)
# label = "Missed"         # what the phone shows beside the key
# action = "callback_missed" # dial:NUMBER | callback_missed | dial_clipboard | open_crm | answer | hangup | hold | dnd | keys:SEQUENCE
# led = "missed_calls"     # none | missed_calls | in_call | crm_failing | confirm_pending | dnd
`

// validateKeys checks every [[phone.keys]] binding: a key number used
// once, a label the phone can show, a known action with its argument and a
// known light state.
func validateKeys(cfg *Config) Problems {
	var ps Problems
	seen := map[int]int{}
	for i, k := range cfg.Phone.Keys {
		key := fmt.Sprintf("phone.keys[%d]", i+1)
		add := func(field, format string, args ...any) {
			ps = append(ps, &Problem{Key: key + "." + field, Msg: key + "." + field + ": " + fmt.Sprintf(format, args...)})
		}
		switch {
		case k.Key < 1 || k.Key > 999:
			if k.Key == 0 {
				// 0 is also what a table without key = gives.
				add("key", "is missing or 0; say which function key with key = N, numbered from 1 (Snom P1 = 1)")
				break
			}
			add("key", "%d is not a function key; the phone numbers them from 1 (Snom P1 = 1)", k.Key)
		case seen[k.Key] > 0:
			add("key", "%d is bound twice (also by phone.keys[%d]); a key runs one action", k.Key, seen[k.Key])
		default:
			seen[k.Key] = i + 1
		}
		if strings.TrimSpace(k.Label) == "" {
			add("label", "is empty; the phone shows it beside the key, e.g. label = \"Missed\"")
		} else if n := utf8.RuneCountInString(k.Label); n > MaxKeyLabel {
			add("label", "has %d characters; a phone shows at most %d beside a key", n, MaxKeyLabel)
		} else if strings.ContainsFunc(k.Label, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			add("label", "holds a control character; write the label on one line")
		}
		verb, arg := k.Verb()
		switch {
		case !knownAction(k.Action):
			add("action", "%q is not one of %s", k.Action, strings.Join(KeyActions, ", "))
		case verb == "dial" && strings.TrimSpace(arg) == "":
			add("action", "dial: needs the number to dial, e.g. action = \"dial:030123456\"")
		case verb == "keys" && strings.TrimSpace(arg) == "":
			add("action", "keys: needs the keys to send, e.g. action = \"keys:F_HOLD;ENTER\"")
		case verb == "dial":
			// The same reading as every dial, so a number the rules
			// cannot dial is named when the config is read, not when the
			// key is pressed. The person bound it, so the blocked list
			// does not apply, as for a number they type.
			if _, err := cfg.Dialing.Rules().Read(arg); err != nil {
				add("action", "dial: %v", err)
			}
		case verb == "keys":
			// The same check as `dialbridge key`, so a typo is named
			// when the config is read, not when the key is pressed.
			if _, err := phone.ParseKeys(arg); err != nil {
				add("action", "%v", err)
			}
		}
		if k.LED != "" && !contains(KeyLEDs, k.LED) {
			add("led", "%q is not one of %s", k.LED, strings.Join(KeyLEDs, ", "))
		}
	}
	return ps
}

// knownAction reports whether action is one of KeyActions: a verb without
// argument exactly, a verb ending in ":" as its prefix.
func knownAction(action string) bool {
	for _, a := range KeyActions {
		if strings.HasSuffix(a, ":") && strings.HasPrefix(action, a) || a == action {
			return true
		}
	}
	return false
}

// writeKeys writes the [[phone.keys]] tables, or their example, commented,
// when no key is bound. They come after every other table: TOML lets an
// array of tables under [phone] stand anywhere once [phone] is written.
func writeKeys(b *bytes.Buffer, keys []PhoneKey) {
	if len(keys) == 0 {
		b.WriteString(keysExample)
		return
	}
	for i, k := range keys {
		if i > 0 {
			b.WriteString("\n")
		}
		var t bytes.Buffer
		if err := toml.NewEncoder(&t).Encode(k); err != nil {
			// Numbers and strings always encode.
			panic(fmt.Sprintf("encoding phone.keys: %v", err))
		}
		b.WriteString("[[phone.keys]]\n")
		b.Write(t.Bytes())
	}
}
