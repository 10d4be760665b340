package dialplan

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

// ruleSets are the offices the table test dials from: a PBX in each of the
// seven countries the defaults cover, plus direct lines, E.164 routing, an
// overridden international prefix and no country at all.
var ruleSets = map[string]Rules{
	// Berlin office behind a PBX that wants 0 for the outside line.
	"de-pbx": {Country: "DE", AreaCode: "30", OutsideLine: "0", InternalMaxDigits: 4},
	// Berlin, SIP trunk routing E.164, three-digit extensions.
	"de-e164": {Country: "DE", AreaCode: "30", InternalMaxDigits: 3, Format: "e164"},
	// Vienna, outside line 0.
	"at-pbx": {Country: "AT", AreaCode: "1", OutsideLine: "0", InternalMaxDigits: 3},
	// Zurich, outside line 0.
	"ch-pbx": {Country: "CH", AreaCode: "44", OutsideLine: "0", InternalMaxDigits: 4},
	// London, outside line 9.
	"gb-pbx": {Country: "GB", AreaCode: "20", OutsideLine: "9", InternalMaxDigits: 4},
	// New Jersey (201), outside line 9.
	"us-pbx": {Country: "US", AreaCode: "201", OutsideLine: "9", InternalMaxDigits: 4},
	// A US site whose PBX takes the European 00 for calls abroad.
	"us-00": {Country: "US", AreaCode: "201", InternalMaxDigits: 4, InternationalPrefix: "00"},
	// Paris: closed numbering plan, so no area code; outside line 0.
	"fr-pbx": {Country: "FR", OutsideLine: "0", InternalMaxDigits: 3},
	// Amsterdam, outside line 0.
	"nl-pbx": {Country: "NL", AreaCode: "20", OutsideLine: "0", InternalMaxDigits: 3},
	// Nothing configured but extensions.
	"none": {InternalMaxDigits: 4},
}

type normCase struct {
	rules string
	in    string
	dial  string
	e164  string
	kind  Kind
	ext   string
}

