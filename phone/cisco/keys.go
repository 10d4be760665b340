package cisco

import (
	"context"

	"github.com/dialbridge/dialbridge/phone"
)

// keyMap names the Snom keys a Cisco phone has by their Key: URIs in
// Cisco's IP Phone Services guide (the 7800/8800/9800 tables): the keypad
// is KeyPad0..9, a function key Pn the line key LineN (up to Line120), and
// ONHOOK is Release, which ends the call. Cisco has no URI for CANCEL,
// REDIAL, DND, MENU or REC.
var keyMap = phone.KeyMap{
	Prefix: "Key:",
	Named: map[string]string{
		"ENTER": "NavSelect", "UP": "NavUp", "DOWN": "NavDwn", "LEFT": "NavLeft", "RIGHT": "NavRight",
		"VOLUME_UP": "VolUp", "VOLUME_DOWN": "VolDwn", "MUTE": "Mute", "SPEAKER": "Speaker", "HEADSET": "Headset",
		"F1": "Soft1", "F2": "Soft2", "F3": "Soft3", "F4": "Soft4",
		"F_HOLD": "Hold", "F_R": "Hold", "ONHOOK": "Release",
		"*": "KeyPadStar", "#": "KeyPadPound",
	},
	Digits: true, Digit: "KeyPad", Line: "Line", MaxLine: maxLineKey,
}

// maxLineKey is the highest Key:LineN the guide lists.
const maxLineKey = 120

// The call service asks for KeySender; the compiler keeps SendKeys in its
// shape.
var _ phone.KeySender = (*Driver)(nil)

// SendKeys pushes one Key: URI per request, waiting out each key's press
// time and the pause before the next itself: an ExecuteItem carries no
// timing. A key Cisco lacks fails before any key is pressed.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	op := "press the keys " + keys.String()
	return phone.PressOneByOne(ctx, Brand, keys, keyMap, d.Sleep, func(ctx context.Context, uri string) error {
		return d.execute(ctx, op, []string{uri})
	})
}
