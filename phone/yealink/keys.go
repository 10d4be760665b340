package yealink

import (
	"context"
	"net/url"
	"strconv"

	"github.com/dialbridge/dialbridge/phone"
)

// keyNames are the Snom keys a Yealink phone has, by the names of the
// Action URI's key list in Yealink's administrator guides. The Action URI
// takes no press time or pause, so SendKeys presses one key per request and
// waits itself. Keys not listed here (MENU, REC, DND, the expansion
// module's EK keys) have no Action URI name.
var keyNames = map[string]string{
	"ENTER": "OK", "CANCEL": "X",
	"OFFHOOK": "OFFHOOK", "ONHOOK": "ONHOOK",
	"UP": "UP", "DOWN": "DOWN", "LEFT": "LEFT", "RIGHT": "RIGHT",
	"VOLUME_UP": "VOLUME_UP", "VOLUME_DOWN": "VOLUME_DOWN",
	"MUTE": "MUTE", "REDIAL": "RD", "SPEAKER": "SPEAKER", "HEADSET": "HEADSET",
	"TRANSFER": "F_TRANSFER", "F_HOLD": "F_HOLD", "F_R": "F_HOLD",
	"F1": "F1", "F2": "F2", "F3": "F3", "F4": "F4",
	"*": "STAR", "#": "POUND",
}

// maxLineKey is the most line keys (L1..) a Yealink model has (T48 series:
// 29); a Snom function key Pn becomes line key Ln.
const maxLineKey = 29

// yealinkKey is the Action URI's name for a Snom key, ok false when a
// Yealink phone has no such key.
func yealinkKey(snom string) (string, bool) {
	if name, ok := keyNames[snom]; ok {
		return name, true
	}
	if len(snom) == 1 && snom[0] >= '0' && snom[0] <= '9' {
		return snom, true
	}
	if len(snom) > 1 && snom[0] == 'P' {
		if n, err := strconv.Atoi(snom[1:]); err == nil && n >= 1 && n <= maxLineKey {
			return "L" + snom[1:], true
		}
	}
	return "", false
}

// SendKeys presses keys one by one through the Action URI (key=NAME), in
// Yealink's names, waiting out each key's press time and the pause before
// the next itself. A key Yealink lacks fails before any key is pressed.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	op := "press the keys " + keys.String()
	return phone.PressOneByOne(ctx, Brand, keys, yealinkKey, d.Sleep, func(ctx context.Context, key string) error {
		return d.send(ctx, op, "key="+url.QueryEscape(key))
	})
}
