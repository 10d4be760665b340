// Package dialplan turns whatever a person or a web page hands dialbridge
// ("+49 (0)30 123 45-67", "tel:+1-201-555-0123;ext=45", "sip:200@pbx", "204",
// "*21#", "Tel.: 030 1234567") into the digits a desk phone behind a PBX must
// dial, following the [dialing] settings of config.toml: the home country,
// its area code, the PBX's outside-line prefix, the length of internal
// extensions and national or E.164 form. It also refuses numbers on the
// blocked list (premium-rate and similar ranges) when the caller asks.
//
// Every entry point (the listener, the command line, the dial pad, URI
// handlers) calls the same Rules.Normalize, so one input always dials the
// same way wherever it came from. Numbering facts (country calling codes,
// trunk and international prefixes, number lengths, short and emergency
// numbers) come from libphonenumber's metadata (github.com/nyaruka/phonenumbers),
// never from tables kept here; the only numbering table here is the small
// default blocked list per country in blocked.go.
package dialplan

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// MaxInputLen is the longest input, in bytes, that Normalize reads. A number
// with its label and extension fits many times over; anything longer is a
// pasted page, not something to guess a number from.
const MaxInputLen = 512

// maxDigits bounds the digits of one number: E.164 allows 15 after the "+",
// plus room for prefixes written in front of it.
const maxDigits = 24

// Rules mirrors the [dialing] table of config.toml. The zero value dials
// every input as written: no country knowledge, no outside line, no
// extensions.
type Rules struct {
	// Country is the phone's country, ISO 3166 alpha-2 ("DE"). Empty means
	// no country knowledge: numbers are dialed as written, digits only,
	// and "+" numbers in E.164 form.
	Country string
	// AreaCode is the local area code without trunk prefix ("30" for
	// Berlin). It turns local numbers into full numbers for the blocked
	// list and the E.164 format; local numbers are still dialed as written.
	AreaCode string
	// OutsideLine is what the PBX needs before an external number ("0",
	// "9"). It is put in front of every number that leaves the PBX, never in
	// front of extensions and service codes.
	OutsideLine string
	// InternalMaxDigits: a number of at most this many digits, written
	// without "+" and not starting with the trunk prefix (except in the
	// NANP, whose 1 is never followed by so few digits), is an internal
	// extension; emergency numbers excepted. 0 means no extensions.
	InternalMaxDigits int
	// InternationalPrefix overrides the country's own prefix for calls
	// abroad ("00" in DE, "011" in US), which is otherwise taken from
	// libphonenumber's metadata.
	InternationalPrefix string
	// Format is "national" (the default when empty): home-country numbers
	// in national form with trunk prefix, foreign ones with the
	// international prefix; or "e164": every number that has one in +CC form,
	// for PBXs and SIP trunks that route E.164.
	Format string
	// Blocked are patterns of numbers that CheckBlocked refuses. nil means
	// DefaultBlocked(Country); an empty, non-nil list blocks nothing.
	Blocked []string
}

// Kind says what sort of number a Result is, because that decides the
// outside line and what the blocked list compares.
type Kind int

const (
	// Unknown is the zero value; Normalize never returns it without an error.
	Unknown Kind = iota
	// Internal is an extension of the PBX: dialed as written, no outside line.
	Internal
	// Service is a code with "*" or "#" for the phone, PBX or network
	// ("*21#", "#31#030123"): dialed exactly as written.
	Service
	// Emergency is an emergency number of the home country ("112", "911"):
	// dialed with the outside line, and never taken for an extension.
	Emergency
	// ShortCode is a short number of the home country other than an
	// emergency number ("11833", "116117"): dialed as written with the
	// outside line; it has no E.164 form.
	ShortCode
	// Local is a home-country number written without area code: dialed
	// as written with the outside line.
	Local
	// National is a number with the home country's calling code: dialed in
	// national form (trunk prefix and area code) with the outside line.
	National
	// International is a number of another country: dialed with the
	// international prefix and country code, with the outside line.
	International
)

// String names the kind in words, as the steps and the command line show it.
func (k Kind) String() string {
	switch k {
	case Internal:
		return "internal extension"
	case Service:
		return "service code"
	case Emergency:
		return "emergency number"
	case ShortCode:
		return "short code"
	case Local:
		return "local number"
	case National:
		return "national number"
	case International:
		return "international number"
	}
	return "unknown"
}

// external reports whether a number of this kind leaves the PBX and so
// needs the outside line.
func (k Kind) external() bool {
	return k >= Emergency
}

// Result is what Normalize made of one input.
type Result struct {
	// Input is the text as it was given.
	Input string
	// Dial is what the phone gets: only 0-9, "*", "#" and "+".
	Dial string
	// E164 is the canonical "+CC..." form when known, else "" (extensions,
	// service and short codes, local numbers without a configured area
	// code, and without a country).
	E164 string
	// Kind is what sort of number it is.
	Kind Kind
	// Ext is an extension from ";ext=" or "ext." text: reported, not dialed
	// (a PBX's extension must be dialed after the call is answered).
	Ext string
	// Digits is the number as written, reduced to digits, "*", "#" and a
	// leading "+", vanity letters turned into digits (a short code written
	// with its country code, "+4911833", is reduced to the code). Blocked
	// patterns without country or trunk prefix ("118*") are compared with it
	// for local numbers, short codes and emergency numbers.
	Digits string
	// Steps explain how Dial was derived, for `dialbridge normalize`:
	// English through String, the person's language through Sentence.
	Steps []Step
}

