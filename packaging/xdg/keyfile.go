package xdg

import (
	"bytes"
	"fmt"
	"strings"
)

// KeyFile is a freedesktop key file (a desktop entry, mimeapps.list) kept
// line by line, so that editing one key leaves every other line, comment
// and translation of the person's file exactly as it was.
type KeyFile struct {
	lines []kfLine
}

// kfLine is one line: a group header, a key, or anything else (comment,
// blank) kept verbatim in raw.
type kfLine struct {
	group string // the group this line belongs to (for a header: its own)
	key   string // "" for headers, comments and blank lines
	value string
	raw   string
}

// ParseKeyFile reads data. Like GLib's parser, it refuses a line that is
// neither a comment, a blank, a [Group] header nor Key=Value, and a key
// before the first group, naming the line.
func ParseKeyFile(data []byte) (*KeyFile, error) {
	f := &KeyFile{}
	group := ""
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return f, nil
	}
	for i, raw := range strings.Split(text, "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		t := strings.TrimSpace(raw)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
			f.lines = append(f.lines, kfLine{group: group, raw: raw})
		case strings.HasPrefix(t, "["):
			if !strings.HasSuffix(t, "]") || len(t) < 3 || strings.ContainsAny(t[1:len(t)-1], "[]") {
				return nil, fmt.Errorf("line %d: %q is not a [Group] header", i+1, raw)
			}
			group = t[1 : len(t)-1]
			f.lines = append(f.lines, kfLine{group: group, raw: raw})
		default:
			k, v, ok := strings.Cut(t, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" {
				return nil, fmt.Errorf("line %d: %q is neither Key=Value nor a comment", i+1, raw)
			}
			if group == "" {
				return nil, fmt.Errorf("line %d: key %q comes before the first [Group] header", i+1, k)
			}
			f.lines = append(f.lines, kfLine{group: group, key: k, value: strings.TrimSpace(v), raw: raw})
		}
	}
	return f, nil
}

// Get returns the value of key in group, and whether it is there.
func (f *KeyFile) Get(group, key string) (string, bool) {
	for _, l := range f.lines {
		if l.group == group && l.key == key {
			return l.value, true
		}
	}
	return "", false
}

// Set gives key in group the value: in place when the key is there, else
// after the group's last key, else in a new group at the end.
func (f *KeyFile) Set(group, key, value string) {
	nl := kfLine{group: group, key: key, value: value, raw: key + "=" + value}
	last := -1 // the group's last key, else its header
	for i, l := range f.lines {
		if l.group != group {
			continue
		}
		if l.key == key {
			f.lines[i] = nl
			return
		}
		if l.key != "" || last == -1 && strings.HasPrefix(strings.TrimSpace(l.raw), "[") {
			last = i
		}
	}
	if last >= 0 {
		f.lines = append(f.lines[:last+1], append([]kfLine{nl}, f.lines[last+1:]...)...)
		return
	}
	if len(f.lines) > 0 && !isBlank(f.lines[len(f.lines)-1].raw) {
		f.lines = append(f.lines, kfLine{group: f.lines[len(f.lines)-1].group})
	}
	f.lines = append(f.lines, kfLine{group: group, raw: "[" + group + "]"}, nl)
}

// Delete removes key from group; a missing key is no error.
func (f *KeyFile) Delete(group, key string) {
	out := f.lines[:0]
	for _, l := range f.lines {
		if l.group == group && l.key == key {
			continue
		}
		out = append(out, l)
	}
	f.lines = out
}

// Keys lists the keys of group in file order.
func (f *KeyFile) Keys(group string) []string {
	var keys []string
	for _, l := range f.lines {
		if l.group == group && l.key != "" {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// Bytes renders the file, every line ending in a newline.
func (f *KeyFile) Bytes() []byte {
	var b bytes.Buffer
	for _, l := range f.lines {
		b.WriteString(l.raw)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
