// Package hotkey is dialbridge's global hotkey ([desktop] hotkey): it
// takes one key combination for the whole desktop, tells the resident each
// time it is pressed, and reads the text the person had selected, which the
// resident then dials like the tray's clipboard item.
//
// On X11 both the grab and the PRIMARY selection go over the X protocol
// directly (github.com/jezek/xgb, pure Go, no Xlib): golang.design/x/hotkey,
// the usual library, panics at program start where there is no X display
// (a headless `dialbridge serve`), lets Xlib end the whole program when the
// key is taken, and cannot let go of a key until it is pressed once more,
// so Settings could not change it. On Windows and macOS, where those
// problems do not exist, golang.design/x/hotkey registers the key, and the
// selection is taken with a simulated copy, the clipboard restored after.
package hotkey

import (
	"errors"
	"fmt"
	"time"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// ErrTaken means another program holds the combination already: the
// desktop gives each combination to one program only.
var ErrTaken = errors.New("taken by another program")

// TakenError says which combination another program holds.
type TakenError struct{ Combo keys.Combo }

func (e *TakenError) Error() string {
	return fmt.Sprintf("%s is already taken by another program", e.Combo.Label())
}

// Is makes errors.Is(err, ErrTaken) true.
func (e *TakenError) Is(target error) bool { return target == ErrTaken }

// MaxText bounds the selection read: a phone number is short, and a whole
// selected page is no number anyway.
const MaxText = 1 << 10

// ErrTooLong means the selection is far longer than any phone number.
var ErrTooLong = fmt.Errorf("the selected text is longer than %d bytes: select just the phone number", MaxText)

// debounce is how long the key must rest before a press counts again:
// holding it down repeats the press, and one hold must dial once.
const debounce = 700 * time.Millisecond

// Grab is one registered hotkey, held until Close.
type Grab struct {
	release func()
}

// NewGrab is a Grab that release ends: what Register returns on each
// platform, and what a stand-in for it in a test returns.
func NewGrab(release func()) *Grab { return &Grab{release: release} }

// Close gives the combination back to the desktop. It returns at once,
// so that Settings can change the key while dialbridge runs.
func (g *Grab) Close() {
	if g != nil && g.release != nil {
		g.release()
		g.release = nil
	}
}

// repeatFilter lets through the first press of a hold: a press counts
// when the previous one (held or not) is longer than debounce ago.
type repeatFilter struct{ last time.Time }

func (f *repeatFilter) counts(now time.Time) bool {
	ok := f.last.IsZero() || now.Sub(f.last) > debounce
	f.last = now
	return ok
}
