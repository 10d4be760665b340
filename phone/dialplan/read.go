package dialplan

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/nyaruka/phonenumbers"
)

// Reading is everything dialbridge makes of one text: what the phone dials,
// why, and whether the blocked list refuses it. Every way a number comes in
// (each listener format, the control API, the tray and its clipboard item,
// the dial pad, `dialbridge dial`, clicked links) acts on a Reading, and
// `dialbridge normalize` prints one, so that a number cannot be read one way
// where it is checked and another way where it is dialled.
type Reading struct {
	Result
	// Blocked refuses the number for every dial the person did not type
	// themselves: a *BlockedError naming the rule, or an error saying the
	// list cannot be checked (which refuses too: a blocked list that stops
	// working silently is worse than one that is too strict). nil when no
	// rule applies.
	Blocked error
}

// Read turns text into a Reading: the dialing rules (Normalize), then the
// blocked list (CheckBlocked). It is the one function every entry calls;
// the error is a sentence for a person saying why text is no number to
// dial. It keeps no state and is safe for concurrent use.
func (r Rules) Read(text string) (Reading, error) {
	res, err := r.Normalize(text)
	if err != nil {
		return Reading{Result: res}, err
	}
	return Reading{Result: res, Blocked: r.CheckBlocked(res)}, nil
}

// NotNumberReason says why a part of a text is not part of a phone number.
type NotNumberReason int

const (
	// LooksLikeOption: a word written like a command-line option
	// ("--config", "-c"), which is a mistake on the command line, never a
	// keypad spelling.
	LooksLikeOption NotNumberReason = iota + 1
	// WordBetweenNumbers: letters with digits after them ("030-ABC-1234");
	// a vanity number has its letters at the end ("0800 FLOWERS").
	WordBetweenNumbers
	// ControlCharacter: a character no text copied from a page or typed by
	// a person holds.
	ControlCharacter
	// InProse: a word after a number in a sentence ("CALL 0800 NOW"),
	// where words before the number are more than a label like "Tel.:".
	InProse
)

// NotANumberError refuses a text because a part of it, next to a number,
// is not part of any phone number. Reading such letters as keypad digits
// would dial a real-looking number nobody meant, the worst thing a
// click-to-dial tool can do, so the text is refused instead and the part is
// named. Windows translate it by Reason and Part.
type NotANumberError struct {
	// Text is the whole text as given.
	Text string
	// Part is what is not a number ("--config"), for ControlCharacter its
	// code ("U+0000").
	Part string
	// Reason says what Part looks like.
	Reason NotNumberReason
}

// Error is the English sentence, naming the part.
func (e *NotANumberError) Error() string { return e.Sentence().Error() }

// Sentence is the refusal with its translation key, for i18n.Error.
func (e *NotANumberError) Sentence() *sentence.Sentence {
	part := quote(e.Part)
	f := sayNotANumber
	switch e.Reason {
	case LooksLikeOption:
		f = sayLooksLikeOption
	case WordBetweenNumbers:
		f = sayWordBetweenNumbers
	case ControlCharacter:
		f, part = sayControlCharacter, e.Part
	case InProse:
		f = sayInProse
	}
	return f.err(nil, shown(e.Text), part)
}

// optionRe finds a word written like a command-line option: one or two
// dashes right before a letter, at the start of the text or after a blank.
// "Mo-Fr" (a dash inside a word) and "030 123 - 45" (a dash on its own) do
// not match.
var optionRe = regexp.MustCompile(`(?:^|\s)(--?[A-Za-z][A-Za-z0-9_-]*(?:=\S*)?)`)

// refuseNonNumbers returns a *NotANumberError for text (folded) that holds
// a control character or something written like a command-line option.
func refuseNonNumbers(input, text string) error {
	if i := strings.IndexFunc(text, isStrayControl); i >= 0 {
		r := []rune(text[i:])[0]
		return &NotANumberError{Text: input, Part: fmt.Sprintf("U+%04X", r), Reason: ControlCharacter}
	}
	if m := optionRe.FindStringSubmatch(text); m != nil {
		return &NotANumberError{Text: input, Part: m[1], Reason: LooksLikeOption}
	}
	return nil
}

