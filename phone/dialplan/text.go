package dialplan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold rewrites the characters that text copied from web pages, PDFs and
// office documents puts into phone numbers into their plain ASCII meaning:
// any decimal digit (fullwidth, Arabic-Indic, Devanagari ...) becomes 0-9,
// every dash becomes "-", every kind of space becomes " ", fullwidth ASCII
// becomes ASCII, and invisible format characters (bidi marks around numbers
// on right-to-left pages, zero-width spaces, soft hyphens) disappear. Other
// characters are kept: they are labels and are judged later.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r >= 0xFF01 && r <= 0xFF5E: // fullwidth forms of ! to ~
			b.WriteByte(byte(r - 0xFEE0))
		case r == '\u2212' || unicode.Is(unicode.Pd, r): // minus sign, all dashes
			b.WriteByte('-')
		case r == '\u00B7' || r == '\u2027' || r == '\u2022': // middle dot, hyphenation point, bullet
			b.WriteByte('.')
		case unicode.Is(unicode.Cf, r): // bidi marks, zero-width space/joiners, soft hyphen, BOM
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Nd, r):
			b.WriteByte(byte('0' + digitValue(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// digitValue is the value of a Unicode decimal digit (general category Nd).
// Unicode assigns Nd characters only in complete runs of ten, from zero to
// nine (a stability policy), and adjacent runs (the mathematical digits) are
// each complete too, so the value is the distance from the start of the
// contiguous Nd run, modulo ten. The walk is bounded by the run length (at
// most a few dozen code points).
func digitValue(r rune) int {
	z := r
	for z > 0 && unicode.Is(unicode.Nd, z-1) {
		z--
	}
	return int(r-z) % 10
}

// percentDecode undoes URI percent-encoding ("%2B" -> "+"). Malformed escapes
// are kept literally: a browser hands over what the page wrote, and a stray
// "%" must not make a number disappear.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// onlyDigits keeps the ASCII digits of s.
func onlyDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// shown quotes text for an error message or a step, cut to a readable length
// so that a pasted page does not end up in a log line whole.
func shown(s string) string {
	const max = 60
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		rs := []rune(s)
		s = string(rs[:max]) + "…"
	}
	return quote(s)
}

// quote is %q without escaping printable non-ASCII (a person reads it).
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError || !unicode.IsPrint(r):
			b.WriteString("\uFFFD")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
