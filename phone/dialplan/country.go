package dialplan

import (
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// home is what the rules know about the phone's own country, all of it taken
// from libphonenumber's metadata so that no numbering table is kept here.
type home struct {
	region string // ISO 3166 alpha-2, upper case
	cc     int    // country calling code, e.g. 49
	ccStr  string // cc as text, e.g. "49"
	np     string // national (trunk) prefix, e.g. "0"; "" where the country has none (IT, ES, ...)
	intl   string // international prefix to dial, e.g. "00" or "011"; "" when the country has no single one
	nanp   bool   // a member of the North American Numbering Plan (+1)
}

// metadataIntlPrefixes maps every region to the international prefix that a
// person there dials, read once from libphonenumber's metadata. The public
// API of phonenumbers keeps the per-region metadata private, so the whole
// collection is decoded once (a few hundred kilobytes) and reduced to this map.
var metadataIntlPrefixes = sync.OnceValue(func() map[string]string {
	out := make(map[string]string)
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		// The metadata is embedded in the phonenumbers module; failing to
		// decode it means a broken build. Countries then have no known
		// international prefix and foreign numbers are dialed in +CC form,
		// which a Step says, rather than the program refusing to start.
		return out
	}
	for _, m := range coll.GetMetadata() {
		out[m.GetId()] = intlPrefixFromMetadata(m.GetInternationalPrefix(), m.GetPreferredInternationalPrefix())
	}
	return out
})

// intlPrefixFromMetadata picks the one international prefix to dial. The
// metadata stores a regular expression when a country has several (carrier
// selection prefixes); then its preferred prefix is the one to dial, and
// without one there is no single answer. A "~" means "wait for a second dial
// tone" (Russia's "8~10"); a desk phone cannot wait, and exchanges accept the
// digits without the pause, so it is dropped.
func intlPrefixFromMetadata(pattern, preferred string) string {
	p := preferred
	if p == "" {
		p = pattern
	}
	p = strings.Map(func(r rune) rune {
		switch r {
		case '~', '\u2053', '\u223C', '\uFF5E':
			return -1
		}
		return r
	}, p)
	if p == "" || !allDigits(p) {
		return ""
	}
	return p
}

// lookupHome returns what is known about region, or false when libphonenumber
// has no such region. region must already be upper case.
func lookupHome(region, intlOverride string) (home, bool) {
	cc := phonenumbers.GetCountryCodeForRegion(region)
	if cc == 0 {
		return home{}, false
	}
	h := home{
		region: region,
		cc:     cc,
		ccStr:  strconv.Itoa(cc),
		np:     phonenumbers.GetNddPrefixForRegion(region, true),
		intl:   intlOverride,
		nanp:   phonenumbers.IsNANPACountry(region),
	}
	if h.intl == "" {
		h.intl = metadataIntlPrefixes()[region]
	}
	return h, true
}

// knownRegion reports whether libphonenumber has metadata for region.
func knownRegion(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(region) != 0
}
