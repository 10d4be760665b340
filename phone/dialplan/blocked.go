package dialplan

import (
	"slices"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/nyaruka/phonenumbers"
)

// defaultRule is one entry of a country's default blocked list.
type defaultRule struct {
	pattern string
	reason  *form // what the range is, for the refusal message
}

// defaultBlocked are the premium-rate and revenue-share ranges that toll
// fraud through click-to-dial aims at (RFC 3966, section 11: a tel: link must
// not place a call without the user's consent), per country, written as
// people there write them. Each list is deliberately small: the ranges the
// national regulator reserves for charged services, cross-checked against
// libphonenumber's premium-rate and shared-cost patterns
// (TestDefaultBlockedCoversLibphonenumberPremium). International
// revenue-share ranges (+881, +882, +883, small island networks) are blocked
// only when an admin lists them, e.g. "+881*".
var defaultBlocked = map[string][]defaultRule{
	// Bundesnetzagentur, Nummernplan: 0900 Premium-Dienste, 0137/0138
	// Massenverkehrsdienste (televoting), 0180 Service-Dienste (shared
	// cost), 118xy Auskunftsdienste (directory enquiries).
	"DE": {
		{"0900*", sayPremium},
		{"0137*", sayMassCalling},
		{"0138*", sayMassCalling},
		{"0180*", saySharedCost},
		{"118*", sayDirectory},
	},
	// RTR, Kommunikationsparameter-, Entgelt- und Mehrwertdiensteverordnung
	// (KEM-V): 0900, 0901, 0930, 0931, 0939 Mehrwertdienste (premium rate,
	// 093x adult), 118xyz Auskunftsdienste. The tariff-capped 0810/0820
	// service ranges stay dialable.
	"AT": {
		{"0900*", sayPremium},
		{"0901*", sayPremium},
		{"0930*", sayPremium},
		{"0931*", sayPremium},
		{"0939*", sayPremium},
		{"118*", sayDirectory},
	},
	// BAKOM/OFCOM, Nummerierungsplan E.164: 0900 business and marketing,
	// 0901 entertainment, 0906 adult entertainment (all premium rate),
	// 18xy directory enquiries.
	"CH": {
		{"0900*", sayPremium},
		{"0901*", sayPremium},
		{"0906*", sayPremium},
		{"18*", sayDirectory},
	},
	// Ofcom, National Telephone Numbering Plan: 09 premium rate services,
	// 0871-0873 service numbers with premium-level revenue share, 118
	// directory enquiries.
	"GB": {
		{"09*", sayPremium},
		{"0871*", sayRevenueSharing},
		{"0872*", sayRevenueSharing},
		{"0873*", sayRevenueSharing},
		{"118*", sayDirectory},
	},
	// NANPA: the 900 service access code (premium services). Charges on
	// 976 exchanges inside ordinary area codes cannot be told by a prefix.
	"US": {
		{"1900*", sayPremium},
	},
	// ARCEP, plan de numérotation: 081 and 082 services à valeur ajoutée
	// with surcharge, 089 premium services, 118 XYZ directory enquiries.
	"FR": {
		{"081*", saySurcharged},
		{"082*", saySurcharged},
		{"089*", sayPremium},
		{"118*", sayDirectory},
	},
	// ACM / Nummerplan voor telefonie- en ISDN-diensten: 0900 paid
	// information, 0906 adult, 0909 entertainment (all premium rate),
	// 18xy directory enquiries.
	"NL": {
		{"0900*", sayPremium},
		{"0906*", sayPremium},
		{"0909*", sayPremium},
		{"18*", sayDirectory},
	},
}

// DefaultBlocked returns the default blocked patterns for country (ISO 3166
// alpha-2), used when the config sets no list: the premium-rate and
// revenue-share ranges of DE, AT, CH, GB, US, FR and NL. Other countries get
// none (nil): inventing ranges would block real numbers.
func DefaultBlocked(country string) []string {
	return slices.Clone(defaultPatterns()[strings.ToUpper(country)])
}

