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
	"errors"
	"fmt"
	"strconv"
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
	// Steps explain in English sentences how Dial was derived, for
	// `dialbridge normalize`.
	Steps []string
}

// stepRoom is room for the steps of a typical dial (two to four), so that
// Steps is allocated once rather than grown step by step.
const stepRoom = 4

func (res *Result) step(format string, args ...any) {
	if res.Steps == nil {
		res.Steps = make([]string, 0, stepRoom)
	}
	res.Steps = append(res.Steps, fmt.Sprintf(format, args...))
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
		return res, fmt.Errorf("the text is too long to be a phone number (%d bytes; at most %d)", len(input), MaxInputLen)
	}
	s, err := r.settings()
	if err != nil {
		return res, fmt.Errorf("the dialing rules cannot be used: %w", err)
	}
	text := strings.TrimSpace(plusAsBlank(fold(input)))
	if text == "" {
		return res, errors.New("no phone number was given")
	}
	if err := refuseNonNumbers(input, text); err != nil {
		return res, err
	}
	c, err := extract(text)
	if err != nil {
		return res, err
	}
	if len(c.steps) > 0 {
		res.Steps = append(make([]string, 0, len(c.steps)+stepRoom), c.steps...)
	}
	res.Ext = c.ext

	number := c.number
	if c.letters {
		converted := phonenumbers.ConvertAlphaCharactersInNumber(strings.ToUpper(number))
		res.step("Read the letters of %s as keypad digits: %s.", quote(number), quote(converted))
		number = converted
	}
	plus, body, service := clean(number)
	if c.context != "" && strings.HasPrefix(c.context, "+") && !plus {
		res.step("Put the phone-context %s in front of the local number %s (RFC 3966).", c.context, body)
		plus, body = true, c.context[1:]+body
	}
	if plus {
		res.Digits = "+" + body
	} else {
		res.Digits = body
	}
	if len(onlyDigits(body)) > maxDigits {
		return res, fmt.Errorf("%s has too many digits to be a phone number", shown(text))
	}
	if service {
		res.Kind = Service
		res.Dial = res.Digits
		res.step("It contains \"*\" or \"#\", so it is a service code for the phone or PBX and is dialed exactly as written: %s.", res.Dial)
		return res, nil
	}
	n := &normalizer{s: s, res: &res, text: text}
	if err := n.classify(plus, body, c.hint); err != nil {
		return res, err
	}
	if res.Kind.external() && s.outside != "" {
		res.Dial = s.outside + res.Dial
		res.step("Put the outside line %s in front, because the number leaves the PBX: %s.", s.outside, res.Dial)
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

// normalizer carries one Normalize call through the rules.
type normalizer struct {
	s      settings
	res    *Result
	text   string // the folded input, for messages
	parses parses // what libphonenumber has read so far
}

// classify decides the kind of a number without "*" and "#" and sets Dial
// (without the outside line), E164 and Kind.
func (n *normalizer) classify(plus bool, digits, hint string) error {
	res, s := n.res, n.s
	if digits == "" {
		return fmt.Errorf("%s contains no phone number", shown(n.text))
	}
	if plus {
		return n.global(digits)
	}
	if !s.hasHome {
		if len(digits) <= s.maxInt {
			return n.internal(digits)
		}
		res.Kind = Local
		res.Dial = digits
		res.step("No country is configured, so %s is dialed as written.", digits)
		return nil
	}
	h := s.home
	if hint != "" && hint != h.region {
		res.step("The text names the country %s, so %s is read as a number of %s.", hint, digits, hint)
		return n.parsed(digits, hint)
	}
	if phonenumbers.IsEmergencyNumber(digits, h.region) {
		res.Kind = Emergency
		res.Dial = digits
		res.step("%s is an emergency number in %s; it is never taken for an extension and is dialed as written.", digits, h.region)
		return nil
	}
	if len(digits) <= s.maxInt && (h.nanp || h.np == "" || !strings.HasPrefix(digits, h.np)) {
		// A short number with the trunk prefix ("030") is an external
		// number cut short, not an extension. Not so in the NANP, where
		// the 1 is followed by ten digits and PBX extensions 1000-1999
		// are common.
		return n.internal(digits)
	}
	if h.intl != "" && strings.HasPrefix(digits, h.intl) {
		res.step("%s starts with the international prefix %s of %s.", digits, h.intl, h.region)
		return n.global(digits[len(h.intl):])
	}
	if h.intl != "00" && strings.HasPrefix(digits, "00") && !n.validIn(digits, h.region) {
		// 00 is the international prefix that ITU-T E.164 recommends and
		// most of the world uses; a number copied from a European letterhead
		// into a US office means +.
		res.step("%s starts with 00, the international prefix of most countries, and is no valid number of %s, so 00 is read as \"+\".", digits, h.region)
		return n.global(digits[2:])
	}
	if n.shortCode(digits) {
		return nil
	}
	switch {
	case h.np != "" && strings.HasPrefix(digits, h.np):
		res.step("%s starts with the trunk prefix %s, so it is a number of %s with area code.", digits, h.np, h.region)
		return n.parsed(digits, h.region)
	case h.np == "":
		res.step("%s has no trunk prefix, so every number there is written in full.", h.region)
		return n.parsed(digits, h.region)
	case h.nanp && len(digits) == 10:
		res.step("%s has ten digits, a full North American number written without the 1.", digits)
		return n.parsed(digits, h.region)
	case n.nationalWithoutPrefix(digits):
		res.step("%s is a number of %s that is dialed without trunk prefix.", digits, h.region)
		return n.parsed(digits, h.region)
	}
	return n.local(digits)
}

// nationalWithoutPrefix reports whether libphonenumber knows digits as a
// whole number of the home country that is dialed without trunk prefix
// (the Dutch 14 + area code municipal numbers). Being valid is not enough:
// a Munich local number 30123456 is also a valid Berlin number 030 123456,
// but Berlin numbers are dialed with the trunk prefix, so written without
// one it is local.
func (n *normalizer) nationalWithoutPrefix(digits string) bool {
	h := n.s.home
	p, err := n.parses.parse(digits, h.region)
	if err != nil || p.nationalSignificant() != digits || !p.isValid() {
		return false
	}
	return !strings.HasPrefix(onlyDigits(phonenumbers.FormatOutOfCountryCallingNumber(p.num, h.region)), h.np)
}

func (n *normalizer) internal(digits string) error {
	n.res.Kind = Internal
	n.res.Dial = digits
	n.res.step("%s has at most %d digits (internal_max_digits), so it is an internal extension, dialed as written without outside line.", digits, n.s.maxInt)
	return nil
}

// validIn reports whether digits form a valid number of region in national
// form.
func (n *normalizer) validIn(digits, region string) bool {
	p, err := n.parses.parse(digits, region)
	return err == nil && p.isValid()
}

// shortCode recognizes the home country's short numbers (directory
// enquiries, 116xxx helplines, the authorities' 115) from libphonenumber's
// short number metadata. They work only inside the country and only as
// written, so they get no E.164 form and no area code.
func (n *normalizer) shortCode(digits string) bool {
	region := n.s.home.region
	if !n.isShortCode(digits, region) {
		return false
	}
	n.res.Kind = ShortCode
	n.res.Dial = digits
	n.res.Digits = digits // "+4911833" is the code 11833 for the blocked list
	n.res.step("%s is a short number in %s, dialed as written.", digits, region)
	return true
}

// isShortCode reports whether digits are a short number of region.
func (n *normalizer) isShortCode(digits, region string) bool {
	p, err := n.parses.parse(digits, region)
	return err == nil && p.nationalSignificant() == digits && phonenumbers.IsValidShortNumberForRegion(p.num, region)
}

// local handles a home-country number written without trunk prefix: a
// subscriber in the phone's own area. It is dialed as written, which works
// wherever local dialing exists, and never guesses a wrong area code; with
// an area code configured, its full number is known for the blocked list and
// the E.164 format.
func (n *normalizer) local(digits string) error {
	res, s := n.res, n.s
	res.Kind = Local
	res.Dial = digits
	if s.area == "" {
		res.step("%s has no trunk prefix, so it is a local number, dialed as written; no area code is configured, so its full number is unknown.", digits)
		return nil
	}
	full := "+" + s.home.ccStr + s.area + digits
	p, err := n.parses.parse(full, "ZZ")
	if err == nil {
		// The full number must stand for this subscriber when written
		// with "+": Vienna's 16000 is not +43 116000, the 116000 helpline.
		if _, ok := n.nationalForm(p); !ok {
			err = errors.New("no number of the country")
		} else if !p.isValid() && n.isShortCode(p.nationalSignificant(), s.home.region) {
			err = errors.New("a short code")
		}
	}
	if err != nil {
		res.step("%s has no trunk prefix, so it is a local number, dialed as written; with the area code %s it makes %s, which is %v, so its full number is unknown.", digits, s.area, full, err)
		return nil
	}
	res.E164 = p.e164Form()
	if s.e164 {
		res.Dial = res.E164
		res.step("%s has no trunk prefix, so it is a local number in the area %s: %s, dialed in E.164 form: %s.", digits, s.area, p.intlForm(), res.Dial)
		return nil
	}
	res.step("%s has no trunk prefix, so it is a local number in the area %s (%s), dialed as written.", digits, s.area, p.intlForm())
	return nil
}

// nationalForm is how a home-country number is dialed inside the country,
// or false when it cannot be. For a valid number libphonenumber knows: with
// trunk prefix in DE, "1" + ten digits in the NANP, without prefix for the
// NL 14xxx municipal numbers. For one it does not know (a new range, or a
// test number): trunk prefix and national number, but only if that reads
// back as the same number; else the prefix would be taken for part of the
// number, which then does not fit the country's plan.
func (n *normalizer) nationalForm(p *parsedNumber) (string, bool) {
	h := n.s.home
	nsn := p.nationalSignificant()
	valid := p.isValid()
	if valid {
		nat := onlyDigits(phonenumbers.FormatOutOfCountryCallingNumber(p.num, h.region))
		if strings.HasSuffix(nat, nsn) {
			return nat, true
		}
	}
	if !valid && (p.num.GetItalianLeadingZero() || phonenumbers.IsPossibleNumberWithReason(p.num) != phonenumbers.IS_POSSIBLE) {
		return "", false
	}
	nat := h.np + nsn
	back, err := n.parses.parse(nat, h.region)
	if err != nil || back.e164Form() != p.e164Form() {
		return "", false
	}
	return nat, true
}

// global handles a number with its country code ("+" or international
// prefix already removed).
func (n *normalizer) global(digits string) error {
	return n.parsed("+"+digits, "ZZ")
}

// parsed lets libphonenumber read number (national form of region, or "+...")
// and derives the dial string from what it found.
func (n *normalizer) parsed(number, region string) error {
	res, s := n.res, n.s
	p, err := n.parses.parse(number, region)
	if err != nil {
		return n.parseError(number, err)
	}
	num := p.num
	reason := phonenumbers.IsPossibleNumberWithReason(num)
	switch reason {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return fmt.Errorf("%s does not start with a country calling code", shown(n.text))
	case phonenumbers.TOO_SHORT:
		return fmt.Errorf("%s is too short for a phone number of %s", shown(n.text), p.regionName())
	case phonenumbers.TOO_LONG:
		return fmt.Errorf("%s is too long for a phone number of %s", shown(n.text), p.regionName())
	}
	valid := p.isValid()
	nsn := p.nationalSignificant()
	cc := int(num.GetCountryCode())
	if !valid && s.hasHome && cc == s.home.cc && n.shortCode(nsn) {
		return nil
	}
	if !valid {
		// A number libphonenumber does not know is still dialed when its
		// length fits the country: number ranges open faster than metadata
		// is updated. One whose length fits no number there is a copy
		// error and would reach a wrong party or none.
		switch {
		case num.GetItalianLeadingZero():
			// A zero libphonenumber could not take for a trunk prefix.
			return fmt.Errorf("%s is not a valid number of %s", shown(n.text), p.regionName())
		case reason == phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
			return fmt.Errorf("%s is too short for a complete number of %s (a local number is written without country code and trunk prefix)", shown(n.text), p.regionName())
		case reason != phonenumbers.IS_POSSIBLE:
			return fmt.Errorf("%s has a number of digits that no number of %s has", shown(n.text), p.regionName())
		}
	}
	ccStr := strconv.Itoa(cc)
	if strings.HasPrefix(number, "+") {
		rest := strings.TrimPrefix(number[1:], ccStr)
		if np := phonenumbers.GetNddPrefixForRegion(phonenumbers.GetRegionCodeForCountryCode(cc), true); np != "" && rest != nsn && rest == np+nsn {
			res.step("Dropped the trunk prefix %s written after +%s: it is not dialed after a country code.", np, ccStr)
		}
	}

	if s.hasHome && cc == s.home.cc {
		res.Kind = National
		res.E164 = p.e164Form()
		if !valid {
			res.step("libphonenumber does not know %s as an assigned number; it is dialed anyway, the network decides.", p.intlForm())
		}
		nat, ok := n.nationalForm(p)
		if !ok {
			return fmt.Errorf("%s is not a valid number of %s", shown(n.text), p.regionName())
		}
		if s.e164 {
			res.Dial = res.E164
			res.step("%s is a number of the home country code +%d, dialed in E.164 form: %s.", p.intlForm(), cc, res.Dial)
			return nil
		}
		res.Dial = nat
		res.step("%s is a number of the home country code +%d, dialed in national form: %s.", p.intlForm(), cc, res.Dial)
		return nil
	}

	res.Kind = International
	res.E164 = p.e164Form()
	if !valid {
		res.step("libphonenumber does not know %s as an assigned number; it is dialed anyway, the network decides.", p.intlForm())
	}
	switch {
	case s.e164:
		res.Dial = res.E164
		res.step("%s is a number of %s, dialed in E.164 form: %s.", p.intlForm(), p.regionName(), res.Dial)
	case !s.hasHome:
		res.Dial = res.E164
		res.step("%s is a number of %s; no country is configured, so it is dialed in E.164 form: %s.", p.intlForm(), p.regionName(), res.Dial)
	case s.home.intl == "":
		res.Dial = res.E164
		res.step("%s is a number of %s; %s has no single international prefix (set international_prefix), so it is dialed in E.164 form: %s.", p.intlForm(), p.regionName(), s.home.region, res.Dial)
	default:
		res.Dial = s.home.intl + ccStr + nsn
		res.step("%s is a number of %s, dialed from %s with the international prefix %s: %s.", p.intlForm(), p.regionName(), s.home.region, s.home.intl, res.Dial)
	}
	return nil
}

// parseError words libphonenumber's parse errors for a person.
func (n *normalizer) parseError(number string, err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return fmt.Errorf("%s does not start with a country calling code", shown(n.text))
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return fmt.Errorf("%s is too short to be a phone number", shown(n.text))
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return fmt.Errorf("%s is too long to be a phone number", shown(n.text))
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return fmt.Errorf("%s contains no phone number", shown(n.text))
	}
	return fmt.Errorf("%s (read as %s) is not a phone number: %w", shown(n.text), number, err)
}

// intlForm is the number as people read it: "+49 30 1234567".
func intlForm(num *phonenumbers.PhoneNumber) string {
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
