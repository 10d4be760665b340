package dialplan

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules Rules
		want  []string // "key: part of the message", in order
	}{
		{"zero value", Rules{}, nil},
		{"config default", Rules{Country: "DE", InternalMaxDigits: 4}, nil},
		{"full", Rules{Country: "de", AreaCode: "30", OutsideLine: "0", InternalMaxDigits: 3,
			InternationalPrefix: "00", Format: "E164", Blocked: []string{"0900*", "+881*", "*31#*", "0 137 *"}}, nil},
		{"unknown country", Rules{Country: "XX"}, []string{`dialing.country: "XX" is not an ISO 3166 country code`}},
		{"country name", Rules{Country: "Germany"}, []string{`dialing.country: "Germany"`}},
		{"area with trunk prefix", Rules{Country: "DE", AreaCode: "030"},
			[]string{`dialing.area_code: "030" must be written without the trunk prefix 0, e.g. "30"`}},
		{"area not digits", Rules{Country: "DE", AreaCode: "3O"}, []string{`dialing.area_code: "3O" must contain only digits`}},
		{"area without country", Rules{AreaCode: "30"}, []string{`dialing.area_code: "30" needs dialing.country`}},
		{"area too long", Rules{Country: "DE", AreaCode: "1234567"}, []string{"dialing.area_code: \"1234567\" is too long"}},
		{"outside line", Rules{OutsideLine: "0-"}, []string{`dialing.outside_line: "0-" must be at most 4 digits`}},
		{"extensions", Rules{InternalMaxDigits: 9}, []string{"dialing.internal_max_digits: 9 is out of range (0 to 8)"}},
		{"negative extensions", Rules{InternalMaxDigits: -1}, []string{"dialing.internal_max_digits: -1 is out of range"}},
		{"international prefix", Rules{Country: "US", InternationalPrefix: "+"}, []string{`dialing.international_prefix: "+" must be at most 5 digits`}},
		{"format", Rules{Format: "international"}, []string{`dialing.format: "international" is not one of national, e164`}},
		{"patterns", Rules{Country: "DE", Blocked: []string{"0900*", "09x0*", "", "+", "49+900*"}}, []string{
			`dialing.blocked: the pattern "09x0*" may contain only digits`,
			`dialing.blocked: the pattern "" is empty`,
			`dialing.blocked: the pattern "+" has no digits`,
			`dialing.blocked: the pattern "49+900*" may contain only digits`,
		}},
		{"several at once", Rules{Country: "XX", OutsideLine: "x", Format: "y"}, []string{
			"dialing.country", "dialing.outside_line", "dialing.format",
		}},
	} {
		errs := tc.rules.Validate()
		if len(errs) != len(tc.want) {
			t.Errorf("%s: Validate() = %v, want %d problems %q", tc.name, errs, len(tc.want), tc.want)
			continue
		}
		for i, err := range errs {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("%s: problem %v is a %T, want *FieldError", tc.name, err, err)
				continue
			}
			if !strings.HasPrefix(tc.want[i], fe.Key) || !strings.Contains(err.Error(), tc.want[i]) {
				t.Errorf("%s: problem %d = %q (key %q), want %q", tc.name, i, err, fe.Key, tc.want[i])
			}
		}
	}
}