// isStrayControl reports control characters other than the blanks (tab,
// line breaks), which pasted text does hold and fold turns into spaces.
func isStrayControl(r rune) bool {
	return unicode.IsControl(r) && !unicode.IsSpace(r)
}

// plusAsBlank turns a "+" written right after a letter or digit into a
// blank. There it cannot be the international prefix, which begins a
// number, so it is what an HTML form makes of a blank in a query string
// ("0800+FLOWERS", "%2B49+30+1234567", "Tel.+030+1234"). Doing this here,
// for every text, lets a dial request's query value be read exactly as the
// same text typed anywhere else; a "+" that begins a number ("+49",
// "tel:+1", "*21*+49") is kept.
func plusAsBlank(s string) string {
	if strings.IndexByte(s, '+') <= 0 {
		return s
	}
	b := []byte(s)
	for i := 1; i < len(b); i++ {
		if b[i] == '+' && (isDigit(rune(b[i-1])) || isLetter(rune(b[i-1]))) {
			b[i] = ' '
		}
	}
	return string(b)
}

// vanityProblem checks a span with letters: they must be a vanity
// spelling, words at the end of a number ("0800 FLOWERS", "1-800-GO-FEDEX",
// "1800flowers"), or the span is refused. Letters right after an option's
// dashes ("030123 --config") or with digits after them ("030-ABC-1234")
// are no vanity number.
func vanityProblem(rs []rune, sp span) (string, NotNumberReason, bool) {
	first := -1
	for i := sp.start; i < sp.end; i++ {
		if isLetter(rs[i]) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", 0, false
	}
	word := first
	for word < sp.end && isLetter(rs[word]) {
		word++
	}
	lastDigit := first - 1
	for lastDigit >= sp.start && !isDigit(rs[lastDigit]) {
		lastDigit--
	}
	between := string(rs[lastDigit+1 : first])
	if strings.HasSuffix(between, "--") || strings.HasSuffix(between, " -") {
		k := first - 1
		for k > lastDigit && rs[k] == '-' {
			k--
		}
		return string(rs[k+1 : word]), LooksLikeOption, true
	}
	if strings.HasSuffix(between, " ") && prose(rs[:sp.start]) {
		return string(rs[first:word]), InProse, true
	}
	for i := first; i < sp.end; i++ {
		if isDigit(rs[i]) {
			// Name the last word before the digits: "ABC" in "030-ABC-1234".
			w := i
			for w > first && !isLetter(rs[w-1]) {
				w--
			}
			s := w
			for s > first && isLetter(rs[s-1]) {
				s--
			}
			return string(rs[s:w]), WordBetweenNumbers, true
		}
	}
	return "", 0, false
}

// prose reports whether the text before a number holds a word other than
// the labels written in front of phone numbers ("Tel.:", "Hotline"):
// then a capitalised word after the number is more of the sentence
// ("CALL 0800 NOW"), not a vanity spelling.
func prose(before []rune) bool {
	for _, w := range strings.FieldsFunc(string(before), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !phoneLabels[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// Warm reads the home country's example number once and throws the answer
// away. libphonenumber compiles the regular expressions of a country the
// first time a number of it is read; done at the first dial, that costs
// about a millisecond and pages the regexp compiler's code in (measured
// after a start-up release: first Read 0.9-1.3 ms cold, 0.25-0.64 ms
// warmed, and 1.1 MB less of the program mapped afterwards). The resident
// calls Warm before it gives back its start-up memory: the compiled
// expressions stay on the heap, the compiler's code leaves with the rest.
// Without a known country there is nothing to warm.
func (r Rules) Warm() {
	if n := r.warmNumber(); n != "" {
		_, _ = r.Read(n)
	}
}

// warmNumber is the number Warm reads: the home country's example number
// in E.164, or "" without a known country.
func (r Rules) warmNumber() string {
	num := phonenumbers.GetExampleNumber(strings.ToUpper(r.Country))
	if num == nil {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}
