package dialplan

import (
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// TestParsedNumberAgreesWithLibphonenumber holds parsedNumber's answers,
// some of which take a shortcut past libphonenumber's own function, to the
// answers of that function, over numbers of every shape Normalize reads:
// regions that share a calling code (+1, +44, +7, +262), non-geographic
// codes, unassigned ranges, leading zeros and short codes.
func TestParsedNumberAgreesWithLibphonenumber(t *testing.T) {
	type in struct{ number, region string }
	ins := []in{
		{"+49301234567", "ZZ"}, {"0301234567", "DE"}, {"1234567", "DE"}, {"11833", "DE"}, {"112", "DE"},
		{"+12015550123", "ZZ"}, {"2015550123", "US"}, {"18003569377", "US"}, {"+14165550123", "ZZ"},
		{"+18095550123", "ZZ"}, {"+442079460958", "ZZ"}, {"+441624123456", "ZZ"}, {"+447700900123", "ZZ"},
		{"+74951234567", "ZZ"}, {"+77011234567", "ZZ"}, {"+262262123456", "ZZ"}, {"+262269601234", "ZZ"},
		{"+80012345678", "ZZ"}, {"+881612345678", "ZZ"}, {"+390612345678", "ZZ"}, {"0612345678", "IT"},
		{"+39312345678", "ZZ"}, {"+431234567890", "ZZ"}, {"16000", "AT"}, {"+43116000", "ZZ"},
		{"+4990012", "ZZ"}, {"+491", "ZZ"}, {"+99912345", "ZZ"}, {"001234567", "DE"}, {"000000", "FR"},
		{"140200", "NL"}, {"+31140200", "ZZ"}, {"0800123456", "AT"}, {"0041446681800", "CH"},
	}
	for _, tc := range normCases {
		if tc.e164 != "" {
			ins = append(ins, in{tc.e164, "ZZ"})
		}
	}
	for _, tc := range ins {
		num, err := phonenumbers.Parse(tc.number, tc.region)
		var ps parses
		p, perr := ps.parse(tc.number, tc.region)
		if (err == nil) != (perr == nil) || err != nil && err.Error() != perr.Error() {
			t.Errorf("parse(%q, %s) error = %v, want %v", tc.number, tc.region, perr, err)
			continue
		}
		if err != nil {
			continue
		}
		checks := []struct{ what, got, want string }{
			{"national significant number", p.nationalSignificant(), phonenumbers.GetNationalSignificantNumber(num)},
			{"region", p.regionCode(), phonenumbers.GetRegionCodeForNumber(num)},
			{"E.164 form", p.e164Form(), phonenumbers.Format(num, phonenumbers.E164)},
			{"international form", p.intlForm(), phonenumbers.Format(num, phonenumbers.INTERNATIONAL)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s of %q in %s = %q, want %q", c.what, tc.number, tc.region, c.got, c.want)
			}
		}
		if got, want := p.isValid(), phonenumbers.IsValidNumber(num); got != want {
			t.Errorf("isValid(%q in %s) = %v, want %v", tc.number, tc.region, got, want)
		}
	}
}

// TestParsesRemembers checks that a number is read once per region, and
// that another region is another reading.
func TestParsesRemembers(t *testing.T) {
	var ps parses
	a, err := ps.parse("0301234567", "DE")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := ps.parse("0301234567", "DE"); again != a {
		t.Errorf("the same number and region were read twice")
	}
	at, err := ps.parse("0301234567", "AT")
	if err != nil {
		t.Fatal(err)
	}
	if at == a || at.num.GetCountryCode() != 43 {
		t.Errorf("0301234567 in AT was answered with the reading for DE (+%d)", at.num.GetCountryCode())
	}
	_, err1 := ps.parse("x", "DE")
	_, err2 := ps.parse("x", "DE")
	if err1 == nil || err1 != err2 {
		t.Errorf("a failed reading was not remembered: %v, %v", err1, err2)
	}
	if len(ps) != 3 {
		t.Errorf("%d readings remembered, want 3", len(ps))
	}
}

// TestExtensionInitials proves findExtension's shortcut safe: every marker
// of extensionRe begins with one of extensionInitials, and no character
// outside them matches one of them case-insensitively (as the Kelvin sign
// matches "k"). A marker added to the expression with a new initial fails
// here until the initials list it.
func TestExtensionInitials(t *testing.T) {
	re, err := syntax.Parse(extensionRe.String(), syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	var markers *syntax.Regexp
	var find func(*syntax.Regexp)
	find = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture && r.Cap == 1 {
			markers = r.Sub[0]
		}
		for _, s := range r.Sub {
			find(s)
		}
	}
	find(re)
	if markers == nil {
		t.Fatal("extensionRe has no first group (the markers)")
	}
	initials := firstRunes(t, markers)
	if len(initials) == 0 {
		t.Fatal("found no initials of the markers")
	}
	for _, r := range initials {
		for f := unicode.SimpleFold(r); ; f = unicode.SimpleFold(f) {
			if !strings.ContainsRune(extensionInitials, f) {
				t.Errorf("a marker can begin with %q, which extensionInitials lacks", f)
			}
			if f == r {
				break
			}
		}
	}
}

// firstRunes returns the characters a match of r can begin with, for the
// kinds of expression that extensionRe's markers are made of.
func firstRunes(t *testing.T, r *syntax.Regexp) []rune {
	t.Helper()
	switch r.Op {
	case syntax.OpLiteral:
		return []rune{r.Rune[0]}
	case syntax.OpCharClass:
		var out []rune
		for i := 0; i+1 < len(r.Rune); i += 2 {
			if r.Rune[i+1]-r.Rune[i] > 64 {
				t.Fatalf("marker class %v is too wide to list", r)
			}
			for c := r.Rune[i]; c <= r.Rune[i+1]; c++ {
				out = append(out, c)
			}
		}
		return out
	case syntax.OpCapture:
		return firstRunes(t, r.Sub[0])
	case syntax.OpConcat:
		return firstRunes(t, r.Sub[0])
	case syntax.OpAlternate:
		var out []rune
		for _, s := range r.Sub {
			out = append(out, firstRunes(t, s)...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	t.Fatalf("cannot tell how %v (op %v) begins", r, r.Op)
	return nil
}

// TestFindExtension checks the shortcut against the expression itself, for
// every marker and for text without any letter.
func TestFindExtension(t *testing.T) {
	for _, in := range []string{
		"030 1234567", "+49 30 1234567", "030 1234567 ext 12", "030 1234567 Ext. 12", "030 1234567 extension 12",
		"+1 201 555 0123 x45", "030 1234567 Durchwahl 12", "030 1234567 DW 12", "030 1234567 App. 12",
		"030 1234567 Apparat 12", "030 1234567 Nebenstelle 12", "030 1234567 Nst. 12", "01 23 45 67 89 poste 12",
		"020 123 4567 toestel 12", "020 123 4567 tst 12", "Fax 12", "ext 12", "030 1234567 EXT:12 (Zentrale)",
	} {
		got, want := findExtension(in), extensionRe.FindStringSubmatchIndex(in)
		if !slices.Equal(got, want) {
			t.Errorf("findExtension(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzFindExtension holds the shortcut to the expression for any text.
func FuzzFindExtension(f *testing.F) {
	for _, tc := range normCases {
		f.Add(tc.in)
	}
	f.Add("030 1234567 \u212Axt 12") // Kelvin sign: no marker begins with k
	f.Add("030 1234567 \u017Ft 12")  // long s
	f.Fuzz(func(t *testing.T, in string) {
		got, want := findExtension(in), extensionRe.FindStringSubmatchIndex(in)
		if !slices.Equal(got, want) {
			t.Errorf("findExtension(%q) = %v, want %v", in, got, want)
		}
	})
}
