package dialplan

import "testing"

// Warm must exercise the same parse a dial of a home number takes (so that
// libphonenumber compiles the country's expressions at start-up), not stop
// early at an error: the number it reads is a national number of the home
// country, and without a known country it reads nothing.
func TestWarmReadsANationalNumberOfTheHomeCountry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules Rules
		want  Kind
	}{
		{"Germany", Rules{Country: "DE", AreaCode: "30"}, National},
		{"United States, lower case", Rules{Country: "us", AreaCode: "201"}, National},
		{"Austria with an outside line", Rules{Country: "AT", OutsideLine: "0"}, National},
		{"no country", Rules{}, Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.rules.warmNumber()
			if tc.want == Unknown {
				if n != "" {
					t.Fatalf("warmNumber() = %q, want none without a country", n)
				}
				tc.rules.Warm()
				return
			}
			rd, err := tc.rules.Read(n)
			if err != nil {
				t.Fatalf("Read(%q) = %v, want a reading", n, err)
			}
			if rd.Kind != tc.want {
				t.Errorf("Read(%q).Kind = %v, want %v", n, rd.Kind, tc.want)
			}
			tc.rules.Warm()
		})
	}
}
