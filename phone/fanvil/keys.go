package fanvil

import (
	"context"
	"net/url"

	"github.com/dialbridge/dialbridge/phone"
)

// fanvilKey is the action URI's name for a Snom key, ok false when the
// driver knows no Fanvil name for it. Only the keys this driver already
// presses, and F_MUTE from the tools that drive these phones, are mapped:
// the rest of Fanvil's names are not documented where this driver could
// check them.
func fanvilKey(snom string) (string, bool) {
	switch snom {
	case "ENTER":
		return keyEnter, true
	case "ONHOOK":
		return keyRelease, true
	case "F_HOLD", "F_R":
		return keyHold, true
	case "MUTE":
		return keyMute, true
	}
	if len(snom) == 1 && isNumber(snom) {
		return snom, true
	}
	return "", false
}

// SendKeys presses keys one by one (key=NAME), in Fanvil's names, waiting
// out each key's press time and the pause before the next itself: the
// action URI takes no timing. A key the driver has no Fanvil name for
// fails before any key is pressed.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	op := "press the keys " + keys.String()
	return phone.PressOneByOne(ctx, Brand, keys, fanvilKey, d.Sleep, func(ctx context.Context, key string) error {
		return d.keys(ctx, op, url.QueryEscape(key))
	})
}
