// Package display makes text that dialbridge did not write (a caller's
// display name, a number, a web page's origin, a lookup's or a CRM's
// answer) fit to be shown in each output format it reaches: one small
// function per format, so that such text is always data and never markup,
// a line break, a header or a menu mnemonic. It has no UI dependencies, so
// the phone drivers, the resident and the windows all share it.
//
// Text is first limited (Name, Text), then escaped for its format
// (NotificationBody, ToastBody, XML, SIPDisplayName, DBusMenuLabel,
// Win32MenuLabel, LogText). Outgoing action URLs are escaped by position in
// actionurl/outgoing and do not pass through here.
package display

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxName is how many characters of a name are shown: enough for any real
// person or company, too few for a name to bury what follows it.
const MaxName = 64

// Name limits a name from outside (a caller's display name, a number, a
// lookup result) before it is shown anywhere: no control or bidi-override
// characters (which could turn "Evil" around into something that reads
// like a number, or break a line), single spaces, and at most MaxName
// characters, the last being "…" when it was cut.
func Name(s string) string { return Text(s, MaxName) }

// Text is Name with a limit of max characters, for longer text from
// outside such as the reason a phone or CRM gave.
func Text(s string, max int) string {
	out := []rune(oneLine(s))
	if len(out) > max {
		return strings.TrimRight(string(out[:max-1]), " ") + "…"
	}
	return string(out)
}

// oneLine is s with what Hidden reports dropped and every run of spaces
// and line breaks made one space, trimmed.
func oneLine(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(s, unicode.IsSpace) {
		if w = visible(w, false); w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// Hidden reports the characters no shown text keeps: control characters
// (C0, DEL, C1), format characters (the bidi embeddings, overrides and
// isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and
// U+061C, soft hyphens, tags), the replacement character that stands for
// invalid bytes, and the two noncharacters XML refuses. Zero-width joiner
// and non-joiner stay: scripts such as Persian and emoji sequences need
// them, and they cannot reorder a line.
func Hidden(r rune) bool {
	switch r {
	case '\u200c', '\u200d':
		return false
	case utf8.RuneError, '\ufffe', '\uffff':
		return true
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// visible drops invalid bytes and the characters Hidden reports, keeping
// everything else as it is (line breaks included when keepBreaks).
func visible(s string, keepBreaks bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if keepBreaks && (r == '\n' || r == '\t') {
			b.WriteRune(r)
			continue
		}
		if !Hidden(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Party names the other party of a call for a person: "Alias (number)",
// or whichever of the two is known (each limited as Name does), or
// unknown when neither is. The tray, the notifications and the journal
// window all name a caller this way.
func Party(alias, number, unknown string) string {
	alias, number = Name(alias), Name(number)
	switch {
	case alias != "" && number != "" && alias != number:
		return alias + " (" + number + ")"
	case number != "":
		return number
	case alias != "":
		return alias
	default:
		return unknown
	}
}
