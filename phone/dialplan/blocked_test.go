package dialplan

import (
	"errors"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestCheckBlocked(t *testing.T) {
	de := ruleSets["de-pbx"] // Blocked nil: Germany's defaults
	with := func(r Rules, blocked ...string) Rules {
		r.Blocked = blocked
		if blocked == nil {
			r.Blocked = []string{}
		}
		return r
	}
	for _, tc := range []struct {
		rules Rules
		in    string
		want  string // the pattern that must refuse it, "" for none
	}{
		// A premium number however it was written or wrapped.
		{de, "0900 123456", "0900*"},
		{de, "+49 900 123456", "0900*"},
		{de, "0049900123456", "0900*"},
		{de, "+49 (0)900 123456", "0900*"},
		{de, "tel:+49-900-123456", "0900*"},
		{de, "tel:%2B49900123456", "0900*"},
		{de, "tel:0900123456;phone-context=example.com", "0900*"},
		{de, "callto://+49900123456", "0900*"},
		{de, "sip:0900123456@pbx.example", "0900*"},
		{de, "0900-PREMIUM", "0900*"},
		{de, "#31#0900123456", "0900*"},
		{de, "*21*0900123456#", "0900*"},
		{de, "*21*+49900123456#", "0900*"},
		{de, "0137 1234567", "0137*"},
		{de, "0180 5 123456", "0180*"},
		{de, "11833", "118*"},
		{de, "+49 11833", "118*"},
		// What the defaults leave alone.
		{de, "030 1234567", ""},
		{de, "1234567", ""},
		{de, "0800 1234567", ""},
		{de, "+44 20 7946 0958", ""},
		{de, "+1 900 555 0199", ""}, // a US premium number is not a German premium number
		{de, "1180", ""},            // an extension is never blocked
		{de, "112", ""},
		{de, "*21#", ""},
		{de, "#31#0301234567", ""},
		// Other countries' defaults.
		{ruleSets["at-pbx"], "0930 123456", "0930*"},
		{ruleSets["ch-pbx"], "+41 906 123 456", "0906*"},
		{ruleSets["gb-pbx"], "0871 123 4567", "0871*"},
		{ruleSets["gb-pbx"], "118 118", "118*"},
		{ruleSets["gb-pbx"], "+44 118 496 0000", ""}, // Reading's area code, not directory enquiries
		{ruleSets["us-pbx"], "1-900-555-0199", "1900*"},
		{ruleSets["us-pbx"], "(900) 555-0199", "1900*"},
		{ruleSets["fr-pbx"], "0891 12 34 56", "089*"},
		{ruleSets["nl-pbx"], "0906 1234", "0906*"},
		// Admin patterns in every form.
		{with(de, "+49900*"), "0900 123456", "+49900*"},
		{with(de, "0 900 *"), "+49 900 123456", "0 900 *"},
		{with(de, "00881*"), "+881 6 1234 5678", "00881*"},
		{with(de, "+881*"), "0088161234 5678", "+881*"},
		{with(de, "00*"), "+44 20 7946 0958", "00*"},
		{with(de, "00*"), "030 1234567", ""}, // a national call is not a call abroad
		{with(de, "0*"), "030 1234567", "0*"},
		{with(de, "0*"), "+44 20 7946 0958", ""},
		{with(de, "+*"), "030 1234567", "+*"},
		{with(de, "*"), "1234567", "*"},
		{with(de, "*"), "204", ""},
		{with(de, "#31#*"), "#31#0301234567", "#31#*"},
		{with(de, "#31#*"), "*31#0301234567", ""},
		{with(de, "+49301234567"), "030 1234567", "+49301234567"},
		{with(de, "+49301234567"), "030 12345678", ""}, // no "*": exact
		{with(de, "030*"), "1234567", "030*"},          // a local call in Berlin is +49 30 ...
		{with(ruleSets["us-pbx"], "900*"), "+1 900 555 0199", "900*"},
		{with(ruleSets["us-pbx"], "011*"), "+44 20 7946 0958", "011*"},
		{with(ruleSets["us-pbx"], "011*"), "+1 416 555 1234", ""}, // Canada is dialed without 011
		{with(Rules{InternalMaxDigits: 4}, "+49900*"), "+49 900 123456", "+49900*"},
		{with(Rules{InternalMaxDigits: 4}, "0900*"), "0900123456", "0900*"},
		// An empty list blocks nothing.
		{with(de), "0900 123456", ""},
	} {
		res, err := tc.rules.Normalize(tc.in)
		if err != nil {
			t.Errorf("Normalize(%q): %v", tc.in, err)
			continue
		}
		err = tc.rules.CheckBlocked(res)
		var be *BlockedError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckBlocked(%q) with %q = %v, want nil", tc.in, tc.rules.blockedList(), err)
		case tc.want != "" && !errors.As(err, &be):
			t.Errorf("CheckBlocked(%q) with %q = %v, want blocked by %q", tc.in, tc.rules.blockedList(), err, tc.want)
		case tc.want != "" && be.Pattern != tc.want:
			t.Errorf("CheckBlocked(%q) blocked by %q, want %q", tc.in, be.Pattern, tc.want)
		}
	}
}

