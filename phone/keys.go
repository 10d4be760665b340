package phone

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone/display"
)

// KeyEvent is one key press of a key sequence: Snom's KEYEVENT,
// Key[,Time[,Pause]], with the times in milliseconds.
type KeyEvent struct {
	// Key is the key's Snom name ("ENTER", "F_HOLD", "P1", "#").
	Key string
	// Press is how long the key is held down.
	Press time.Duration
	// Pause is how long to wait after the key before the next one.
	Pause time.Duration
	// Timed says how many of the times the text gave: 0 none, 1 the
	// press time, 2 the press time and the pause. A Snom phone uses its
	// own timing for what is left out, so String writes only what was
	// given.
	Timed int
}

// KeySequence is the key events a person asked the phone to press, in
// order. Snom's names are the vocabulary: other brands map them to their
// own names or refuse the ones they lack.
type KeySequence []KeyEvent

// MaxKeyTime bounds a press time, a pause and a whole sequence's times
// together: a minute is longer than any menu walk needs, and a longer one
// would hold dialbridge's request (and, on brands that wait themselves,
// dialbridge) for nothing.
const MaxKeyTime = time.Minute

// MaxKeyEvents bounds a sequence: enough for a long number and a menu walk,
// short enough that a mistake cannot keep a phone busy for long.
const MaxKeyEvents = 64

// maxFunctionKey and maxExpansionKey bound P1..Pn and EK0..EKn. Snom's page
// names P15 on the snom870 as the most it lists; later desk phones (D7xx)
// have more keys on several pages, so the bound is generous rather than
// that model's.
const (
	maxFunctionKey  = 99
	maxExpansionKey = 199
)

// snomKeys are Snom's named keys as its remote-control page lists them.
// F_R is the HOLD key's name before firmware 8.7.3.7.
var snomKeys = []string{
	"CANCEL", "ENTER", "OFFHOOK", "ONHOOK", "RIGHT", "LEFT", "UP", "DOWN",
	"VOLUME_UP", "VOLUME_DOWN", "MENU", "MUTE", "REDIAL", "DND", "REC",
	"F1", "F2", "F3", "F4", "SPEAKER", "HEADSET", "TRANSFER", "F_HOLD", "F_R",
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#",
}

// SnomKeyList lists every key name ParseKeys takes, for help texts:
// the named keys, then the numbered ones as ranges.
func SnomKeyList() string {
	return strings.Join(snomKeys, " ") + fmt.Sprintf(" P1…P%d EK0…EK%d", maxFunctionKey, maxExpansionKey)
}

// IsSnomKey reports whether name is a key of Snom's list: a named key, a
// digit, * or #, a function key P1.. or an expansion module key EK0...
func IsSnomKey(name string) bool {
	for _, k := range snomKeys {
		if k == name {
			return true
		}
	}
	if n, ok := numbered(name, "EK"); ok {
		return n <= maxExpansionKey
	}
	if n, ok := numbered(name, "P"); ok {
		return n >= 1 && n <= maxFunctionKey
	}
	return false
}

