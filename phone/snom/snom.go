// Package snom drives Snom desk phones over their HTTP remote control
// (command.htm: dial with number and outgoing_uri, key events, key_dtmf), as
// documented in the Snom wiki "Remote phone control" (docs/protocols.md).
package snom

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// Brand is this driver's name in the config file.
const Brand = "snom"

// commandPath is the page every remote-control request goes to.
const commandPath = "/command.htm"

// Driver controls a Snom phone through command.htm. The HTTP interface
// cannot address a particular call, so call IDs are ignored and every
// operation acts on the phone's current call, as a person at the desk would.
type Driver struct {
	phonehttp.Base
	// holdKey is the phone's HOLD key: F_HOLD, or F_R once a firmware
	// older than 8.7.3.7 refused F_HOLD (the key was named F_R there).
	holdKey atomic.Value
}

// New returns a driver for the phone that c talks to.
func New(c *phonehttp.Client) *Driver {
	d := &Driver{Base: phonehttp.NewBase(Brand, c)}
	d.holdKey.Store(keyHold)
	return d
}

// The HOLD key's names: F_HOLD since firmware 8.7.3.7, F_R before.
const (
	keyHold    = "F_HOLD"
	keyHoldOld = "F_R"
)

// Optional capabilities the call service asks for.
var (
	_ phone.AttendedTransferer = (*Driver)(nil)
	_ phone.DoNotDisturb       = (*Driver)(nil)
	_ phone.FirmwareLearner    = (*Driver)(nil)
	_ phone.KeySender          = (*Driver)(nil)
	_ phone.TextShower         = (*Driver)(nil)
)

// LearnFirmware reads the firmware version from the User-Agent of the
// phone's action URLs ("snom D785-SIP 10.1.159.12"): before 8.7.3.7 the
// HOLD key is F_R. A User-Agent without a version changes nothing.
func (d *Driver) LearnFirmware(userAgent string) {
	if v, ok := firmware(userAgent); ok {
		key := keyHold
		if slices.Compare(v, []int{8, 7, 3, 7}) < 0 {
			key = keyHoldOld
		}
		d.holdKey.Store(key)
	}
}

// firmware finds the version after "-SIP " in a Snom User-Agent.
func firmware(userAgent string) ([]int, bool) {
	i := strings.Index(userAgent, "-SIP ")
	if i < 0 || !strings.Contains(strings.ToLower(userAgent), "snom") {
		return nil, false
	}
	word, _, _ := strings.Cut(userAgent[i+len("-SIP "):], " ")
	word = strings.TrimRight(word, ";)")
	var v []int
	for _, part := range strings.Split(word, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		v = append(v, n)
	}
	return v, len(v) >= 2
}

// Descriptor tells the registry (phone/brands) how to drive Snom phones
// and how they report their calls.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: phonehttp.Opener(New),
		Events: EventFormat, Detect: []string{"snom"}, SettingsPage: "Setup › Action URL Settings", FunctionKeys: KeySettings}
}

// Capabilities: everything the keypad can do.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume |
		phone.CanTransfer | phone.CanDTMF | phone.CanConsult | phone.CanDND | phone.CanForward
}

// Dial asks the phone to dial opts.Number, from opts.Identity when set.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	q := url.Values{"number": {opts.Number}}
	if opts.Identity != "" {
		q.Set("outgoing_uri", opts.Identity)
	}
	return d.command(ctx, "dial", q)
}

// Answer presses ENTER, which picks up a ringing call on the default audio
// device (headset or speaker) rather than an imaginary lifted handset.
func (d *Driver) Answer(ctx context.Context, _ string) error {
	return d.keys(ctx, "answer a call", "ENTER")
}

// Hangup presses CANCEL: it ends a call in progress and rejects a ringing one.
func (d *Driver) Hangup(ctx context.Context, _ string) error {
	return d.keys(ctx, "hang up", "CANCEL")
}

// Hold presses the HOLD key (F_HOLD, or F_R on firmware before 8.7.3.7).
func (d *Driver) Hold(ctx context.Context, _ string) error {
	return d.hold(ctx, "put a call on hold")
}

// Resume presses the HOLD key again, which toggles the held call back.
func (d *Driver) Resume(ctx context.Context, _ string) error {
	return d.hold(ctx, "resume a held call")
}

// hold presses the HOLD key and, with the keys after it, whatever follows
// on the keypad. A phone that refuses F_HOLD gets F_R, the key's name
// before firmware 8.7.3.7, and keeps it from then on.
func (d *Driver) hold(ctx context.Context, op string, then ...string) error {
	key := d.holdKey.Load().(string)
	err := d.keys(ctx, op, append([]string{key}, then...)...)
	if key == keyHold && phone.KindOf(err) == phone.ErrRefused {
		if err2 := d.keys(ctx, op, append([]string{keyHoldOld}, then...)...); err2 == nil {
			d.holdKey.Store(keyHoldOld)
			return nil
		}
	}
	return err
}

