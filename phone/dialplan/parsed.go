package dialplan

import (
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// parsedNumber is a number libphonenumber has read, with the answers
// Normalize asks of it. Every answer runs libphonenumber's regular
// expressions again, and the way to one dial string asks the same questions
// of the same number several times (is it valid, which region is it in, its
// national significant number, its E.164 and international forms), so each
// answer is worked out at most once. A parsedNumber belongs to one Normalize
// call and is never shared between goroutines; libphonenumber's functions
// used here only read the number, so sharing it between questions is safe.
type parsedNumber struct {
	num *phonenumbers.PhoneNumber

	nsn, region, e164, intl string
	valid                   bool
	has                     answers
}

// answers records which of a parsedNumber's answers are worked out.
type answers uint8

const (
	haveNSN answers = 1 << iota
	haveRegion
	haveValid
	haveE164
	haveIntl
)

// nationalSignificant is phonenumbers.GetNationalSignificantNumber.
func (p *parsedNumber) nationalSignificant() string {
	if p.has&haveNSN == 0 {
		p.nsn = phonenumbers.GetNationalSignificantNumber(p.num)
		p.has |= haveNSN
	}
	return p.nsn
}

// regionCode is phonenumbers.GetRegionCodeForNumber. For a calling code
// shared by several regions (+1, +44, +7 ...) it tries the regions'
// number patterns one by one, the most expensive question of all.
func (p *parsedNumber) regionCode() string {
	if p.has&haveRegion == 0 {
		p.region = phonenumbers.GetRegionCodeForNumber(p.num)
		p.has |= haveRegion
	}
	return p.region
}

// isValid is phonenumbers.IsValidNumber, which libphonenumber defines as
// IsValidNumberForRegion with the region GetRegionCodeForNumber finds; doing
// the two steps here lets regionName reuse the region
// (TestParsedNumberAgreesWithLibphonenumber holds the two to agree).
func (p *parsedNumber) isValid() bool {
	if p.has&haveValid == 0 {
		p.valid = phonenumbers.IsValidNumberForRegion(p.num, p.regionCode())
		p.has |= haveValid
	}
	return p.valid
}

// e164Form is the number in E.164 form, "+49301234567": what
// phonenumbers.Format gives for E164, which is by definition "+", the
// calling code and the national significant number, put together here
// without Format's buffers (TestParsedNumberAgreesWithLibphonenumber).
func (p *parsedNumber) e164Form() string {
	if p.has&haveE164 == 0 {
		p.e164 = "+" + strconv.Itoa(int(p.num.GetCountryCode())) + p.nationalSignificant()
		p.has |= haveE164
	}
	return p.e164
}

// intlForm is the number as people read it: "+49 30 1234567".
func (p *parsedNumber) intlForm() string {
	if p.has&haveIntl == 0 {
		p.intl = intlForm(p.num)
		p.has |= haveIntl
	}
	return p.intl
}

// country is the country of the number as its ISO code ("DE"), or as its
// calling code ("+881") for non-geographic numbers (+800, +881 ...):
// regionArg makes either a value a sentence can name.
func (p *parsedNumber) country() string {
	region := p.regionCode()
	if region == "" || region == "ZZ" || region == "001" {
		region = phonenumbers.GetRegionCodeForCountryCode(int(p.num.GetCountryCode()))
	}
	if region == "" || region == "ZZ" || region == "001" {
		return "+" + strconv.Itoa(int(p.num.GetCountryCode()))
	}
	return region
}

// parseMemo is one phonenumbers.Parse call and its outcome.
type parseMemo struct {
	number, region string
	p              *parsedNumber
	err            error
}

// parses remembers the numbers libphonenumber has read during one Normalize
// call. The same digits are read in the same region up to three times (as
// a short code, as a national number, as a number without trunk prefix), and
// reading is the most expensive step of all. A handful of entries at most,
// so a slice beats a map.
type parses []parseMemo

// parse is phonenumbers.Parse, once per number and region.
func (ps *parses) parse(number, region string) (*parsedNumber, error) {
	for _, m := range *ps {
		if m.number == number && m.region == region {
			return m.p, m.err
		}
	}
	num, err := phonenumbers.Parse(number, region)
	var p *parsedNumber
	if err == nil {
		p = &parsedNumber{num: num}
	}
	*ps = append(*ps, parseMemo{number: number, region: region, p: p, err: err})
	return p, err
}
