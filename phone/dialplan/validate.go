package dialplan

import (
	"errors"
	"strings"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// MaxInternalDigits is the largest internal_max_digits allowed: longer
// "extensions" would swallow real subscriber numbers (German local numbers
// have from 3 to 8 digits, and 9 is unheard of for a PBX).
const MaxInternalDigits = 8

// FieldError is one problem in the dialing rules. Key is the config key
// ("dialing.country") so that the config check can point at the line.
type FieldError struct {
	// Key is the dotted config key, e.g. "dialing.blocked".
	Key string
	// Msg says what is wrong and what is allowed, beginning with the value.
	Msg string
	// Says is Msg with its translation key, for i18n.Error.
	Says *sentence.Sentence
}

// Error reads like the config check's own problems: "dialing.area_code: ...".
func (e *FieldError) Error() string { return e.Key + ": " + e.Msg }

// Sentence is the problem with its translation key: the key, then Says
// (Msg as it is for a FieldError made elsewhere, without Says).
func (e *FieldError) Sentence() *sentence.Sentence {
	if e.Says == nil {
		return sayField.err(errors.New(e.Msg), e.Key)
	}
	return sayField.err(e.Says, e.Key)
}

// fieldError is the problem says with the config key.
func fieldError(key string, says *sentence.Sentence) *FieldError {
	return &FieldError{Key: key, Msg: says.Error(), Says: says}
}

// Validate returns every problem with the rules (nil when there is none):
// an unknown country, an area code with trunk prefix, a bad outside line or
// international prefix, an unknown format, a malformed blocked pattern.
// The config check calls it so that an admin learns of a mistake when the
// file is loaded, not when a call fails.
func (r Rules) Validate() []error {
	errs := r.validateFields()
	if len(errs) > 0 {
		// Patterns are translated with the country; with broken settings
		// their messages would mislead.
		return errs
	}
	s, _ := r.settings()
	for _, raw := range r.Blocked {
		if _, err := compilePattern(raw, s); err != nil {
			errs = append(errs, fieldError("dialing.blocked", sayThePattern.err(nil, err)))
		}
	}
	return errs
}

// validateFields checks everything but the blocked patterns.
func (r Rules) validateFields() []error {
	_, _, errs := r.checkFields()
	return errs
}

// checkFields checks everything but the blocked patterns, and returns what
// it looked up about the home country on the way, so that settings need not
// look it up again on every dial; hasHome is false without a (known) country.
func (r Rules) checkFields() (h home, hasHome bool, errs []error) {
	add := func(key string, f *form, vals ...any) {
		errs = append(errs, fieldError(key, f.err(nil, vals...)))
	}
	region := strings.ToUpper(r.Country)
	if r.Country != "" {
		h, hasHome = lookupHome(region, r.InternationalPrefix)
		if !hasHome {
			add("dialing.country", sayFieldCountry, quote(r.Country))
		}
	}
	switch {
	case r.AreaCode == "":
	case !allDigits(r.AreaCode):
		add("dialing.area_code", sayFieldAreaDigits, quote(r.AreaCode))
	case r.Country == "":
		add("dialing.area_code", sayFieldAreaCountry, quote(r.AreaCode))
	case h.np != "" && strings.HasPrefix(r.AreaCode, h.np):
		add("dialing.area_code", sayFieldAreaTrunk, quote(r.AreaCode), h.np, quote(strings.TrimPrefix(r.AreaCode, h.np)))
	case len(r.AreaCode) > 6:
		add("dialing.area_code", sayFieldAreaLong, quote(r.AreaCode))
	}
	if r.OutsideLine != "" && (!allDigits(r.OutsideLine) || len(r.OutsideLine) > 4) {
		add("dialing.outside_line", sayFieldOutside, quote(r.OutsideLine))
	}
	if r.InternalMaxDigits < 0 || r.InternalMaxDigits > MaxInternalDigits {
		add("dialing.internal_max_digits", sayFieldInternal, r.InternalMaxDigits, MaxInternalDigits)
	}
	if r.InternationalPrefix != "" && (!allDigits(r.InternationalPrefix) || len(r.InternationalPrefix) > 5) {
		add("dialing.international_prefix", sayFieldIntl, quote(r.InternationalPrefix))
	}
	switch strings.ToLower(r.Format) {
	case "", "national", "e164":
	default:
		add("dialing.format", sayFieldFormat, quote(r.Format))
	}
	return h, hasHome, errs
}
