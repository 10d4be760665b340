package phone

import (
	"regexp"
	"strings"
)

// FunctionKey is one of the phone's function keys as dialbridge programs
// it: pressing it makes the phone request URL, which runs the key's
// dialbridge action.
type FunctionKey struct {
	// Number is the key as the phone numbers it: Snom's P1 is 1 (its
	// setting fkey0), Yealink's first line key is 1.
	Number int
	// Label is what the phone shows beside the key.
	Label string
	// URL is what the phone requests when the key is pressed.
	URL string
}

// KeyProgram is everything a phone needs to have its function keys bound
// to dialbridge: the keys, the keys whose binding was deleted (to be set
// back to no function), and the model, since some models take more
// settings per key than others.
type KeyProgram struct {
	// Model is the phone's model ("D785"), from phone.model or the
	// User-Agent of its requests; "" when it is not known.
	Model   string
	Keys    []FunctionKey
	Removed []int
}

// KeySettings turns a KeyProgram into the brand's own settings, in the
// order they are written: what dialbridge writes where the brand's driver
// is a SettingsWriter, and what `dialbridge pairing-urls --keys` prints
// for a person to enter where it is not, so that both say the same.
type KeySettings func(p KeyProgram) []Setting

// modelPattern finds a model name like "D785" or "T54W" in a User-Agent
// ("snom D785-SIP 10.1.159.12", "snomD735-SIP 10.1.33.33", "Yealink
// SIP-T54W 96.86.0.100"); it is matched in upper case.
var modelPattern = regexp.MustCompile(`(?:\bSNOM|\bSIP-|\b)([A-Z]{1,2}[0-9]{2,4}[A-Z]?)\b`)

// ModelOf reads the phone's model from the User-Agent of its requests;
// "" when it names none.
func ModelOf(userAgent string) string {
	m := modelPattern.FindStringSubmatch(strings.ToUpper(userAgent))
	if m == nil {
		return ""
	}
	return m[1]
}
