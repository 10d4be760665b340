package dialplan

import (
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/golden"
)

// TestTextCleaners holds fold and percentDecode, which clean a number's
// text before it is read, to their tables: what a person pastes comes in
// every script and spacing, and what a link carries comes percent-encoded.
func TestTextCleaners(t *testing.T) {
	for _, fc := range []struct {
		name  string
		f     func(string) string
		cases []struct{ in, want string }
	}{
		{"fold", fold, []struct{ in, want string }{
			{"030 1234567", "030 1234567"},
			{"030\u00a0123\u202f45\u200967", "030 123 45 67"}, // no-break, narrow no-break, thin space
			{"030\u2010123\u2011456\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "030-123-456-------"},
			{"\uff0b\uff14\uff19\uff08\uff10\uff09\uff13\uff10", "+49(0)30"},     // fullwidth
			{"\u200e\u202a+49\u200b30\u00ad1234\u202c\u200f\ufeff", "+49301234"}, // bidi, zero-width, soft hyphen, BOM
			{"٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789"},                   // Arabic-Indic, Persian
			{"०१२३४५६७८९", "0123456789"},                                         // Devanagari
			{"𝟎𝟏𝟐 𝟘𝟙𝟚 𝟢𝟣𝟤 𝟬𝟭𝟮 𝟶𝟷𝟸𝟿", "012 012 012 012 0129"},                     // five adjacent runs of math digits
			{"030·1234\u20271", "030.1234.1"},
			{"Tel.:\t030\n1234567\r", "Tel.: 030 1234567 "},
			{"Téléphone", "Téléphone"},
			{"\xff030", "\ufffd030"},
		}},
		{"percentDecode", percentDecode, []struct{ in, want string }{
			{"%2B4930123", "+4930123"},
			{"%2b49%2030", "+49 30"},
			{"100%", "100%"},
			{"%zz1", "%zz1"},
			{"%2", "%2"},
			{"%C2%A0", "\u00a0"},
		}},
	} {
		for _, tc := range fc.cases {
			if got := fc.f(tc.in); got != tc.want {
				t.Errorf("%s(%q) = %q, want %q", fc.name, tc.in, got, tc.want)
			}
		}
	}
}

// TestStepsGolden pins the explanations `dialbridge normalize` prints: a
// person reads them, so a change in wording is a change to review.
func TestStepsGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range []struct{ rules, in string }{
		{"de-pbx", "+49 (0)30 123 45-67"},
		{"de-pbx", "Telefon: +49 30 1234567, Fax: +49 30 1234568"},
		{"de-pbx", "+49 30 1234567 ext 12"},
		{"de-pbx", "tel:1234567;phone-context=+49-30"},
		{"de-pbx", "tel:7042;phone-context=example.com"},
		{"de-pbx", "sips:+4930123@host;user=phone"},
		{"de-pbx", "0800 123 456 (AT)"},
		{"de-pbx", "1234567"},
		{"de-pbx", "11833"},
		{"de-pbx", "112"},
		{"de-pbx", "#31#0301234"},
		{"de-pbx", "0900 123456"},
		{"de-pbx", "tel:+49-900-1234567"},
		{"de-pbx", "030123 --config"},
		{"de-pbx", "0800 FLOWERS"},
		{"de-pbx", "030-ABC-1234"},
		{"de-e164", "1234567"},
		{"us-pbx", "1-800-FLOWERS"},
		{"us-pbx", "0049 30 1234567"},
		{"nl-pbx", "14020"},
		{"none", "0301234567"},
		{"none", "+49 30 1234567"},
	} {
		rules := ruleSets[c.rules]
		res, err := rules.Read(c.in)
		fmt.Fprintf(&b, "[%s] %s\n", c.rules, c.in)
		if err != nil {
			fmt.Fprintf(&b, "  error: %v\n\n", err)
			continue
		}
		for _, s := range res.Steps {
			fmt.Fprintf(&b, "  %s\n", s)
		}
		fmt.Fprintf(&b, "  => dial %s (%s)", res.Dial, res.Kind)
		if res.Blocked != nil {
			fmt.Fprintf(&b, "; %v", res.Blocked)
		}
		b.WriteString("\n\n")
	}
	golden.Assert(t, b.String(), "steps.golden")
}
