package dialplan

// The classification of one number: is it an internal extension, a local,
// national or international number, a short code or an emergency number,
// and how is it dialed from here. Normalize (dialplan.go) cleans the input
// and hands the digits to a normalizer, which asks libphonenumber.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

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
		return sayNoNumber.err(nil, shown(n.text))
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
		res.step(stepNoCountry, digits)
		return nil
	}
	h := s.home
	if hint != "" && hint != h.region {
		res.step(stepHint, hint, digits)
		return n.parsed(digits, hint)
	}
	if phonenumbers.IsEmergencyNumber(digits, h.region) {
		res.Kind = Emergency
		res.Dial = digits
		res.step(stepEmergency, digits, h.region)
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
		res.step(stepIntlPrefix, digits, h.intl, h.region)
		return n.global(digits[len(h.intl):])
	}
	if h.intl != "00" && strings.HasPrefix(digits, "00") && !n.validIn(digits, h.region) {
		// 00 is the international prefix that ITU-T E.164 recommends and
		// most of the world uses; a number copied from a European letterhead
		// into a US office means +.
		res.step(stepZeroZero, digits, h.region)
		return n.global(digits[2:])
	}
	if n.shortCode(digits) {
		return nil
	}
	switch {
	case h.np != "" && strings.HasPrefix(digits, h.np):
		res.step(stepTrunk, digits, h.np, h.region)
		return n.parsed(digits, h.region)
	case h.np == "":
		res.step(stepNoTrunkThere, h.region)
		return n.parsed(digits, h.region)
	case h.nanp && len(digits) == 10:
		res.step(stepNANPTen, digits)
		return n.parsed(digits, h.region)
	case n.nationalWithoutPrefix(digits):
		res.step(stepWithoutTrunk, digits, h.region)
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
	n.res.step(stepInternal, digits, strconv.Itoa(n.s.maxInt))
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
	n.res.step(stepShort, digits, region)
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
		res.step(stepLocalNoArea, digits)
		return nil
	}
	full := "+" + s.home.ccStr + s.area + digits
	p, err := n.parses.parse(full, "ZZ")
	if err == nil {
		// The full number must stand for this subscriber when written
		// with "+": Vienna's 16000 is not +43 116000, the 116000 helpline.
		if _, ok := n.nationalForm(p); !ok {
			err = sayNotOfCountry.err(nil)
		} else if !p.isValid() && n.isShortCode(p.nationalSignificant(), s.home.region) {
			err = sayAShortCode.err(nil)
		}
	}
	if err != nil {
		st := newStep(stepLocalUnknown, digits, s.area, full)
		st.why = err
		res.addStep(st)
		return nil
	}
	res.E164 = p.e164Form()
	if s.e164 {
		res.Dial = res.E164
		res.step(stepLocalE164, digits, s.area, p.intlForm(), res.Dial)
		return nil
	}
	res.step(stepLocal, digits, s.area, p.intlForm())
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
		return sayNoCallingCode.err(nil, shown(n.text))
	case phonenumbers.TOO_SHORT:
		return sayTooShortFor.err(nil, shown(n.text), regionArg(p.country()))
	case phonenumbers.TOO_LONG:
		return sayTooLongFor.err(nil, shown(n.text), regionArg(p.country()))
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
			return sayInvalidIn.err(nil, shown(n.text), regionArg(p.country()))
		case reason == phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
			return sayLocalOnly.err(nil, shown(n.text), regionArg(p.country()))
		case reason != phonenumbers.IS_POSSIBLE:
			return sayWrongLength.err(nil, shown(n.text), regionArg(p.country()))
		}
	}
	ccStr := strconv.Itoa(cc)
	if strings.HasPrefix(number, "+") {
		rest := strings.TrimPrefix(number[1:], ccStr)
		if np := phonenumbers.GetNddPrefixForRegion(phonenumbers.GetRegionCodeForCountryCode(cc), true); np != "" && rest != nsn && rest == np+nsn {
			res.step(stepDroppedTrunk, np, ccStr)
		}
	}

	if s.hasHome && cc == s.home.cc {
		res.Kind = National
		res.E164 = p.e164Form()
		if !valid {
			res.step(stepUnassigned, p.intlForm())
		}
		nat, ok := n.nationalForm(p)
		if !ok {
			return sayInvalidIn.err(nil, shown(n.text), regionArg(p.country()))
		}
		if s.e164 {
			res.Dial = res.E164
			res.step(stepHomeE164, p.intlForm(), ccStr, res.Dial)
			return nil
		}
		res.Dial = nat
		res.step(stepHomeNational, p.intlForm(), ccStr, res.Dial)
		return nil
	}

	res.Kind = International
	res.E164 = p.e164Form()
	if !valid {
		res.step(stepUnassigned, p.intlForm())
	}
	switch {
	case s.e164:
		res.Dial = res.E164
		res.step(stepAbroadE164, p.intlForm(), p.country(), res.Dial)
	case !s.hasHome:
		res.Dial = res.E164
		res.step(stepAbroadNoCountry, p.intlForm(), p.country(), res.Dial)
	case s.home.intl == "":
		res.Dial = res.E164
		res.step(stepAbroadNoIntl, p.intlForm(), p.country(), s.home.region, res.Dial)
	default:
		res.Dial = s.home.intl + ccStr + nsn
		res.step(stepAbroad, p.intlForm(), p.country(), s.home.region, s.home.intl, res.Dial)
	}
	return nil
}

// parseError words libphonenumber's parse errors for a person.
func (n *normalizer) parseError(number string, err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return sayNoCallingCode.err(nil, shown(n.text))
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return sayTooShort.err(nil, shown(n.text))
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return sayTooLong.err(nil, shown(n.text))
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return sayNoNumber.err(nil, shown(n.text))
	}
	return sayUnreadable.err(err, shown(n.text), number)
}

// intlForm is the number as people read it: "+49 30 1234567".
func intlForm(num *phonenumbers.PhoneNumber) string {
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
