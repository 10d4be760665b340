package dialplan

import (
	"testing"
)

var keyBerlin = Rules{Country: "DE", AreaCode: "30", InternalMaxDigits: 4}

func TestEverySpellingOfANumberHasOneKey(t *testing.T) {
	key := Keyer(keyBerlin)
	for _, tc := range []struct{ in, want string }{
		{"+49 30 1234567", "+49301234567"},
		{"+49 (0)30 1234567", "+49301234567"},
		{"030 1234567", "+49301234567"},
		{"030/123 45-67", "+49301234567"},
		{"1234567", "+49301234567"},
		{"tel:+49-30-1234567", "+49301234567"},
		{"0049 30 1234567", "+49301234567"},
		{"204", "ext:204"},
		{"+1 (201) 555-0123", "+12015550123"},
		{"no number", ""},
	} {
		if got := key(tc.in); got != tc.want {
			t.Errorf("key(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzFastKeyAgreesWithDialingRules holds the fast reading of numbers to
// what the dialing rules make of the same text, in countries with and
// without a trunk prefix.
func FuzzFastKeyAgreesWithDialingRules(f *testing.F) {
	for _, s := range []string{"+49 30 1234567", "+7 8 495 1234567", "+54 9 11 1234 5678", "+1 1 201 555 0123", "+39 06 1234 5678", "+44 20 7946 0000", "+36 06 1 234 5678", "tel:+49-30-1234567", "+49 30/12.34", "030 1234567", "0171 9876543", "0800 1234567", "01234", "020 7946 0000", "1 201 555 0123"} {
		f.Add(s)
	}
	countries := []Rules{{}, keyBerlin, {Country: "US", AreaCode: "201"}, {Country: "GB"}, {Country: "FR"}, {Country: "IT"}, {Country: "AT", InternalMaxDigits: 3}}
	f.Fuzz(func(t *testing.T, text string) {
		for _, rules := range countries {
			fast, ok := fastKey(text, nationalFast(rules.Country))
			if !ok {
				continue
			}
			r, err := rules.Read(text)
			if err == nil && r.E164 != "" && r.E164 != fast {
				t.Errorf("fastKey(%q) in %q = %q, the dialing rules read %q", text, rules.Country, fast, r.E164)
			}
			if err == nil && r.E164 == "" {
				t.Errorf("fastKey(%q) in %q = %q, the dialing rules read a %s without E.164 form", text, rules.Country, fast, r.Kind)
			}
		}
	})
}

// TestAPhoneReportsOnePersonUnderOneKey holds every spelling a phone
// reports of one caller, or a person dials back by hand, to one key: with
// and without the outside line of a PBX, international with "+" or "00",
// national with the trunk prefix, or local to the area code; an internal
// extension keys only to itself.
func TestAPhoneReportsOnePersonUnderOneKey(t *testing.T) {
	pbx := keyBerlin
	pbx.OutsideLine = "0"
	for _, tc := range []struct {
		rules Rules
		in    []string
		want  string
	}{
		{keyBerlin, []string{"+49301234567", "+49 30 1234567", "030 1234567", "0301234567", "0049301234567", "1234567", "sip:+49301234567@pbx.example"}, "+49301234567"},
		{pbx, []string{"+49301234567", "0301234567", "00301234567", "0 030 1234567", "tel:00301234567"}, "+49301234567"},
		{pbx, []string{"+12015550123", "00012015550123", "0012015550123"}, "+12015550123"},
		{pbx, []string{"00204"}, ""},
		{pbx, []string{"204"}, "ext:204"},
		{keyBerlin, []string{"+12015550123", "0012015550123"}, "+12015550123"},
	} {
		key := Keyer(tc.rules)
		for _, in := range tc.in {
			if got := key(in); got != tc.want {
				t.Errorf("key(%q) with outside line %q = %q, want %q", in, tc.rules.OutsideLine, got, tc.want)
			}
		}
	}
}