// numbered reads the number of a numbered key ("P12" with prefix "P"),
// written without leading zeros so that every key has one spelling.
func numbered(name, prefix string) (int, bool) {
	digits, ok := strings.CutPrefix(name, prefix)
	if !ok || digits == "" || len(digits) > 3 || (len(digits) > 1 && digits[0] == '0') ||
		strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// KeyProblem says what is wrong with a key sequence, so that a window can
// put its own words on it.
type KeyProblem int

// The problems ParseKeys reports.
const (
	// KeyEmpty: no key at all, or an empty event between semicolons.
	KeyEmpty KeyProblem = iota + 1
	// KeyUnknown: a name that is not a Snom key.
	KeyUnknown
	// KeyBadTime: a press time or pause that is not a number of
	// milliseconds up to MaxKeyTime.
	KeyBadTime
	// KeyTooManyFields: more than Key,Time,Pause.
	KeyTooManyFields
	// KeyTooMany: more than MaxKeyEvents events.
	KeyTooMany
	// KeyTooLong: the times add up to more than MaxKeyTime.
	KeyTooLong
)

// KeyError is a key sequence ParseKeys refused, with a sentence for a
// person that names the event at fault and, for a typo, the key meant.
type KeyError struct {
	Problem KeyProblem
	// Event counts the events from 1; 0 for the sequence as a whole.
	Event int
	// Text is the part at fault: the key name or the time as typed.
	Text string
	// Key is the event's key, when the time is at fault.
	Key string
	// Field is "press time" or "pause" for KeyBadTime.
	Field string
	// Suggestion is the Snom key closest to an unknown name, or "".
	Suggestion string
}

func (e *KeyError) Error() string { return e.Sentence().Error() }

// Sentence is the refusal with its translation key, so that the command
// line and the windows word it in the person's language (i18n.Error);
// Error is its English.
func (e *KeyError) Sentence() *sentence.Sentence {
	// The text at fault is the person's own, control characters and all:
	// the sentence shows it on one visible line.
	args := map[string]any{"Text": display.Name(e.Text), "Key": e.Key, "Event": e.Event, "Suggestion": e.Suggestion,
		"Max": MaxKeyTime.Milliseconds(), "Count": MaxKeyEvents}
	say := func(key, text string) *sentence.Sentence { return sentence.New("keys.err."+key, text, args, nil) }
	switch {
	case e.Problem == KeyEmpty && e.Event == 0:
		return say("none", "No key given: write keys like ENTER or ENTER,50,5000;CANCEL")
	case e.Problem == KeyEmpty:
		return say("empty", "Key event {{.Event}} is empty: separate keys with one semicolon, like ENTER;CANCEL")
	case e.Problem == KeyUnknown && e.Suggestion != "":
		return say("typo", "{{.Text}} is not a Snom key; did you mean {{.Suggestion}}?")
	case e.Problem == KeyUnknown:
		return say("unknown", "{{.Text}} is not a Snom key (the keys are listed by \"dialbridge key --help\")")
	case e.Problem == KeyBadTime && e.Field == "pause":
		return say("pause", "The pause \"{{.Text}}\" of {{.Key}} is not a number of milliseconds from 0 to {{.Max}}")
	case e.Problem == KeyBadTime:
		return say("press", "The press time \"{{.Text}}\" of {{.Key}} is not a number of milliseconds from 0 to {{.Max}}")
	case e.Problem == KeyTooManyFields:
		return say("fields", "\"{{.Text}}\" has more than a key, a press time and a pause: write KEY,TIME,PAUSE with the times in milliseconds")
	case e.Problem == KeyTooMany:
		return say("many", "That is more than {{.Count}} keys; send them in parts")
	case e.Problem == KeyTooLong:
		return say("long", "Its press times and pauses add up to more than a minute; send the keys in parts")
	}
	return say("bad", "That is not a key sequence")
}

// ParseKeys reads a key sequence in Snom's syntax, KEYEVENT[;KEYEVENT],
// KEYEVENT = Key[,Time[,Pause]], times in milliseconds. Key names are
// matched without regard to case; blanks around the parts are ignored. It
// is the one place key names are checked, so that the command line, the
// control API and function keys refuse the same typos in the same words.
func ParseKeys(text string) (KeySequence, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &KeyError{Problem: KeyEmpty}
	}
	parts := strings.Split(text, ";")
	if len(parts) > MaxKeyEvents {
		return nil, &KeyError{Problem: KeyTooMany}
	}
	seq := make(KeySequence, 0, len(parts))
	for i, part := range parts {
		ev, err := parseKeyEvent(i+1, part)
		if err != nil {
			return nil, err
		}
		seq = append(seq, ev)
	}
	if seq.Duration() > MaxKeyTime {
		return nil, &KeyError{Problem: KeyTooLong}
	}
	return seq, nil
}

