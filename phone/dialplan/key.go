package dialplan

import (
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// Keyer returns the one way dialbridge tells whether two numbers are the
// same person's (caller lookups, calls returned): the key of a number
// under the dialing rules. A number's key is its
// E.164 form ("+49301234567") when the rules give one, so every spelling
// of a number meets in one key; an internal extension's key is "ext:" and
// its digits, since extensions are unique only inside the company's own
// numbering; any other number (a local one without a configured area
// code) keys on its digits as written. Text without a number has the key
// "".
func Keyer(rules Rules) func(text string) string {
	national := nationalFast(rules.Country)
	return func(text string) string {
		if k, ok := fastKey(text, national); ok {
			return k
		}
		r, err := rules.Read(text)
		if err != nil {
			r, err = behindOutsideLine(rules, text)
		}
		if err != nil {
			return ""
		}
		switch {
		case r.E164 != "":
			return r.E164
		case r.Kind == Internal:
			return "ext:" + r.Digits
		default:
			return r.Digits
		}
	}
}

// behindOutsideLine reads a number that a phone behind a PBX reports with
// the outside line in front ("0 030 1234567" with outside_line "0"), as it
// shows a caller or a number dialed by hand: text without the outside line
// must read as a number that leaves the PBX. It is tried only for text the
// rules cannot read as written, since "0301234567" is a Berlin number
// whatever the outside line.
func behindOutsideLine(rules Rules, text string) (Reading, error) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimSpace(text), "tel:"), rules.OutsideLine)
	if rules.OutsideLine == "" || !ok {
		return Reading{}, errNoOutsideLine
	}
	r, err := rules.Read(rest)
	if err == nil && (!r.Kind.external() || r.E164 == "") {
		return Reading{}, errNoOutsideLine
	}
	return r, err
}

// errNoOutsideLine says that a text does not start with the outside line
// and a number after it; Keyer gives such text no key.
var errNoOutsideLine = errors.New("no number behind the outside line")

// national is what fastKey needs to know of the home country: the
// calling code, the trunk prefix's one digit that a home-country number is
// written with ("030 1234567" in Germany; 0 where fastKey cannot read
// national numbers), and the length of the country's longest short number.
// The rules read a home-country number that is no valid full number as a
// short code when it is one ("+39 477 0000" in Italy is the short code
// 4770000), so fastKey leaves home-country numbers that short to them.
// The zero value reads no national numbers.
type national struct {
	trunk    byte
	code     string
	shortMax int
}

// nationalFast is the national reading of country: its trunk prefix where
// its numbering is plain (see plainCodes) and the prefix one digit.
func nationalFast(country string) national {
	code := phonenumbers.GetCountryCodeForRegion(country)
	if code == 0 {
		return national{}
	}
	home := national{code: strconv.Itoa(code), shortMax: shortMax()[country]}
	if trunk, ok := plainCodes()[code]; ok {
		home.trunk = trunk
	}
	return home
}

// shortMax is the length of each region's longest short number, from
// libphonenumber's short number metadata.
var shortMax = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	coll, err := phonenumbers.ShortNumberMetadataCollection()
	if err != nil {
		return out
	}
	for _, md := range coll.GetMetadata() {
		for _, l := range md.GetGeneralDesc().GetPossibleLength() {
			out[md.GetId()] = max(out[md.GetId()], int(l))
		}
	}
	return out
})

// fastKey reads the spellings address books hold most, an international
// number or a home-country one with its trunk prefix, with blanks, dashes,
// dots or slashes ("+49 30 1234567", "tel:+49-30-1234567", "030/1234567"),
// without the dialing rules' full reading, which costs tens of
// microseconds and would make loading a large address book take seconds.
// It answers only where that reading gives the same E.164 form: a known
// country calling code followed by a national number that does not start
// with a trunk prefix (which libphonenumber drops, as in "+49 (0)30");
// everything else goes the full way. FuzzFastKeyAgreesWithDialingRules
// holds the two to agree.
func fastKey(text string, home national) (string, bool) {
	text = strings.TrimPrefix(strings.TrimSpace(text), "tel:")
	if len(text) < 6 {
		return "", false
	}
	var b [20]byte
	n := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '+' && i == 0:
		case c >= '0' && c <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = c
			n++
		case i > 0 && (c == ' ' || c == '-' || c == '.' || c == '/'):
		default:
			return "", false
		}
	}
	digits := b[:n]
	if text[0] != '+' {
		if home.trunk == 0 || len(digits) < 1+minFast || len(digits)-1 <= home.shortMax || digits[0] != home.trunk || digits[1] == '0' || digits[1] == home.trunk || len(digits) > 15 {
			return "", false
		}
		return "+" + home.code + string(digits[1:]), true
	}
	if len(digits) < 7 || digits[0] == '0' {
		return "", false
	}
	for cc := 1; cc <= 3 && cc < len(digits); cc++ {
		code := 0
		for _, d := range digits[:cc] {
			code = code*10 + int(d-'0')
		}
		trunk, ok := plainCodes()[code]
		if !ok {
			continue
		}
		nsn := digits[cc:]
		if nsn[0] == '0' || nsn[0] == trunk || len(nsn) < minFast || len(nsn) > 14 || (string(digits[:cc]) == home.code && len(nsn) <= home.shortMax) {
			return "", false
		}
		return "+" + string(digits), true
	}
	return "", false
}

// minFast is the shortest national number fastKey reads: shorter ones may
// be short codes ("+49 11833" is the code 11833), which only the full
// reading tells apart.
const minFast = 7

// plainCodes are the country calling codes whose every region reads a
// national number plainly: at most a fixed trunk prefix is dropped, no
// rule rewrites digits (as Argentina's does for mobiles). The value is the
// first digit of the trunk prefix (0 when there is none), which a fast key
// must not start with. Codes libphonenumber does not know are absent.
var plainCodes = sync.OnceValue(func() map[int]byte {
	out := map[int]byte{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return out
	}
	bad := map[int]bool{}
	for _, md := range coll.GetMetadata() {
		code := int(md.GetCountryCode())
		np, parse := md.GetNationalPrefix(), md.GetNationalPrefixForParsing()
		if md.GetNationalPrefixTransformRule() != "" || (parse != "" && parse != np) || len(np) > 1 {
			bad[code] = true
			continue
		}
		var first byte
		if np != "" {
			first = np[0]
		}
		if prev, ok := out[code]; ok && prev != first {
			bad[code] = true
		}
		out[code] = first
	}
	for code := range bad {
		delete(out, code)
	}
	return out
})
