package dialplan

import (
	"regexp"
	"strings"
	"unicode"
)

// candidate is the phone number found in the input, still as written, before
// any dialing rule is applied.
type candidate struct {
	number  string // the number as written (folded), e.g. "+49 (0)30 123 45-67"
	letters bool   // number holds vanity letters to turn into keypad digits
	ext     string // extension, reported but never dialed
	hint    string // a country named beside the number, e.g. "AT" from "0800 123 456 (AT)"
	context string // RFC 3966 phone-context: global digits ("+4930") or a domain
	steps   []Step // how the number was found
}

// extract finds the number in text (already folded and trimmed, not empty):
// a tel:, callto:, sip: or sips: URI, or free text such as "Tel.: 030 1234567".
func extract(text string) (candidate, error) {
	scheme, rest, ok := strings.Cut(text, ":")
	// "Tel: 030 1234567" is a label, not a URI: no URI has a space after
	// its scheme.
	if ok && !strings.HasPrefix(rest, " ") {
		switch strings.ToLower(scheme) {
		case "tel":
			c, err := extractTel(text, rest)
			if err != nil && strings.Contains(rest, " ") {
				// "Tel:030 1234567 Fax:030 1234568" is a label too.
				return extractText(text)
			}
			return c, err
		case "callto":
			return extractCallto(text, rest)
		case "sip", "sips":
			return extractSIP(strings.ToLower(scheme), rest)
		}
	}
	return extractText(text)
}

// extractTel reads an RFC 3966 tel: URI: the number with visual separators,
// then ";"-separated parameters of which ;ext= and ;phone-context= matter.
// Browsers hand the URI over percent-encoded ("tel:%2B4930123"), and pages
// write spaces and missing "+" that the RFC does not allow; both are accepted
// because the person clicked the link to call that number.
func extractTel(text, rest string) (candidate, error) {
	rest = strings.TrimPrefix(rest, "//")
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i] // not RFC 3966, but some pages append ?call or tracking
	}
	var c candidate
	parts := strings.Split(rest, ";")
	if err := c.readParams(text, parts[1:]); err != nil {
		return c, err
	}
	if err := c.wholeNumber(text, fold(percentDecode(parts[0]))); err != nil {
		return c, err
	}
	c.steps = append([]Step{newStep(stepTel, shown(text), quote(c.number))}, c.steps...)
	return c, nil
}

// readParams applies the parameters of a tel: URI or of the user part of a
// sip: URI.
func (c *candidate) readParams(text string, params []string) error {
	for _, p := range params {
		name, value, _ := strings.Cut(p, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(fold(percentDecode(value)))
		switch name {
		case "":
		case "ext":
			ext := onlyDigits(value)
			if ext == "" {
				return sayExtNoDigits.err(nil, shown(text), quote(value))
			}
			c.ext = ext
			c.steps = append(c.steps, newStep(stepExtParam, ext))
		case "phone-context":
			if strings.HasPrefix(value, "+") {
				digits := onlyDigits(value)
				if digits == "" {
					return sayContextNoDigits.err(nil, shown(text), quote(value))
				}
				c.context = "+" + digits
			} else if value != "" {
				c.context = value
				c.steps = append(c.steps, newStep(stepContextDomain, quote(value)))
			}
		case "isub":
			c.steps = append(c.steps, newStep(stepISub))
		default:
			c.steps = append(c.steps, newStep(stepParam, quote(name)))
		}
	}
	return nil
}

// extractCallto reads callto: URIs ("callto:+49 30 123", "callto://+4930123/")
// as used by Skype, Lync and older click-to-dial tools. They are not
// standardised, so the part after the scheme must simply be one number.
func extractCallto(text, rest string) (candidate, error) {
	rest = strings.TrimPrefix(rest, "//")
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimRight(rest, "/")
	var c candidate
	if err := c.wholeNumber(text, strings.TrimSpace(fold(percentDecode(rest)))); err != nil {
		return c, err
	}
	c.steps = append(c.steps, newStep(stepCallto, shown(text), quote(c.number)))
	return c, nil
}

// extractSIP reads the user part of a sip: or sips: URI (RFC 3261). With
// user=phone or digits in the user part it is a number on the PBX or the
// network; the host is not dialed, because the desk phone calls through its
// own account. A user name ("alice") is not a number and is refused.
func extractSIP(scheme, rest string) (candidate, error) {
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i] // headers
	}
	user, host, hasHost := strings.Cut(rest, "@")
	if i := strings.IndexByte(user, ':'); i >= 0 {
		user = user[:i] // drop a password: it is never repeated in a message
	}
	host, _, _ = strings.Cut(host, ";")
	display := scheme + ":" + user
	if hasHost {
		display += "@" + host
	}
	parts := strings.Split(user, ";")
	var c candidate
	if err := c.readParams(display, parts[1:]); err != nil {
		return c, err
	}
	num := strings.TrimSpace(fold(percentDecode(parts[0])))
	if num == "" {
		return c, saySIPNoUser.err(nil, shown(display))
	}
	if err := c.wholeNumber(display, num); err != nil {
		return c, saySIPUser.err(nil, shown(display), quote(num))
	}
	if host != "" {
		c.steps = append(c.steps, newStep(stepSIPHost, shown(display), scheme, quote(c.number), quote(host)))
	} else {
		c.steps = append(c.steps, newStep(stepSIP, shown(display), scheme, quote(c.number)))
	}
	return c, nil
}

