package yealink

import (
	"context"
	"net/url"

	"github.com/dialbridge/dialbridge/phone"
)

// keyMap names the Snom keys a Yealink phone has as the Action URI's key
// list in Yealink's administrator guides does; a function key Pn is the
// line key Ln (up to 29, the T48 series). The Action URI takes no press
// time or pause, so SendKeys presses one key per request and waits itself.
// MENU, REC, DND and the expansion module's EK keys have no Action URI
// name.
var keyMap = phone.KeyMap{
	Named: map[string]string{
		"ENTER": "OK", "CANCEL": "X",
		"OFFHOOK": "OFFHOOK", "ONHOOK": "ONHOOK",
		"UP": "UP", "DOWN": "DOWN", "LEFT": "LEFT", "RIGHT": "RIGHT",
		"VOLUME_UP": "VOLUME_UP", "VOLUME_DOWN": "VOLUME_DOWN",
		"MUTE": "MUTE", "REDIAL": "RD", "SPEAKER": "SPEAKER", "HEADSET": "HEADSET",
		"TRANSFER": "F_TRANSFER", "F_HOLD": "F_HOLD", "F_R": "F_HOLD",
		"F1": "F1", "F2": "F2", "F3": "F3", "F4": "F4",
		"*": "STAR", "#": "POUND",
	},
	Digits: true, Line: "L", MaxLine: maxLineKey,
}

// maxLineKey is the most line keys (L1..) a Yealink model has (T48
// series: 29).
const maxLineKey = 29

// The call service asks for KeySender; the compiler keeps SendKeys in its
// shape.
var _ phone.KeySender = (*Driver)(nil)

// SendKeys presses keys one by one through the Action URI (key=NAME), in
// Yealink's names, waiting out each key's press time and the pause before
// the next itself. A key Yealink lacks fails before any key is pressed.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	op := "press the keys " + keys.String()
	return phone.PressOneByOne(ctx, Brand, keys, keyMap, d.Sleep, func(ctx context.Context, key string) error {
		return d.send(ctx, op, "key="+url.QueryEscape(key))
	})
}