func TestBlockedErrorMessage(t *testing.T) {
	de := ruleSets["de-pbx"]
	for _, tc := range []struct {
		rules Rules
		in    string
		want  string
	}{
		{de, "tel:+49-900-1-234567", `"+49 900 1 234567" is blocked by the rule "0900*" (premium-rate number)`},
		{de, "11833", `"11833" is blocked by the rule "118*" (directory enquiry number)`},
		{de, "*21*09001234567#", `"*21*09001234567#" is blocked by the rule "0900*" (premium-rate number)`},
		{Rules{Country: "DE", Blocked: []string{"+4930*"}}, "030 1234567", `"+49 30 1234567" is blocked by the rule "+4930*" in [dialing] blocked`},
	} {
		res, err := tc.rules.Normalize(tc.in)
		if err != nil {
			t.Fatalf("Normalize(%q): %v", tc.in, err)
		}
		err = tc.rules.CheckBlocked(res)
		if err == nil || err.Error() != tc.want {
			t.Errorf("CheckBlocked(%q) = %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

// TestCheckBlockedFailsClosed: a broken pattern must not switch the list off.
func TestCheckBlockedFailsClosed(t *testing.T) {
	r := Rules{Country: "DE", Blocked: []string{"0900*", "09x0*"}}
	res, err := r.Normalize("030 1234567")
	if err != nil {
		t.Fatal(err)
	}
	err = r.CheckBlocked(res)
	var be *BlockedError
	if err == nil || errors.As(err, &be) || !strings.Contains(err.Error(), `"09x0*"`) {
		t.Errorf("CheckBlocked with a broken pattern = %v, want an error naming it", err)
	}
	if err := r.CheckBlocked(Result{Kind: Internal, Dial: "204"}); err != nil {
		t.Errorf("an extension with a broken pattern = %v, want nil (extensions are never blocked)", err)
	}
}

// TestDefaultBlockedCoversLibphonenumberPremium cross-checks every default
// list with libphonenumber's own idea of each country's numbers: its example
// premium-rate number must be refused, its ordinary examples must not.
func TestDefaultBlockedCoversLibphonenumberPremium(t *testing.T) {
	for country := range defaultBlocked {
		r := Rules{Country: country, InternalMaxDigits: 4}
		check := func(typ phonenumbers.PhoneNumberType, wantBlocked bool) {
			ex := phonenumbers.GetExampleNumberForType(country, typ)
			if ex == nil {
				return
			}
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			res, err := r.Normalize(e164)
			if err != nil {
				t.Errorf("%s: Normalize(%s): %v", country, e164, err)
				return
			}
			err = r.CheckBlocked(res)
			if blocked := err != nil; blocked != wantBlocked {
				t.Errorf("%s: example number %s (type %d): CheckBlocked = %v, want blocked %v", country, e164, typ, err, wantBlocked)
			}
		}
		check(phonenumbers.PREMIUM_RATE, true)
		check(phonenumbers.FIXED_LINE, false)
		check(phonenumbers.MOBILE, false)
		check(phonenumbers.TOLL_FREE, false)
	}
}

func TestDefaultBlocked(t *testing.T) {
	for _, c := range []string{"DE", "AT", "CH", "GB", "US", "FR", "NL"} {
		list := DefaultBlocked(c)
		if len(list) == 0 {
			t.Errorf("DefaultBlocked(%q) is empty", c)
		}
		r := Rules{Country: c, Blocked: list}
		if errs := r.Validate(); len(errs) > 0 {
			t.Errorf("DefaultBlocked(%q) does not validate: %v", c, errs)
		}
	}
	if got := strings.Join(DefaultBlocked("de"), ","); got != "0900*,0137*,0138*,0180*,118*" {
		t.Errorf("DefaultBlocked(de) = %s", got)
	}
	if got := DefaultBlocked("IT"); got != nil {
		t.Errorf("DefaultBlocked(IT) = %q, want nil: no invented ranges", got)
	}
	// The result is a copy: changing it must not change the defaults.
	DefaultBlocked("DE")[0] = "x"
	if DefaultBlocked("DE")[0] != "0900*" {
		t.Error("DefaultBlocked hands out its table")
	}
}
