package fanvil

import (
	"context"
	"net/url"

	"github.com/dialbridge/dialbridge/phone"
)

// keyMap names the Snom keys a Fanvil phone has. Only the keys this driver
// already presses, and F_MUTE from the tools that drive these phones, are
// mapped: the rest of Fanvil's names are not documented where this driver
// could check them.
var keyMap = phone.KeyMap{
	Named: map[string]string{
		"ENTER": keyEnter, "ONHOOK": keyRelease, "F_HOLD": keyHold, "F_R": keyHold, "MUTE": keyMute,
		"*": "*", "#": "#",
	},
	Digits: true,
}

// The call service asks for KeySender; the compiler keeps SendKeys in its
// shape.
var _ phone.KeySender = (*Driver)(nil)

// SendKeys presses keys one by one (key=NAME), in Fanvil's names, waiting
// out each key's press time and the pause before the next itself: the
// action URI takes no timing. A key the driver has no Fanvil name for
// fails before any key is pressed.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	op := "press the keys " + keys.String()
	return phone.PressOneByOne(ctx, Brand, keys, keyMap, d.Sleep, func(ctx context.Context, key string) error {
		return d.keys(ctx, op, url.QueryEscape(key))
	})
}
