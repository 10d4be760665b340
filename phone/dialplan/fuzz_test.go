package dialplan

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkResult asserts what must hold for every Normalize result, whatever
// the input: the phone gets only 0-9 * # +, a "+" only where a number or a
// service code's number begins, and a kind that the result agrees with.
func checkResult(t *testing.T, rules Rules, in string, res Result, err error) {
	t.Helper()
	if err != nil {
		if res.Dial != "" {
			t.Errorf("Normalize(%q) failed (%v) but returned the dial string %q", in, err, res.Dial)
		}
		if msg := err.Error(); msg == "" || !utf8.ValidString(msg) || unfilled(in, msg) {
			t.Errorf("Normalize(%q) error %q is not a readable sentence", in, msg)
		}
		return
	}
	for _, st := range res.Steps {
		if s := st.String(); unfilled(in, s) {
			t.Errorf("Normalize(%q) explains %q, with a value missing", in, s)
		}
	}
	if res.Dial == "" {
		t.Fatalf("Normalize(%q) returned no dial string and no error", in)
	}
	for i, r := range res.Dial {
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#':
		case r == '+':
			before := res.Dial[:i]
			if before != "" && before != rules.OutsideLine && !strings.HasSuffix(before, "*") && !strings.HasSuffix(before, "#") {
				t.Errorf("Normalize(%q).Dial = %q has a \"+\" inside a number", in, res.Dial)
			}
		default:
			t.Fatalf("Normalize(%q).Dial = %q contains %q", in, res.Dial, r)
		}
	}
	if res.E164 != "" {
		if len(res.E164) < 3 || res.E164[0] != '+' || res.E164[1] == '0' || !allDigits(res.E164[1:]) {
			t.Errorf("Normalize(%q).E164 = %q is not +CC...", in, res.E164)
		}
	}
	if res.Kind == Unknown {
		t.Errorf("Normalize(%q) has no kind", in)
	}
	if (res.Kind == Service) != strings.ContainsAny(res.Dial, "*#") {
		t.Errorf("Normalize(%q) = %q of kind %v", in, res.Dial, res.Kind)
	}
	if res.Ext != "" && !allDigits(res.Ext) {
		t.Errorf("Normalize(%q).Ext = %q", in, res.Ext)
	}
	if len(res.Steps) == 0 {
		t.Errorf("Normalize(%q) explains nothing", in)
	}
	if res.Kind == Internal && len(res.Dial) > rules.InternalMaxDigits {
		t.Errorf("Normalize(%q) = extension %q, longer than %d digits", in, res.Dial, rules.InternalMaxDigits)
	}
	// The E.164 form dials as the same number.
	if res.E164 != "" {
		again, err := rules.Normalize(res.E164)
		if err != nil || again.E164 != res.E164 {
			t.Errorf("Normalize(%q).E164 = %q, which normalizes to %q, %v", in, res.E164, again.E164, err)
		}
	}
	// The dial string, fed back without the outside line, dials the same.
	if idempotenceApplies(rules, res) {
		again, err := rules.Normalize(strings.TrimPrefix(res.Dial, rulesOutside(rules, res)))
		if err != nil || again.Dial != res.Dial {
			t.Errorf("Normalize(%q).Dial = %q, which dials %q, %v", in, res.Dial, again.Dial, err)
		}
	}
	if err := rules.CheckBlocked(res); err != nil {
		var be *BlockedError
		if !errors.As(err, &be) || be.Pattern == "" {
			t.Errorf("CheckBlocked(%q) = %v, want nil or a *BlockedError", in, err)
		}
	}
}

// unfilled reports whether a sentence still holds a placeholder, which
// means a form was given fewer values than it names; an input that holds
// "{{" itself may show it.
func unfilled(in, sentence string) bool {
	return strings.Contains(sentence, "{{.") && !strings.Contains(in, "{{")
}

// fuzzRuleNames is the sorted set of rule sets each fuzz input runs under.
func fuzzRuleNames() []string {
	names := make([]string, 0, len(ruleSets))
	for n := range ruleSets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func FuzzNormalize(f *testing.F) {
	for _, tc := range normCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"", "+", "++49", "00", "0", "(0)", "+49 (0)", "tel:", "tel:;", "tel:+;ext=", "callto://", "sip:@",
		"sip:200:secret@pbx", "tel:*21#", "**21*+4930123#", "+49 30 1234567 x", "ext 12", "1 2 3 4 5 6 7 8 9 0",
		"\u202e7654321 030", "%", "tel:%", "tel:%%2B", "1-800-ABC", "0800-FLOWERS-NOW", "(((", ")))030",
		"tel:1234;phone-context=+1-914-555", "#", "*", "*#06#", "+0", "+1", "0000000000000000000",
		"030123 --config", "0800+FLOWERS", "030-ABC-1234", "1-800-GO-FEDEX", "030\x001234", "Call+me+at++49+30+1234567",
	} {
		f.Add(s)
	}
	names := fuzzRuleNames()
	f.Fuzz(func(t *testing.T, in string) {
		for _, name := range names {
			rules := ruleSets[name]
			res, err := rules.Normalize(in)
			checkResult(t, rules, in, res, err)
		}
	})
}

// FuzzRules varies the settings as an admin might write them, valid or not:
// Normalize and CheckBlocked must refuse bad rules with an error, never panic
// or dial something odd.
func FuzzRules(f *testing.F) {
	f.Add("DE", "30", "0", "", "", "0900*", 4, "0900 123456")
	f.Add("US", "201", "9", "011", "national", "1900*", 4, "1-800-FLOWERS")
	f.Add("GB", "20", "9", "", "e164", "09*", 3, "+44 (0)20 7946 0958")
	f.Add("", "", "", "", "", "+*", 0, "+49 30 1234567")
	f.Add("XX", "030", "0-", "+", "intl", "09x0*", -1, "204")
	f.Add("it", "", "", "", "", "899*", 8, "06 1234 5678")
	f.Add("RU", "495", "8", "", "", "*", 2, "8 495 123-45-67")
	f.Fuzz(func(t *testing.T, country, area, outside, intl, format, pattern string, maxDigits int, in string) {
		rules := Rules{Country: country, AreaCode: area, OutsideLine: outside, InternalMaxDigits: maxDigits,
			InternationalPrefix: intl, Format: format, Blocked: []string{pattern}}
		errs := rules.Validate()
		res, err := rules.Normalize(in)
		if err == nil && len(rules.validateFields()) > 0 {
			t.Fatalf("rules %+v are invalid (%v) but Normalize(%q) dialed %q", rules, errs, in, res.Dial)
		}
		if len(errs) > 0 {
			return
		}
		checkResult(t, rules, in, res, err)
	})
}
