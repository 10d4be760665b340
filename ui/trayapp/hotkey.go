package trayapp

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/ui/hotkey"
	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// Hotkey is how the tray app reaches the desktop's global hotkey and the
// selection (ui/hotkey); tests replace it.
type Hotkey struct {
	// Register takes the combination for the whole desktop and calls
	// pressed each time it is pressed.
	Register func(c keys.Combo, pressed func()) (*hotkey.Grab, error)
	// Selection is the text the person has selected now.
	Selection func(ctx context.Context) (string, error)
	// Limits is what the person should know about the hotkey on this
	// desktop, "" for nothing.
	Limits func() string
}

// hotkeyState is the hotkey registered now.
type hotkeyState struct {
	mu    sync.Mutex
	combo keys.Combo
	grab  *hotkey.Grab
	// watch starts the one goroutine that gives the key back at the end.
	watch sync.Once
}

// SetHotkey registers value ([desktop] hotkey, "" for none) as the
// hotkey that dials the selected text, in place of the one before; the
// resident calls it at start and whenever the settings are saved, so
// that a new key works without a restart. A key another program holds
// is said in one sentence, in the log and as a notification. The hotkey
// is given back when ctx ends.
func (a *App) SetHotkey(ctx context.Context, value string) {
	c, err := keys.Parse(value)
	if err != nil {
		// The config's validation refuses such a value before it gets
		// here; an invalid one must still grab nothing.
		a.d.Log.Warn("the hotkey is not a key combination dialbridge can use", "hotkey", value, "error", err.Error())
		c = keys.Combo{}
	}
	h := &a.hotkey
	h.mu.Lock()
	defer h.mu.Unlock()
	if c == h.combo && (h.grab != nil || c.IsZero()) {
		return
	}
	h.grab.Close()
	h.grab, h.combo = nil, c
	if c.IsZero() {
		return
	}
	g, err := a.d.Hotkey.Register(c, func() { a.pressed(ctx) })
	switch {
	case errors.Is(err, hotkey.ErrTaken):
		a.d.Log.Warn(c.Label() + " is already taken by another program; choose another key in Settings → Dialing rules.")
		a.d.Notes.Notice(lang.L("Hotkey not available"), lang.L("{{.Key}} is already taken by another program; choose another key in Settings → Dialing rules.", map[string]any{"Key": c.Label()}))
		return
	case err != nil:
		a.d.Log.Warn("the hotkey could not be registered", "hotkey", c.Label(), "error", err.Error())
		a.d.Notes.Notice(lang.L("Hotkey not available"), err.Error())
		return
	}
	h.grab = g
	a.d.Log.Info("the hotkey dials the selected text", "hotkey", c.Label())
	if limits := a.d.Hotkey.Limits(); limits != "" {
		a.d.Log.Info("about the hotkey: " + limits)
	}
	h.watch.Do(func() {
		go func() {
			<-ctx.Done()
			h.mu.Lock()
			defer h.mu.Unlock()
			h.grab.Close()
			h.grab = nil
		}()
	})
}

// pressed dials the selected text, reporting a failure as the tray's
// clicks do.
func (a *App) pressed(ctx context.Context) {
	a.report("hotkey", a.DialSelection(ctx))
}

// DialSelection dials the text selected now, like the tray's clipboard
// item dials the clipboard: text from another program was not typed by
// the person, so the blocked list applies.
func (a *App) DialSelection(ctx context.Context) error {
	text, err := a.d.Hotkey.Selection(ctx)
	if err != nil {
		return err
	}
	if text == "" {
		return errors.New(lang.L("Nothing is selected: select a phone number, then press the hotkey."))
	}
	return a.dial(ctx, text, false, control.SourceHotkey)
}