// defaultPatterns are the patterns of defaultBlocked per country, listed
// once for CheckBlocked, which reads them on every dial. Shared: never
// modify one.
var defaultPatterns = sync.OnceValue(func() map[string][]string {
	out := make(map[string][]string, len(defaultBlocked))
	for country, rules := range defaultBlocked {
		list := make([]string, len(rules))
		for i, d := range rules {
			list[i] = d.pattern
		}
		out[country] = list
	}
	return out
})

// BlockedError is the refusal of a number on the blocked list. It names the
// rule, so that the person or admin sees why and where to change it.
type BlockedError struct {
	// Number is the refused number, in international form when known.
	Number string
	// Pattern is the rule as written in the config (or the default list).
	Pattern string
	// Reason says what the range is ("premium-rate number") for default
	// rules, else "".
	Reason string
	// reason is Reason with its translation key.
	reason *form
}

// Error names the number, the rule and, for default rules, what the range
// is: `"+49 900 1 234567" is blocked by the rule "0900*" (premium-rate number)`.
func (e *BlockedError) Error() string { return e.Sentence().Error() }

// Sentence is the refusal with its translation key, for i18n.Error.
func (e *BlockedError) Sentence() *sentence.Sentence {
	switch {
	case e.reason != nil:
		return sayBlockedDefault.err(nil, quote(e.Number), quote(e.Pattern), e.reason.err(nil))
	case e.Reason != "":
		return sayBlockedDefault.err(nil, quote(e.Number), quote(e.Pattern), e.Reason)
	}
	return sayBlockedConfig.err(nil, quote(e.Number), quote(e.Pattern))
}

// scope says which numbers a pattern applies to, from the form it is
// written in, so that it matches however the number itself was written.
type scope int

const (
	// anyNumber: "+49900*", matched with the E.164 form.
	anyNumber scope = iota
	// abroad: written with the international prefix ("00881*"), matched
	// with the E.164 form of numbers dialed abroad only ("00*" must not
	// block national calls although they too have a "+" form).
	abroad
	// localForm: written without country or trunk prefix ("118*"),
	// matched with local and short numbers as written.
	localForm
	// everything: "*" alone.
	everything
)

// pattern is one blocked rule, translated for matching.
type pattern struct {
	raw    string // as configured
	plain  string // without separators, for literal matching of service codes
	match  string // the form compared: "+49900" for "0900*" in DE
	prefix bool   // ends with the "*" wildcard
	scope  scope
	// alsoHome: a pattern without trunk prefix in a country without one
	// (IT) or in the NANP ("900*") also matches home numbers' E.164 form.
	alsoHome string
}

// compilePattern checks a pattern and translates it using the home country:
// "0900*" in DE is "+49900*", "00881*" is "+881*" for numbers abroad.
func compilePattern(raw string, s settings) (pattern, error) {
	p := pattern{raw: raw}
	plain := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, raw)
	if plain == "" {
		return p, sayPatternEmpty.err(nil, quote(raw))
	}
	for i, r := range plain {
		if !isDigit(r) && !isStarHash(r) && !(r == '+' && i == 0) {
			return p, sayPatternChars.err(nil, quote(raw))
		}
	}
	p.plain = plain
	body := plain
	if strings.HasSuffix(body, "*") {
		p.prefix = true
		body = body[:len(body)-1]
	}
	switch {
	case body == "" && p.prefix:
		p.scope = everything
	case body == "+":
		if !p.prefix {
			return p, sayPatternNoDigit.err(nil, quote(raw))
		}
		p.scope, p.match = anyNumber, "+"
	case strings.HasPrefix(body, "+"):
		p.scope, p.match = anyNumber, body
	case !s.hasHome:
		p.scope, p.match = localForm, body
	case s.home.intl != "" && strings.HasPrefix(body, s.home.intl):
		p.scope, p.match = abroad, "+"+body[len(s.home.intl):]
	case s.home.np != "" && strings.HasPrefix(body, s.home.np):
		p.scope, p.match = anyNumber, "+"+s.home.ccStr+body[len(s.home.np):]
	default:
		p.scope, p.match = localForm, body
		if s.home.np == "" || s.home.nanp {
			p.alsoHome = "+" + s.home.ccStr + body
		}
	}
	return p, nil
}

