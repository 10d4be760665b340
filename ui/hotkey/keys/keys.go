// Package keys reads and writes the key combination of dialbridge's global
// hotkey ([desktop] hotkey in the config file): the form the file keeps
// ("ctrl+alt+d"), the form a person reads ("Ctrl+Alt+D"), and the keys a
// recorder saw pressed. It is the standard library only, so that the
// config's validation and the Settings window agree with the resident on
// what a valid combination is without linking X11 or a GUI toolkit.
package keys

import (
	"errors"
	"fmt"
	"strings"
)

// Mods are the modifier keys held with the key, as a set.
type Mods uint8

// The modifiers a combination may hold. Super is the Windows key, and
// Command on macOS.
const (
	Ctrl Mods = 1 << iota
	Alt
	Shift
	Super
)

// modNames are the modifiers in the order a combination is written, with
// the config's name and the label a person reads.
var modNames = []struct {
	mod          Mods
	name, label  string
	alternatives []string
}{
	{Ctrl, "ctrl", "Ctrl", []string{"control"}},
	{Alt, "alt", "Alt", []string{"option"}},
	{Shift, "shift", "Shift", nil},
	{Super, "super", "Super", []string{"win", "cmd", "command", "meta"}},
}

// Combo is one key combination: modifiers and one key. The zero Combo
// means no hotkey.
type Combo struct {
	Mods Mods
	// Key is the key's name as the config writes it: "a" to "z", "0" to
	// "9", "f1" to "f12", "space".
	Key string
}

// IsZero reports whether c is no hotkey at all.
func (c Combo) IsZero() bool { return c.Key == "" }

// String is c as the config file writes it, e.g. "ctrl+alt+d"; "" for
// no hotkey.
func (c Combo) String() string {
	return c.join(func(name, _ string) string { return name }, c.Key)
}

// Label is c as a person reads it, e.g. "Ctrl+Alt+D"; "" for no hotkey.
func (c Combo) Label() string {
	return c.join(func(_, label string) string { return label }, keyLabel(c.Key))
}

// join writes c's modifiers in their order, each as pick makes it of its
// config name and label, and then key, with "+" between.
func (c Combo) join(pick func(name, label string) string, key string) string {
	if c.IsZero() {
		return ""
	}
	var parts []string
	for _, m := range modNames {
		if c.Mods&m.mod != 0 {
			parts = append(parts, pick(m.name, m.label))
		}
	}
	return strings.Join(append(parts, key), "+")
}

// keyLabel is a key's name as printed on the keyboard.
func keyLabel(key string) string {
	if key == "space" {
		return "Space"
	}
	return strings.ToUpper(key)
}

// errNeedsModifier is why a letter, digit or Space alone is no hotkey:
// it would take the key away from every program's typing.
var errNeedsModifier = errors.New("needs Ctrl, Alt or Super with the key, or it would take the key away from typing")

// Parse reads a combination as the config file writes it ("ctrl+alt+d",
// case and spaces around "+" do not matter). "" is no hotkey.
func Parse(s string) (Combo, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Combo{}, nil
	}
	var c Combo
	parts := strings.Split(strings.ToLower(s), "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i == len(parts)-1 {
			if p == "" {
				return Combo{}, fmt.Errorf("%q has no key after its last \"+\", e.g. \"ctrl+alt+d\"", s)
			}
			if !validKey(p) {
				return Combo{}, fmt.Errorf("%q: %q is not a key dialbridge can use (a to z, 0 to 9, f1 to f12, space), e.g. \"ctrl+alt+d\"", s, p)
			}
			c.Key = p
			break
		}
		m, ok := modByName(p)
		if !ok {
			return Combo{}, fmt.Errorf("%q: %q is not a modifier (ctrl, alt, shift, super), e.g. \"ctrl+alt+d\"", s, p)
		}
		if c.Mods&m != 0 {
			return Combo{}, fmt.Errorf("%q names %s twice", s, p)
		}
		c.Mods |= m
	}
	if c.Mods&^Shift == 0 && !strings.HasPrefix(c.Key, "f") {
		return Combo{}, fmt.Errorf("%q %w", s, errNeedsModifier)
	}
	return c, nil
}

// modByName is the modifier called name in a config value.
func modByName(name string) (Mods, bool) {
	for _, m := range modNames {
		if name == m.name {
			return m.mod, true
		}
		for _, alt := range m.alternatives {
			if name == alt {
				return m.mod, true
			}
		}
	}
	return 0, false
}

// Usable reports whether a key named the way GUI toolkits name keys ("D",
// "F5", "Escape") may be a hotkey's key, with the right modifiers: a
// recorder tells a key that needs Ctrl, Alt or Super from one that can
// never serve.
func Usable(name string) bool { return validKey(strings.ToLower(name)) }

// validKey reports whether k is a key name Combo.Key may hold.
func validKey(k string) bool {
	switch {
	case len(k) == 1 && (k[0] >= 'a' && k[0] <= 'z' || k[0] >= '0' && k[0] <= '9'):
		return true
	case k == "space":
		return true
	case len(k) >= 2 && k[0] == 'f':
		n, err := fnNumber(k)
		return err == nil && n >= 1 && n <= 12
	}
	return false
}

// FnNumber is n of the function key "fN", 0 for any other key.
func FnNumber(key string) int {
	n, err := fnNumber(key)
	if err != nil || !validKey(key) {
		return 0
	}
	return n
}

func fnNumber(k string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(k, "f%d", &n); err != nil || fmt.Sprintf("f%d", n) != k {
		return 0, errors.New("not a function key")
	}
	return n, nil
}

// FromKeyName is the combination a recorder saw: the modifiers held and
// the key pressed, named the way GUI toolkits name keys ("D", "F5",
// "Space", "1"). ok is false for a key a hotkey cannot use (a modifier
// alone, Escape, arrows) or without the modifier a hotkey needs.
func FromKeyName(mods Mods, name string) (Combo, bool) {
	key := strings.ToLower(name)
	if !validKey(key) {
		return Combo{}, false
	}
	c := Combo{Mods: mods, Key: key}
	if _, err := Parse(c.String()); err != nil {
		return Combo{}, false
	}
	return c, true
}