// Transfer does a blind transfer the way the keypad does it: TRANSFER, the
// target's digits, ENTER.
func (d *Driver) Transfer(ctx context.Context, _ string, target string) error {
	const op = "transfer a call"
	digits, err := d.digitKeys(op, target)
	if err != nil {
		return err
	}
	return d.keys(ctx, op, append(append([]string{"TRANSFER"}, digits...), "ENTER")...)
}

// Consult starts the attended transfer as Snom documents it: HOLD holds
// the call, the target's digits and ENTER call the target, who can be
// told who is coming.
func (d *Driver) Consult(ctx context.Context, _ string, target string) error {
	const op = "hold the call and call the transfer target"
	digits, err := d.digitKeys(op, target)
	if err != nil {
		return err
	}
	return d.hold(ctx, op, append(digits, "ENTER")...)
}

// CompleteTransfer presses TRANSFER once the target has answered: the
// phone connects the held call with the target and leaves both.
func (d *Driver) CompleteTransfer(ctx context.Context, _, _ string) error {
	return d.keys(ctx, "complete the transfer", "TRANSFER")
}

// SetDND sets the phone's dnd_mode setting with the settings URL of the
// web interface (dummy.htm?settings=save), rather than pressing the DND
// key, which toggles and so cannot say on or off.
func (d *Driver) SetDND(ctx context.Context, on bool) error {
	mode, op := "off", "switch do not disturb off"
	if on {
		mode, op = "on", "switch do not disturb on"
	}
	return d.page(ctx, op, settingsSavePath, url.Values{"settings": {"save"}, "dnd_mode": {mode}}, nil)
}

// ForwardSettings are the settings that switch call forwarding "always"
// of the phone's first identity: fwd_all_enabled (Snom firmware 8.6.7 and
// later) makes the phone divert every call to that identity to
// fwd_all_target, the "Forward to" field. With the identity's On/Off codes
// left blank the phone diverts the calls itself (it answers each INVITE
// with a redirect to the target); with codes set, it dials them to have
// the PBX forward instead. An empty target switches forwarding off and
// leaves the last target in place, as the phone's own menu does.
// Identities are numbered from 1, and an indexed setting's name carries
// its index when it is written or listed by name.
func ForwardSettings(target string) []phone.Setting {
	if target == "" {
		return []phone.Setting{{Name: "fwd_all_enabled1", Value: "off"}}
	}
	return []phone.Setting{{Name: "fwd_all_target1", Value: target}, {Name: "fwd_all_enabled1", Value: "on"}}
}

// SetForward writes ForwardSettings with the settings URL of the web
// interface, like SetDND.
func (d *Driver) SetForward(ctx context.Context, target string) error {
	q := url.Values{"settings": {"save"}}
	for _, s := range ForwardSettings(target) {
		q.Set(s.Name, s.Value)
	}
	op := "forward its calls to " + target
	if target == "" {
		op = "stop forwarding its calls"
	}
	return d.page(ctx, op, settingsSavePath, q, nil)
}

// digitKeys turns a dial string into one key event per digit. The keypad
// has no "+" key: a number in international form must reach a Snom phone
// with its international prefix, which the dialing rules write when their
// format is national.
func (d *Driver) digitKeys(op, target string) ([]string, error) {
	var keys []string
	for _, r := range target {
		if !strings.ContainsRune("0123456789*#", r) {
			return nil, &phone.Error{Kind: phone.ErrRefused, Op: op, Brand: Brand,
				Detail: "its keypad has no \"" + string(r) + "\" key: set dialing.format to \"national\" so that numbers are written with the international prefix"}
		}
		keys = append(keys, string(r))
	}
	if len(keys) == 0 {
		return nil, &phone.Error{Kind: phone.ErrRefused, Op: op, Brand: Brand, Detail: "the number is empty"}
	}
	return keys, nil
}

// SendDTMF sends digits with key_dtmf, which the phone accepts during a call.
func (d *Driver) SendDTMF(ctx context.Context, _ string, digits string) error {
	return d.command(ctx, "send DTMF", url.Values{"key_dtmf": {digits}})
}

// SendKeys presses keys with one command.htm?key=... request holding the
// sequence as the person wrote it: the phone times the presses and pauses
// itself.
func (d *Driver) SendKeys(ctx context.Context, keys phone.KeySequence) error {
	text := keys.String()
	return d.pageRaw(ctx, "press the keys "+text, commandPath, keyQuery(text), nil)
}

// keys sends a chain of key events ("KEY;KEY;..."), the format of the
// Snom wiki.
func (d *Driver) keys(ctx context.Context, op string, keys ...string) error {
	return d.pageRaw(ctx, op, commandPath, keyQuery(strings.Join(keys, ";")), nil)
}

// keyQuery writes key=SEQUENCE the way Snom's page shows it, with the
// ';' between events and the ',' before the times as they are; '#' and
// '*' are escaped (%23, %2A), as the page advises.
func keyQuery(seq string) string {
	return "key=" + strings.NewReplacer("%2C", ",", "%3B", ";").Replace(url.QueryEscape(seq))
}

func (d *Driver) command(ctx context.Context, op string, q url.Values) error {
	return d.page(ctx, op, commandPath, q, nil)
}