// matchesString compares one target with want, a form of the pattern.
func (p pattern) matchesString(want, target string) bool {
	if target == "" {
		return false
	}
	if p.prefix {
		return strings.HasPrefix(target, want)
	}
	return target == want
}

// matches reports whether res (not a service code) is covered by p.
func (p pattern) matches(res Result) bool {
	switch p.scope {
	case everything:
		return true
	case anyNumber:
		return p.matchesString(p.match, res.E164)
	case abroad:
		return res.Kind == International && p.matchesString(p.match, res.E164)
	}
	if p.alsoHome != "" && res.Kind != International && p.matchesString(p.alsoHome, res.E164) {
		return true
	}
	switch res.Kind {
	case Local, ShortCode, Emergency:
		return p.matchesString(p.match, res.Digits)
	}
	return false
}

// blockedList is the configured list, or the country's defaults when unset.
// The result is shared: never modify it.
func (r Rules) blockedList() []string {
	if r.Blocked == nil {
		return defaultPatterns()[strings.ToUpper(r.Country)]
	}
	return r.Blocked
}

// CheckBlocked returns nil, or a *BlockedError naming the first pattern of
// the blocked list that res matches. The caller decides when to ask: the
// design applies the list to every dial the person did not type themselves
// (links, web pages, the listener), not to the dial pad.
//
// Patterns match the number however it was written (+49900..., 0049900...,
// 0900...): a pattern with "+", the international prefix or the trunk
// prefix is compared with the E.164 form; one without ("118*") with local
// and short numbers as written. Internal extensions are never blocked: they
// cost nothing. A service code is checked as written and for each number
// inside it, so "*21*0900123456#" (forward to a premium number) is caught.
// An invalid pattern refuses every external number, because a blocked list
// that silently stops working is worse than one that is too strict.
func (r Rules) CheckBlocked(res Result) error {
	if res.Kind == Internal {
		return nil
	}
	s, err := r.settings()
	if err != nil {
		return sayUnchecked.err(err)
	}
	list := r.blockedList()
	// Room for the default lists and most configured ones without a heap
	// allocation on every dial.
	var room [8]pattern
	pats := room[:0]
	for _, raw := range list {
		p, err := compilePattern(raw, s)
		if err != nil {
			return sayUnchecked.err(sayThePattern.err(nil, err))
		}
		pats = append(pats, p)
	}
	if res.Kind != Service {
		for _, p := range pats {
			if p.matches(res) {
				return r.blocked(res, p)
			}
		}
		return nil
	}
	for _, p := range pats {
		if p.scope == everything || p.matchesString(strings.TrimSuffix(p.plain, "*"), res.Dial) {
			return r.blocked(res, p)
		}
	}
	for _, inner := range innerNumbers(res.Dial, s.maxInt) {
		sub, err := r.Normalize(inner)
		if err != nil || sub.Kind == Service {
			continue
		}
		for _, p := range pats {
			if p.matches(sub) {
				be := r.blocked(sub, p)
				be.Number = res.Dial
				return be
			}
		}
	}
	return nil
}

// innerNumbers returns the numbers inside a service code ("#31#0301234" has
// 0301234): the runs of digits, with a leading "+", longer than an
// extension.
func innerNumbers(dial string, maxInt int) []string {
	var out []string
	for _, f := range strings.FieldsFunc(dial, isStarHash) {
		if len(strings.TrimPrefix(f, "+")) > maxInt {
			out = append(out, f)
		}
	}
	return out
}

// blocked builds the refusal for res and p.
func (r Rules) blocked(res Result, p pattern) *BlockedError {
	be := &BlockedError{Number: res.Dial, Pattern: p.raw}
	if res.E164 != "" {
		if num, err := phonenumbers.Parse(res.E164, "ZZ"); err == nil {
			be.Number = intlForm(num)
		}
	} else if res.Digits != "" {
		be.Number = res.Digits
	}
	for _, d := range defaultBlocked[strings.ToUpper(r.Country)] {
		if d.pattern == p.raw {
			be.Reason, be.reason = d.reason.text, d.reason
		}
	}
	return be
}
