// Package phonekeys binds the phone's function keys to dialbridge
// ([[phone.keys]]): it writes each binding into the phone (the key then
// requests its URL on the phone-event path, /phone/<token>/key/<N>) and
// runs the bound action when the phone requests it. The actions are the
// call service's own operations, so a key does exactly what the tray, the
// windows and the command line do.
package phonekeys

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// Calls is the call service as the keys use it (*calls.Service).
type Calls interface {
	Dial(ctx context.Context, cmd control.DialCommand) (string, error)
	CallBackMissed(ctx context.Context, source string) (string, error)
	OpenCRM(ctx context.Context) error
	ControlCurrent(ctx context.Context, op string) error
	ToggleHold(ctx context.Context) error
	ToggleDND(ctx context.Context) (control.DND, error)
	SendKeys(ctx context.Context, text string) error
}

// PresserOptions configure a Presser.
type PresserOptions struct {
	Calls Calls
	// Config returns the current config: its [[phone.keys]] say what
	// each key does.
	Config func() config.Config
	// Clipboard reads the text on the clipboard, as the tray's "dial
	// the clipboard" item does; nil when there is none to read.
	Clipboard func(ctx context.Context) (string, error)
	// Failed hears of an action that failed (the tray notifies); the log
	// gets it in any case.
	Failed func(key config.PhoneKey, err error)
	// Timeout bounds one action; 0 means 30 s.
	Timeout time.Duration
	Log     *slog.Logger
}

// Presser runs the action bound to a key when the phone requests the key's
// URL (phoneevents.KeyPresser).
type Presser struct {
	o       PresserOptions
	running sync.WaitGroup
}

// NewPresser returns a Presser.
func NewPresser(o PresserOptions) *Presser {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Presser{o: o}
}

var _ phoneevents.KeyPresser = (*Presser)(nil)

// Binding returns the [[phone.keys]] binding of key n.
func Binding(cfg config.Config, n int) (config.PhoneKey, bool) {
	for _, k := range cfg.Phone.Keys {
		if k.Key == n {
			return k, true
		}
	}
	return config.PhoneKey{}, false
}

// PressKey starts the action bound to key n and returns at once, so that
// the phone's request does not wait for a dial; ErrKeyNotBound when no
// binding names n.
func (p *Presser) PressKey(n int) error {
	k, ok := Binding(p.o.Config(), n)
	if !ok {
		return phoneevents.ErrKeyNotBound
	}
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		ctx, cancel := context.WithTimeout(context.Background(), p.o.Timeout)
		defer cancel()
		if err := p.Run(ctx, k); err != nil {
			p.o.Log.Warn("a phone key's action failed", "key", k.Key, "action", k.Action, "error", err)
			if p.o.Failed != nil {
				p.o.Failed(k, err)
			}
		}
	}()
	return nil
}

// Wait waits for the actions that were started to finish.
func (p *Presser) Wait() { p.running.Wait() }

// Run does what k is bound to, and returns when it is done.
func (p *Presser) Run(ctx context.Context, k config.PhoneKey) error {
	source := control.SourcePhoneKey(k.Key)
	verb, arg := k.Verb()
	c := p.o.Calls
	var err error
	switch verb {
	case "dial":
		_, err = c.Dial(ctx, control.DialCommand{Number: arg, Typed: true, Source: source})
	case "callback_missed":
		_, err = c.CallBackMissed(ctx, source)
	case "dial_clipboard":
		err = p.dialClipboard(ctx, source)
	case "open_crm":
		err = c.OpenCRM(ctx)
	case "answer", "hangup":
		err = c.ControlCurrent(ctx, verb)
	case "hold":
		err = c.ToggleHold(ctx)
	case "dnd":
		_, err = c.ToggleDND(ctx)
	case "keys":
		err = c.SendKeys(ctx, arg)
	default:
		return fmt.Errorf("%q is not one of %s", k.Action, strings.Join(config.KeyActions, ", "))
	}
	return err
}

// dialClipboard dials the clipboard's text the way the tray's clipboard
// item does: not typed by the person, so the blocked list applies.
func (p *Presser) dialClipboard(ctx context.Context, source string) error {
	if p.o.Clipboard == nil {
		return sentence.New("fkeys.err.no_clipboard", "This dialbridge cannot read the clipboard.", nil, nil)
	}
	text, err := ClipboardNumber(ctx, p.o.Clipboard)
	if err != nil {
		return err
	}
	_, err = p.o.Calls.Dial(ctx, control.DialCommand{Number: text, Source: source})
	return err
}

// ClipboardNumber reads the clipboard with read for a dial, refusing an
// empty one with a sentence: the one reading the tray's clipboard item
// and a phone key's dial_clipboard share.
func ClipboardNumber(ctx context.Context, read func(context.Context) (string, error)) (string, error) {
	text, err := read(ctx)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(text) == "" {
		return "", sentence.New("fkeys.err.empty_clipboard", "The clipboard holds no phone number.", nil, nil)
	}
	return text, nil
}
