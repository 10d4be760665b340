package snom

import (
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
)

// smartLabelModels are the Snom models whose keys have a smart label
// (a short label beside a long one) that takes the setting
// fkey_short_labelN: the D735 and D785. The D3xx and D86x have none.
var smartLabelModels = map[string]bool{"D735": true, "D785": true}

// KeySettings are the settings that bind Snom function keys to URLs, the
// way home-automation modules program them through dummy.htm: fkeyN
// ("url " and the URL, N counting from 0, so P1 is fkey0) and
// fkey_labelN, plus fkey_short_labelN on models with smart labels. A key
// whose binding was deleted goes back to "none", the value of a key
// without a function, with an empty label.
func KeySettings(p phone.KeyProgram) []phone.Setting {
	smart := smartLabelModels[strings.ToUpper(p.Model)]
	var out []phone.Setting
	add := func(number int, value, label string) {
		n := strconv.Itoa(number - 1)
		out = append(out, phone.Setting{Name: "fkey" + n, Value: value}, phone.Setting{Name: "fkey_label" + n, Value: label})
		if smart {
			out = append(out, phone.Setting{Name: "fkey_short_label" + n, Value: label})
		}
	}
	for _, k := range p.Keys {
		add(k.Number, "url "+k.URL, k.Label)
	}
	for _, n := range p.Removed {
		add(n, "none", "")
	}
	return out
}