// stepRoom is room for the steps of a typical dial (two to four), so that
// Steps is allocated once rather than grown step by step.
const stepRoom = 4

// step adds the step of form f with vals.
func (res *Result) step(f *form, vals ...string) {
	res.addStep(newStep(f, vals...))
}

func (res *Result) addStep(st Step) {
	if res.Steps == nil {
		res.Steps = make([]Step, 0, stepRoom)
	}
	res.Steps = append(res.Steps, st)
}

// settings are the checked Rules, ready to apply.
type settings struct {
	home    home
	hasHome bool
	area    string
	outside string
	maxInt  int
	e164    bool
}

// settings checks the rules that Normalize needs. The config check reports
// the same problems through Validate when the file is loaded; this is the
// safety net for rules built in code.
func (r Rules) settings() (settings, error) {
	h, hasHome, errs := r.checkFields()
	if len(errs) > 0 {
		return settings{}, errs[0]
	}
	return settings{
		home:    h,
		hasHome: hasHome,
		area:    r.AreaCode,
		outside: r.OutsideLine,
		maxInt:  r.InternalMaxDigits,
		e164:    strings.EqualFold(r.Format, "e164"),
	}, nil
}

// Normalize turns input into the dial string for the phone. It is the one
// function every entry point uses. The error is a sentence for a person,
// e.g. `"abc" contains no phone number`; the blocked list is not consulted
// here (see CheckBlocked), because a number the person typed is dialed
// even when it is on the list. It keeps no state and is safe for concurrent
// use.
func (r Rules) Normalize(input string) (Result, error) {
	res := Result{Input: input}
	if len(input) > MaxInputLen {
		return res, sayInputTooLong.err(nil, len(input), MaxInputLen)
	}
	s, err := r.settings()
	if err != nil {
		return res, sayBadRules.err(err)
	}
	text := strings.TrimSpace(plusAsBlank(fold(input)))
	if text == "" {
		return res, sayNothing.err(nil)
	}
	if err := refuseNonNumbers(input, text); err != nil {
		return res, err
	}
	c, err := extract(text)
	if err != nil {
		return res, err
	}
	if len(c.steps) > 0 {
		res.Steps = append(make([]Step, 0, len(c.steps)+stepRoom), c.steps...)
	}
	res.Ext = c.ext

	number := c.number
	if c.letters {
		converted := phonenumbers.ConvertAlphaCharactersInNumber(strings.ToUpper(number))
		res.step(stepLetters, quote(number), quote(converted))
		number = converted
	}
	plus, body, service := clean(number)
	if c.context != "" && strings.HasPrefix(c.context, "+") && !plus {
		res.step(stepContext, c.context, body)
		plus, body = true, c.context[1:]+body
	}
	if plus {
		res.Digits = "+" + body
	} else {
		res.Digits = body
	}
	if len(onlyDigits(body)) > maxDigits {
		return res, sayTooManyDigits.err(nil, shown(text))
	}
	if service {
		res.Kind = Service
		res.Dial = res.Digits
		res.step(stepService, res.Dial)
		return res, nil
	}
	n := &normalizer{s: s, res: &res, text: text}
	if err := n.classify(plus, body, c.hint); err != nil {
		return res, err
	}
	if res.Kind.external() && s.outside != "" {
		res.Dial = s.outside + res.Dial
		res.step(stepOutside, s.outside, res.Dial)
	}
	return res, nil
}

// clean reduces a written number to its digits, "*" and "#", and says
// whether it began with "+". Elsewhere a "+" counts only between "*" or "#"
// and a digit (a service code with an international number in it) and is
// otherwise dropped; "*" and "#" count only where they touch a digit or each
// other.
func clean(number string) (plus bool, body string, service bool) {
	rs := []rune(number)
	out := make([]byte, 0, len(rs))
	lastIsCode := func() bool { return len(out) > 0 && isStarHash(rune(out[len(out)-1])) }
	for i, r := range rs {
		switch {
		case isDigit(r):
			out = append(out, byte(r))
		case r == '+':
			switch {
			case len(out) == 0 && !plus:
				plus = true
			case i > 0 && isStarHash(rs[i-1]) && lastIsCode() && i+1 < len(rs) && isDigit(rs[i+1]):
				out = append(out, '+') // "**21*+4930123#": forward to an international number
			}
		case isStarHash(r):
			if i > 0 && (isDigit(rs[i-1]) || isStarHash(rs[i-1])) || i+1 < len(rs) && (isDigit(rs[i+1]) || isStarHash(rs[i+1])) {
				out = append(out, byte(r))
				service = true
			}
		}
	}
	return plus, string(out), service
}