// wholeNumber makes s, the number part of a URI, the candidate: it must be
// one number and nothing else, so that "callto:echo123" (a Skype name) is
// refused instead of dialing 123.
func (c *candidate) wholeNumber(text, s string) error {
	rs := []rune(s)
	spans := findSpans(rs)
	if len(spans) != 1 {
		return sayNoNumber.err(nil, shown(text))
	}
	sp := spans[0]
	for i, r := range rs {
		if (i < sp.start || i >= sp.end) && r != ' ' {
			return sayNotANumberPart.err(nil, shown(text), quote(s))
		}
	}
	if sp.bad != "" {
		return &NotANumberError{Text: text, Part: sp.bad, Reason: sp.why}
	}
	c.number = sp.text
	c.letters = sp.letters > 0
	return nil
}

// extensionRe finds an extension written after the number: "ext 12",
// "ext. 12", "extension 12", "x12", and the German, French and Dutch words
// (Durchwahl, DW, Apparat, Nebenstelle, poste, toestel). Only text without
// digits may follow it. The marker must not be the end of a longer word
// ("Fax 12").
var extensionRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(ext(?:ension)?|x|durchwahl|dw|app(?:arat)?|nebenstelle|nst|poste|toestel|tst)\.?\s*[:.=-]?\s*([0-9]{1,8})([^0-9]*)$`)

// extensionInitials are the letters the markers of extensionRe begin with,
// in both cases. No other character folds to one of them
// (TestExtensionInitials), so text without any of them holds no extension.
const extensionInitials = "aAdDeEnNpPtTxX"

// findExtension is extensionRe.FindStringSubmatchIndex. The expression is
// case-insensitive with Unicode classes, the most expensive step of reading a
// number, and most inputs are a bare number without a single letter it could
// start at; those are answered without it.
func findExtension(s string) []int {
	if strings.IndexAny(s, extensionInitials) < 0 {
		return nil
	}
	return extensionRe.FindStringSubmatchIndex(s)
}

// hintRe finds a country written beside a number, "0800 123 456 (AT)".
var hintRe = regexp.MustCompile(`[(\[]\s*([A-Z]{2})\s*[)\]]`)

// extractText finds the number in free text: labels ("Tel.:"), an extension
// ("ext 12"), a country hint ("(AT)") and further numbers ("Fax ...") are
// told apart from the number to dial.
func extractText(text string) (candidate, error) {
	var c candidate
	work := text
	if m := findExtension(work); m != nil {
		before := work[:m[2]]
		if strings.IndexFunc(before, isDigit) >= 0 {
			c.ext = work[m[4]:m[5]]
			c.steps = append(c.steps, newStep(stepExtText, quote(strings.TrimSpace(work[m[2]:m[5]])), c.ext))
			work = before + work[m[6]:m[7]]
		}
	}
	for _, m := range hintRe.FindAllStringSubmatchIndex(work, -1) {
		region := work[m[2]:m[3]]
		if !knownRegion(region) {
			continue
		}
		if c.hint == "" {
			c.hint = region
		}
		work = work[:m[0]] + strings.Repeat(" ", m[1]-m[0]) + work[m[1]:]
	}
	rs := []rune(work)
	spans := findSpans(rs)
	if len(spans) == 0 {
		return c, sayNoNumber.err(nil, shown(text))
	}
	for _, sp := range spans {
		// Even beside the number that would be dialled: letters that
		// are no vanity spelling make the whole text doubtful.
		if sp.bad != "" {
			return c, &NotANumberError{Text: text, Part: sp.bad, Reason: sp.why}
		}
	}
	best := 0
	if len(spans) > 1 {
		bestScore := -100
		for i, sp := range spans {
			// On a tie the number with more digits wins: "Mo-Fr 9-17 Uhr
			// 030 1234567" is a call to Berlin, not to extension 917.
			if s := spanScore(rs, sp); s > bestScore || s == bestScore && sp.digits > spans[best].digits {
				best, bestScore = i, s
			}
		}
		var others []string
		for i, sp := range spans {
			if i != best {
				others = append(others, quote(sp.text))
			}
		}
		c.steps = append(c.steps, newStep(stepMoreNumbers, quote(spans[best].text), strings.Join(others, ", ")))
	}
	sp := spans[best]
	c.number = sp.text
	c.letters = sp.letters > 0
	if sp.text != text && len(spans) == 1 {
		c.steps = append(c.steps, newStep(stepTook, quote(sp.text), shown(text)))
	}
	return c, nil
}

// span is one stretch of text that can be a phone number.
type span struct {
	start, end int // rune indexes, end exclusive
	text       string
	digits     int
	letters    int
	// bad is letters in the span that are no vanity spelling, and why
	// (vanityProblem); the span is then refused, never dialled.
	bad string
	why NotNumberReason
}

func isDigit(r rune) bool    { return r >= '0' && r <= '9' }
func isLetter(r rune) bool   { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isStarHash(r rune) bool { return r == '*' || r == '#' }

// isSep reports the visual separators people put into numbers. "/" is the
// German area code separator ("030/1234567"), "(0)" the trunk prefix marker.
func isSep(r rune) bool {
	switch r {
	case ' ', '-', '.', '/', '(', ')', '[', ']':
		return true
	}
	return false
}

// findSpans returns the stretches of rs that can be phone numbers: digits with
// separators, "+", "*" and "#", and vanity words ("1-800-FLOWERS"). Letters
// count as part of a number only when they follow its digits directly or after
// a "-", or after a space when they are capitals and the digits before them
// (at most four, "1 800 FLOWERS") cannot be a number on their own; and only
// three or more letters in all (libphonenumber's own threshold for vanity
// numbers). So "030 1234567 Zentrale" is a number and a word, and "p"/"w"
// (pause, wait) end a number. A span whose letters are no vanity spelling
// (an option's "--config", a word with digits after it) is marked bad and
// refused by its reader, never dialled.
func findSpans(rs []rune) []span {
	var spans []span
	for i := 0; i < len(rs); {
		r := rs[i]
		if !isDigit(r) && r != '+' && r != '(' && !isStarHash(r) {
			i++
			continue
		}
		end, digits, letters := growSpan(rs, i, true)
		if letters > 0 && letters < 3 {
			// Too few letters for a vanity word: the number ends where
			// they begin.
			end, digits, letters = growSpan(rs, i, false)
		}
		if sp, ok := trimSpan(rs, i, end, letters); ok && digits > 0 {
			if letters > 0 {
				sp.bad, sp.why, _ = vanityProblem(rs, sp)
			}
			spans = append(spans, sp)
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	return spans
}

// growSpan extends a span from start as far as number characters go.
func growSpan(rs []rune, start int, allowLetters bool) (end, digits, letters int) {
	j := start
	for j < len(rs) {
		r := rs[j]
		switch {
		case isDigit(r):
			digits++
			j++
		case r == '+' || isStarHash(r) || isSep(r):
			j++
		case allowLetters && isLetter(r) && digits > 0 && j > start && (isDigit(rs[j-1]) || rs[j-1] == '-' || rs[j-1] == ' '):
			k := j
			for k < len(rs) && isLetter(rs[k]) {
				k++
			}
			if k < len(rs) && !isDigit(rs[k]) && !isSep(rs[k]) {
				return j, digits, letters
			}
			if rs[j-1] == ' ' && (digits > 4 || strings.ToUpper(string(rs[j:k])) != string(rs[j:k])) {
				return j, digits, letters
			}
			letters += k - j
			j = k
		default:
			return j, digits, letters
		}
	}
	return j, digits, letters
}

// trimSpan drops separators at the ends of a span, and "*" or "#" that touch
// no digit (a "#" in "Nr. # 030 1234567" is a label, "*21#" is a code).
func trimSpan(rs []rune, start, end, letters int) (span, bool) {
	touches := func(i int) bool {
		return i > start && (isDigit(rs[i-1]) || isStarHash(rs[i-1])) ||
			i+1 < end && (isDigit(rs[i+1]) || isStarHash(rs[i+1]))
	}
	for start < end {
		r := rs[start]
		if isSep(r) && r != '(' || isStarHash(r) && !touches(start) {
			start++
			continue
		}
		break
	}
	for end > start {
		r := rs[end-1]
		if isSep(r) && r != ')' || r == '+' || isStarHash(r) && !touches(end-1) {
			end--
			continue
		}
		break
	}
	if end > start && rs[end-1] == ')' && strings.Count(string(rs[start:end]), "(") < strings.Count(string(rs[start:end]), ")") {
		end--
	}
	if start >= end {
		return span{}, false
	}
	sp := span{start: start, end: end, text: string(rs[start:end]), letters: letters}
	for _, r := range rs[start:end] {
		if isDigit(r) {
			sp.digits++
		}
	}
	return sp, true
}

// phoneLabels and faxLabels are the words in front of numbers on letterheads
// and web pages in the languages of the supported countries. They only decide
// which of several numbers in one text is dialed.
var (
	phoneLabels = map[string]bool{
		"tel": true, "tele": true, "telefon": true, "telephone": true, "téléphone": true, "tél": true,
		"telefoon": true, "phone": true, "ph": true, "fon": true, "mobil": true, "mobile": true,
		"mob": true, "mobiel": true, "handy": true, "cell": true, "portable": true, "gsm": true,
		"call": true, "ruf": true, "rufnummer": true, "nummer": true, "number": true, "t": true, "m": true,
		"hotline": true, "service": true, "servicenummer": true,
	}
	faxLabels = map[string]bool{"fax": true, "telefax": true, "f": true}
)

// spanScore ranks the numbers of one text: one after a phone label beats
// one after a fax label, and a number needs three digits to count over a
// house number or "#1" (a list position). Ties go to the first number.
func spanScore(rs []rune, sp span) int {
	score := 0
	if sp.digits < 3 {
		score -= 2
	}
	k := sp.start - 1
	for k >= 0 && strings.ContainsRune(" :.,;-=#/", rs[k]) {
		k--
	}
	wordEnd := k + 1
	for k >= 0 && unicode.IsLetter(rs[k]) {
		k--
	}
	label := strings.ToLower(string(rs[k+1 : wordEnd]))
	switch {
	case phoneLabels[label]:
		score++
	case faxLabels[label]:
		score--
	}
	return score
}