func parseKeyEvent(n int, part string) (KeyEvent, error) {
	fields := strings.Split(part, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	if fields[0] == "" {
		return KeyEvent{}, &KeyError{Problem: KeyEmpty, Event: n}
	}
	if len(fields) > 3 {
		return KeyEvent{}, &KeyError{Problem: KeyTooManyFields, Event: n, Text: strings.TrimSpace(part)}
	}
	key := strings.ToUpper(fields[0])
	if !IsSnomKey(key) {
		return KeyEvent{}, &KeyError{Problem: KeyUnknown, Event: n, Text: fields[0], Suggestion: suggestKey(key)}
	}
	ev := KeyEvent{Key: key, Timed: len(fields) - 1}
	for i, field := range []string{"press time", "pause"}[:ev.Timed] {
		ms, err := strconv.ParseUint(fields[i+1], 10, 32)
		d := time.Duration(ms) * time.Millisecond
		if err != nil || d > MaxKeyTime {
			return KeyEvent{}, &KeyError{Problem: KeyBadTime, Event: n, Text: fields[i+1], Key: key, Field: field}
		}
		if i == 0 {
			ev.Press = d
		} else {
			ev.Pause = d
		}
	}
	return ev, nil
}

// suggestKey finds the Snom key a typo most likely meant: for a numbered
// key its one spelling (P01 is P1, P0 is P1), else the named key fewest
// edits away, if it is at most two edits and fewer than the name's own
// length.
func suggestKey(typo string) string {
	for _, prefix := range []string{"EK", "P"} {
		digits, ok := strings.CutPrefix(typo, prefix)
		if n, err := strconv.Atoi(digits); ok && err == nil && n >= 0 && strings.Trim(digits, "0123456789") == "" {
			if prefix == "P" && n == 0 {
				n = 1
			}
			if k := prefix + strconv.Itoa(n); IsSnomKey(k) {
				return k
			}
			return ""
		}
	}
	best, bestDist := "", 3
	for _, k := range snomKeys {
		if d := levenshtein.ComputeDistance(typo, k); d < bestDist && d < len(typo) {
			best, bestDist = k, d
		}
	}
	return best
}

// String writes the sequence in Snom's syntax: what a Snom phone takes as
// command.htm?key=..., exactly as the person wrote it (up to case, blanks
// and leading zeros).
func (s KeySequence) String() string {
	var b strings.Builder
	for i, ev := range s {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(ev.Key)
		if ev.Timed > 0 {
			b.WriteString("," + strconv.FormatInt(ev.Press.Milliseconds(), 10))
		}
		if ev.Timed > 1 {
			b.WriteString("," + strconv.FormatInt(ev.Pause.Milliseconds(), 10))
		}
	}
	return b.String()
}

// Duration is how long pressing the whole sequence takes by its own
// times, so that a caller can give the request that long on top of its
// usual time-out.
func (s KeySequence) Duration() time.Duration {
	var d time.Duration
	for _, ev := range s {
		d += ev.Press + ev.Pause
	}
	return d
}

// KeySender is a driver that can press the phone's keys remotely (Snom
// command.htm?key=..., Yealink and Fanvil key=...), so that `dialbridge
// key`, the control API and function keys can walk the phone's menus.
type KeySender interface {
	SendKeys(ctx context.Context, keys KeySequence) error
}

// NoKey is the error for a key that brand's phones lack: "A Yealink phone
// has no key P15".
func NoKey(brand, key string) error {
	return &Error{Kind: ErrNotSupported, Brand: brand, Op: "press " + key, Key: key}
}

// Sleep waits d or until ctx ends: the wait between key presses of the
// brands that cannot time them themselves, replaced in tests.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// KeyMap is a brand's names for the Snom keys its phones have, for the
// brands whose key requests take no timing (PressOneByOne).
type KeyMap struct {
	// Prefix goes before every name ("Key:" for Cisco's URIs).
	Prefix string
	// Named maps Snom's names of the other keys, * and # among them, to
	// the brand's.
	Named map[string]string
	// Digits says the keypad's 0-9 are there, each named Digit and the
	// digit ("KeyPad" for Cisco's KeyPad5, "" for a plain 5).
	Digits bool
	Digit  string
	// Line names a function key Pn as Line and n ("L" for Yealink's L3);
	// up to MaxLine. Zero MaxLine: the brand has no such keys.
	Line    string
	MaxLine int
}

// Name is the brand's name for the Snom key snom, ok false when its phones
// lack it.
func (m KeyMap) Name(snom string) (string, bool) {
	if name, ok := m.Named[snom]; ok {
		return m.Prefix + name, true
	}
	if m.Digits && len(snom) == 1 && snom[0] >= '0' && snom[0] <= '9' {
		return m.Prefix + m.Digit + snom, true
	}
	if n, ok := numbered(snom, "P"); ok && n >= 1 && n <= m.MaxLine {
		return m.Prefix + m.Line + strconv.Itoa(n), true
	}
	return "", false
}

// PressOneByOne presses seq on a phone whose key= takes no timing: it
// translates every key to the brand's name first (a key the brand lacks
// fails before anything is pressed), then presses one key per request and
// waits out the key's press time after it and its pause before the next,
// with sleep (Sleep, or a test's clock).
func PressOneByOne(ctx context.Context, brand string, seq KeySequence, names KeyMap,
	sleep func(context.Context, time.Duration) error, press func(ctx context.Context, key string) error) error {
	mapped := make([]string, len(seq))
	for i, ev := range seq {
		name, ok := names.Name(ev.Key)
		if !ok {
			return NoKey(brand, ev.Key)
		}
		mapped[i] = name
	}
	if sleep == nil {
		sleep = Sleep
	}
	for i, ev := range seq {
		if err := press(ctx, mapped[i]); err != nil {
			return err
		}
		wait := ev.Press
		if i < len(seq)-1 {
			wait += ev.Pause
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
	return nil
}