var normCases = []normCase{
	// Germany behind a PBX: every way people write +49 30 1234567.
	{"de-pbx", "+49 (0)30 123 45-67", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "0049 30 1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "030/1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "Tel.: 030 1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "030 1234567 (Zentrale)", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "Telefon: +49 30 1234567, Fax: +49 30 1234568", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "Tel. #1: 030 1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "+49 30 1234567 ext 12", "00301234567", "+49301234567", National, "12"},
	{"de-pbx", "030 1234567 Durchwahl 12", "00301234567", "+49301234567", National, "12"},
	{"de-pbx", "tel:+49-30-1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "tel:1234567;phone-context=+49-30", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "TEL:%2B49%2030%201234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "tel:%2B4930123", "0030123", "+4930123", National, ""},
	{"de-pbx", "callto://+4930123", "0030123", "+4930123", National, ""},
	{"de-pbx", "callto:+49 30 123", "0030123", "+4930123", National, ""},
	{"de-pbx", "sips:+4930123@host;user=phone", "0030123", "+4930123", National, ""},
	{"de-pbx", "0171 1234567", "001711234567", "+491711234567", National, ""},
	{"de-pbx", "0900 123456", "00900123456", "+49900123456", National, ""},
	{"de-pbx", "0800 FLOWERS", "008003569377", "+498003569377", National, ""},
	{"de-pbx", "Hotline: 0800 FLOWERS", "008003569377", "+498003569377", National, ""},
	{"de-pbx", "Tel. 0800-FLOWERS", "008003569377", "+498003569377", National, ""},
	// A "+" after a digit or letter is a blank a form encoder wrote.
	{"de-pbx", "+49+30+1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "Tel+030+1234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "tel:+1-201-555-0123", "00012015550123", "+12015550123", International, ""},
	{"de-pbx", "tel:+49-900-1234567", "009001234567", "+499001234567", National, ""},
	// Unicode from web pages and office documents.
	{"de-pbx", "030\u00a01234567", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "030\u2013123\u201145\u201267", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "\uff0b\uff14\uff19 \uff13\uff10 \uff11\uff12\uff13\uff14\uff15\uff16\uff17", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "\u200e+49 30 1234567\u200f", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "٠٣٠١٢٣٤٥٦٧", "00301234567", "+49301234567", National, ""},
	{"de-pbx", "𝟶𝟹𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽", "00301234567", "+49301234567", National, ""},
	// Extensions, service codes, short and emergency numbers, local calls.
	{"de-pbx", "204", "204", "", Internal, ""},
	{"de-pbx", "sip:200@pbx.example", "200", "", Internal, ""},
	{"de-pbx", "tel:7042;phone-context=example.com", "7042", "", Internal, ""},
	{"de-pbx", "*21#", "*21#", "", Service, ""},
	{"de-pbx", "#31#0301234", "#31#0301234", "", Service, ""},
	{"de-pbx", "1234567", "01234567", "+49301234567", Local, ""},
	{"de-pbx", "11833", "011833", "", ShortCode, ""},
	{"de-pbx", "+49 11833", "011833", "", ShortCode, ""},
	{"de-pbx", "112", "0112", "", Emergency, ""},
	// Abroad from Germany.
	{"de-pbx", "+44 20 7946 0958", "000442079460958", "+442079460958", International, ""},
	{"de-pbx", "tel:+1-201-555-0123;ext=45", "00012015550123", "+12015550123", International, "45"},
	{"de-pbx", "+1 (201) 555-0123 x45", "00012015550123", "+12015550123", International, "45"},
	{"de-pbx", "0800 123 456 (AT)", "00043800123456", "+43800123456", International, ""},
	{"de-pbx", "+39 06 1234 5678", "000390612345678", "+390612345678", International, ""},
	// Germany, E.164 routing.
	{"de-e164", "030 1234567", "+49301234567", "+49301234567", National, ""},
	{"de-e164", "1234567", "+49301234567", "+49301234567", Local, ""},
	{"de-e164", "0049 (0)89 123456", "+4989123456", "+4989123456", National, ""},
	{"de-e164", "+44 20 7946 0958", "+442079460958", "+442079460958", International, ""},
	{"de-e164", "204", "204", "", Internal, ""},
	{"de-e164", "11833", "11833", "", ShortCode, ""},
	// Austria.
	{"at-pbx", "01 234567890", "001234567890", "+431234567890", National, ""},
	{"at-pbx", "0043 1 234567890", "001234567890", "+431234567890", National, ""},
	{"at-pbx", "+43 664 1234567", "006641234567", "+436641234567", National, ""},
	{"at-pbx", "0800 123 456 (AT)", "00800123456", "+43800123456", National, ""},
	{"at-pbx", "234567", "0234567", "+431234567", Local, ""},
	{"at-pbx", "144", "0144", "", Emergency, ""},
	{"at-pbx", "16000", "016000", "", Local, ""}, // with the area code it would be the 116000 helpline
	{"at-pbx", "+49 30 1234567", "00049301234567", "+49301234567", International, ""},
	// Switzerland.
	{"ch-pbx", "044 668 18 00", "00446681800", "+41446681800", National, ""},
	{"ch-pbx", "+41 (0)44 668 18 00", "00446681800", "+41446681800", National, ""},
	{"ch-pbx", "+41\u200944\u2009668\u200918\u200900", "00446681800", "+41446681800", National, ""},
	{"ch-pbx", "0900 123 456", "00900123456", "+41900123456", National, ""},
	{"ch-pbx", "117", "0117", "", Emergency, ""},
	{"ch-pbx", "+49 30 1234567", "00049301234567", "+49301234567", International, ""},
	// United Kingdom.
	{"gb-pbx", "020 7946 0958", "902079460958", "+442079460958", National, ""},
	{"gb-pbx", "+44 (0)20 7946 0958", "902079460958", "+442079460958", National, ""},
	{"gb-pbx", "7946 0958", "979460958", "+442079460958", Local, ""},
	{"gb-pbx", "07700 900123", "907700900123", "+447700900123", National, ""},
	{"gb-pbx", "118 118", "9118118", "", ShortCode, ""},
	{"gb-pbx", "999", "9999", "", Emergency, ""},
	{"gb-pbx", "+1 201 555 0123", "90012015550123", "+12015550123", International, ""},
	// United States.
	{"us-pbx", "(201) 555-0123", "912015550123", "+12015550123", National, ""},
	{"us-pbx", "201.555.0123", "912015550123", "+12015550123", National, ""},
	{"us-pbx", "+1 (201) 555-0123 x45", "912015550123", "+12015550123", National, "45"},
	{"us-pbx", "tel:+1-201-555-0123;ext=45", "912015550123", "+12015550123", National, "45"},
	{"us-pbx", "555-0123", "95550123", "+12015550123", Local, ""},
	{"us-pbx", "1-800-FLOWERS", "918003569377", "+18003569377", National, ""},
	{"us-pbx", "1-800-flowers", "918003569377", "+18003569377", National, ""},
	{"us-pbx", "1 800 FLOWERS", "918003569377", "+18003569377", National, ""},
	{"us-pbx", "1-800-GO-FEDEX", "918004633339", "+18004633339", National, ""},
	{"us-pbx", "1800flowers", "918003569377", "+18003569377", National, ""},
	{"us-pbx", "1+800+FLOWERS", "918003569377", "+18003569377", National, ""},
	{"us-pbx", "+1 416 555 1234", "914165551234", "+14165551234", National, ""},
	{"us-pbx", "011 44 20 7946 0958", "9011442079460958", "+442079460958", International, ""},
	{"us-pbx", "0049 30 1234567", "901149301234567", "+49301234567", International, ""},
	{"us-pbx", "+49 30 1234567", "901149301234567", "+49301234567", International, ""},
	{"us-pbx", "911", "9911", "", Emergency, ""},
	{"us-pbx", "1001", "1001", "", Internal, ""},
	{"us-pbx", "(212) 555-0199 Fax (212) 555-0100", "912125550199", "+12125550199", National, ""},
	{"us-pbx", "Fax: 212 555 0100, Phone: 212 555 0199", "912125550199", "+12125550199", National, ""},
	{"us-00", "0049 30 1234567", "0049301234567", "+49301234567", International, ""},
	{"us-00", "+44 20 7946 0958", "00442079460958", "+442079460958", International, ""},
	// France.
	{"fr-pbx", "01 23 45 67 89", "00123456789", "+33123456789", National, ""},
	{"fr-pbx", "+33 (0)1 23 45 67 89", "00123456789", "+33123456789", National, ""},
	{"fr-pbx", "Tél. : 01 23 45 67 89", "00123456789", "+33123456789", National, ""},
	{"fr-pbx", "06 12 34 56 78", "00612345678", "+33612345678", National, ""},
	{"fr-pbx", "0891 12 34 56", "00891123456", "+33891123456", National, ""},
	{"fr-pbx", "3949", "03949", "", ShortCode, ""},
	{"fr-pbx", "15", "015", "", Emergency, ""},
	{"fr-pbx", "12345678", "012345678", "", Local, ""},
	{"fr-pbx", "+41 44 668 18 00", "00041446681800", "+41446681800", International, ""},
	// The Netherlands.
	{"nl-pbx", "020 123 4567", "00201234567", "+31201234567", National, ""},
	{"nl-pbx", "+31 (0)20 123 4567", "00201234567", "+31201234567", National, ""},
	{"nl-pbx", "06 12345678", "00612345678", "+31612345678", National, ""},
	{"nl-pbx", "0800 1234", "008001234", "+318001234", National, ""},
	{"nl-pbx", "14020", "014020", "+3114020", National, ""},
	{"nl-pbx", "1234567", "01234567", "+31201234567", Local, ""},
	{"nl-pbx", "+32 2 123 45 67", "0003221234567", "+3221234567", International, ""},
	// No country configured: as written.
	{"none", "+49 30 1234567", "+49301234567", "+49301234567", International, ""},
	{"none", "0301234567", "0301234567", "", Local, ""},
	{"none", "204", "204", "", Internal, ""},
	{"none", "*21#", "*21#", "", Service, ""},
}

func TestNormalize(t *testing.T) {
	countries := map[string]bool{}
	for _, tc := range normCases {
		rules, ok := ruleSets[tc.rules]
		if !ok {
			t.Fatalf("unknown rule set %q", tc.rules)
		}
		countries[rules.Country] = true
		got, err := rules.Normalize(tc.in)
		if err != nil {
			t.Errorf("%s: Normalize(%q): %v", tc.rules, tc.in, err)
			continue
		}
		if got.Dial != tc.dial || got.E164 != tc.e164 || got.Kind != tc.kind || got.Ext != tc.ext {
			t.Errorf("%s: Normalize(%q) = dial %q, e164 %q, %v, ext %q; want dial %q, e164 %q, %v, ext %q\nsteps:\n  %s",
				tc.rules, tc.in, got.Dial, got.E164, got.Kind, got.Ext, tc.dial, tc.e164, tc.kind, tc.ext, joinSteps(got.Steps, "\n  "))
		}
		if got.Input != tc.in {
			t.Errorf("%s: Normalize(%q).Input = %q", tc.rules, tc.in, got.Input)
		}
		if len(got.Steps) == 0 {
			t.Errorf("%s: Normalize(%q) explains nothing", tc.rules, tc.in)
		}
	}
	// The issue asks for at least 60 real-world inputs from these countries.
	if len(normCases) < 60 {
		t.Errorf("only %d cases", len(normCases))
	}
	for _, c := range []string{"DE", "AT", "CH", "GB", "US", "FR", "NL"} {
		if !countries[c] {
			t.Errorf("no case dials from %s", c)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	de := ruleSets["de-pbx"]
	for _, tc := range []struct {
		rules Rules
		in    string
		want  string // part of the message
	}{
		{de, "", "no phone number was given"},
		{de, " \u00a0\u200b ", "no phone number was given"},
		{de, "abc", `"abc" contains no phone number`},
		{de, "Tel.: ", "contains no phone number"},
		{de, "callto:echo123", `"callto:echo123" contains "echo123", which is not a phone number`},
		{de, "tel:abc123", `"tel:abc123" contains "abc123", which is not a phone number`},
		{de, "callto:", "contains no phone number"},
		{de, "sip:alice@example.com", `calls the SIP user "alice", which is not a phone number`},
		{de, "sip:@example.com", "names no user to call"},
		{de, "tel:+49-30-1234567;ext=abc", `has the extension "abc", which holds no digits`},
		{de, "tel:123;phone-context=+", "holds no digits"},
		{de, "+999 123456", "does not start with a country calling code"},
		{de, "+49 1", "too short"},
		{de, "030", `"030" is not a valid number of DE`}, // cut off, not extension 030
		{de, "+49 30 1234567890123456", "too long"},
		{de, "1234567890123456789012345678", "too many digits"},
		{ruleSets["ch-pbx"], "01 234567890", "is not a valid number of CH"},
		{de, strings.Repeat("1", MaxInputLen+1), "too long to be a phone number"},
		// Letters that are no vanity spelling are refused, naming them.
		{de, "030123 --config", `"--config" looks like a command-line option`},
		{de, "--config 030123", `"--config" looks like a command-line option`},
		{de, "030123 -c F", `"-c" looks like a command-line option`},
		{de, "030123--config", `"--config" looks like a command-line option`},
		{de, "030-ABC-1234", `the word "ABC" stands between digits`},
		{de, "PLEASE CALL 0800 NOW", `the word "NOW" after the number is part of a sentence`},
		{de, "Ruf an: 0800 FLOWERS", `the word "FLOWERS" after the number is part of a sentence`},
		{de, "0800 FLOWERS 123", `the word "FLOWERS" stands between digits`},
		{de, "tel:030-ABC-1234", `the word "ABC" stands between digits`},
		{de, "Tel: 030 1234567, Fax: 030-FAX-123", `the word "FAX" stands between digits`},
		{de, "030\x001234567", "control character U+0000"},
		{de, "030\u00871234567", "control character U+0087"},
		{Rules{Country: "XX"}, "030 1234567", "the dialing rules cannot be used: dialing.country"},
		{Rules{Country: "DE", Format: "intl"}, "030 1234567", "dialing.format"},
	} {
		got, err := tc.rules.Normalize(tc.in)
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want an error with %q", tc.in, got.Dial, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Normalize(%q) error %q, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

// TestNormalizeDialsItsOwnOutput checks that the dial string, fed back in
// without the outside line, dials the same: the rules agree with themselves
// and a number never drifts when it passes through dialbridge twice (the
// journal redials what it dialed).
func TestNormalizeDialsItsOwnOutput(t *testing.T) {
	for _, tc := range normCases {
		rules := ruleSets[tc.rules]
		res, err := rules.Normalize(tc.in)
		if err != nil || !idempotenceApplies(rules, res) {
			continue
		}
		again, err := rules.Normalize(strings.TrimPrefix(res.Dial, rulesOutside(rules, res)))
		if err != nil {
			t.Errorf("%s: %q dials %q, which does not normalize: %v", tc.rules, tc.in, res.Dial, err)
			continue
		}
		if again.Dial != res.Dial || again.E164 != res.E164 {
			t.Errorf("%s: %q dials %q (%s); that dials %q (%s)", tc.rules, tc.in, res.Dial, res.E164, again.Dial, again.E164)
		}
	}
}

// idempotenceApplies: a dial string short enough to be an extension reads
// back as one, which is right and not a drift.
func idempotenceApplies(r Rules, res Result) bool {
	return len(strings.TrimPrefix(strings.TrimPrefix(res.Dial, rulesOutside(r, res)), "+")) > r.InternalMaxDigits
}

func rulesOutside(r Rules, res Result) string {
	if res.Kind.external() {
		return r.OutsideLine
	}
	return ""
}

// TestNormalizeConcurrent runs Normalize and CheckBlocked from many
// goroutines, as the listener does; run with -race it proves the shared
// metadata is read safely.
func TestNormalizeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(normCases); i += 8 {
				tc := normCases[i]
				rules := ruleSets[tc.rules]
				res, err := rules.Normalize(tc.in)
				if err != nil || res.Dial != tc.dial {
					t.Errorf("%s: Normalize(%q) = %q, %v concurrently; want %q", tc.rules, tc.in, res.Dial, err, tc.dial)
				}
				_ = rules.CheckBlocked(res)
			}
		}(g)
	}
	wg.Wait()
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		Unknown: "unknown", Internal: "internal extension", Service: "service code",
		Emergency: "emergency number", ShortCode: "short code", Local: "local number",
		National: "national number", International: "international number", Kind(99): "unknown",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestNormalizeLabelsAndURIs(t *testing.T) {
	de := ruleSets["de-pbx"]
	for _, tc := range []struct{ in, dial, ext string }{
		{"Tel: 030 1234567 (Mo-Fr 9-17 Uhr)", "00301234567", ""},
		{"Mo-Fr 9-17 Uhr: 030 1234567", "00301234567", ""},
		{"SIP: 204", "204", ""},
		{"Tel:030 1234567 Fax:030 7654321", "00301234567", ""},
		{"TEL:+49-30-1234567", "00301234567", ""},
		{"tel://+49301234567", "00301234567", ""},
		{"tel:+49301234567?call", "00301234567", ""},
		{"tel:+49-30-1234567;isub=1411;foo=bar", "00301234567", ""},
		{"tel:+49-30-1234567;EXT=12", "00301234567", "12"},
		{"callto://+49301234567/", "00301234567", ""},
		{"callto:+49%2030%201234567", "00301234567", ""},
		{"sip:+49-30-1234567;phone-context=+49@pbx.example;user=phone", "00301234567", ""},
		{"sip:1234567;phone-context=+49-30@pbx.example", "00301234567", ""},
		{"sip:204:secret@pbx.example:5060;transport=tcp?subject=hi", "204", ""},
		{"skype:+49301234567?call", "00301234567", ""},
		{"(0)30 1234567", "00301234567", ""},
		{"030 123 456 - 78", "003012345678", ""},
		{"+49 30 1234567 x. 12", "00301234567", "12"},
		{"+49 30 1234567, App. 12", "00301234567", "12"},
		{"Apple Store: 030 1234567", "00301234567", ""},
		{"Zimmer 5: 030 1234567", "00301234567", ""},
		{"+49 30 123456p78", "0030123456", ""},
	} {
		got, err := de.Normalize(tc.in)
		if err != nil {
			t.Errorf("Normalize(%q): %v", tc.in, err)
			continue
		}
		if got.Dial != tc.dial || got.Ext != tc.ext {
			t.Errorf("Normalize(%q) = %q ext %q, want %q ext %q\n  %s", tc.in, got.Dial, got.Ext, tc.dial, tc.ext, joinSteps(got.Steps, "\n  "))
		}
	}
}

// TestReadIsNormalizeThenTheBlockedList: Read gives the dial string and
// explanation of Normalize and the rule CheckBlocked names, for numbers
// that are blocked and numbers that are not, and refuses what Normalize
// refuses.
func TestReadIsNormalizeThenTheBlockedList(t *testing.T) {
	de := ruleSets["de-pbx"]
	for _, tc := range []struct{ in, dial, rule string }{
		{"tel:+49-900-1234567", "009001234567", "0900*"},
		{"0900 123456", "00900123456", "0900*"},
		{"*21*0900123456#", "*21*0900123456#", "0900*"},
		{"030 1234567", "00301234567", ""},
		{"204", "204", ""},
	} {
		got, err := de.Read(tc.in)
		if err != nil {
			t.Fatalf("Read(%q): %v", tc.in, err)
		}
		res, _ := de.Normalize(tc.in)
		if got.Dial != tc.dial || joinSteps(got.Steps, "\n") != joinSteps(res.Steps, "\n") {
			t.Errorf("Read(%q) = %q, want %q with Normalize's steps", tc.in, got.Dial, tc.dial)
		}
		var be *BlockedError
		rule := ""
		if errors.As(got.Blocked, &be) {
			rule = be.Pattern
		}
		if rule != tc.rule {
			t.Errorf("Read(%q) blocked by %q (%v), want %q", tc.in, rule, got.Blocked, tc.rule)
		}
	}
	var nn *NotANumberError
	if _, err := de.Read("030123 --config"); !errors.As(err, &nn) || nn.Part != "--config" || nn.Reason != LooksLikeOption {
		t.Errorf("Read(\"030123 --config\") error %v, want a NotANumberError naming --config", err)
	}
}

// joinSteps is steps in English, joined by sep.
func joinSteps(steps []Step, sep string) string {
	lines := make([]string, len(steps))
	for i, st := range steps {
		lines[i] = st.String()
	}
	return strings.Join(lines, sep)
}
