//go:build (linux || freebsd || openbsd || netbsd) && !android

package hotkey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// xgb logs each connection's missing ~/.Xauthority and any event it cannot
// decode to stderr; what matters reaches the resident's log as errors.
func init() { xgb.Logger = log.New(io.Discard, "", 0) }

// The X modifier masks of the combination's modifiers, as X servers set
// them up by default (Alt on Mod1, Super on Mod4).
var x11Mods = map[keys.Mods]uint16{
	keys.Ctrl:  xproto.ModMaskControl,
	keys.Alt:   xproto.ModMask1,
	keys.Shift: xproto.ModMaskShift,
	keys.Super: xproto.ModMask4,
}

// lockMasks are the locks a person may have on (Caps Lock, Num Lock on
// Mod2): X matches a grab only with the exact modifiers, so the key is
// grabbed once with each of them, and the hotkey works whatever is on.
var lockMasks = []uint16{0, xproto.ModMaskLock, xproto.ModMask2, xproto.ModMaskLock | xproto.ModMask2}

// Limits is what the person should know about the hotkey on this
// desktop, "" when nothing: under Wayland the X grab sees only keys
// pressed in programs that run through XWayland.
func Limits() string {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		return "this is a Wayland session: the hotkey works only while a program running through XWayland has the focus, and reads the selection those programs make"
	}
	return ""
}

// keysym is the X keysym of a key name keys.Combo holds.
func keysym(key string) xproto.Keysym {
	switch {
	case key == "space":
		return 0x20
	case keys.FnNumber(key) > 0:
		return xproto.Keysym(0xffbe + keys.FnNumber(key) - 1) // XK_F1 onwards
	}
	return xproto.Keysym(key[0]) // a-z and 0-9 are their ASCII codes
}

// keycode finds the key that types sym on this keyboard.
func keycode(conn *xgb.Conn, sym xproto.Keysym) (xproto.Keycode, error) {
	setup := xproto.Setup(conn)
	count := byte(setup.MaxKeycode - setup.MinKeycode + 1)
	m, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, count).Reply()
	if err != nil {
		return 0, fmt.Errorf("reading the keyboard map: %w", err)
	}
	per := int(m.KeysymsPerKeycode)
	for i := 0; i*per < len(m.Keysyms); i++ {
		for _, s := range m.Keysyms[i*per : (i+1)*per] {
			if s == sym {
				return setup.MinKeycode + xproto.Keycode(i), nil
			}
		}
	}
	return 0, fmt.Errorf("this keyboard has no key for keysym %#x", sym)
}

// Register takes c for the whole X display and calls pressed, on a
// goroutine of its own, each time the person presses it. A combination
// another program holds is a *TakenError (errors.Is ErrTaken).
func Register(c keys.Combo, pressed func()) (*Grab, error) {
	if c.IsZero() {
		return nil, errors.New("no key combination to register")
	}
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("the X display %q cannot be reached for the hotkey: %w", os.Getenv("DISPLAY"), err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	code, err := keycode(conn, keysym(c.Key))
	if err != nil {
		conn.Close()
		return nil, err
	}
	var mods uint16
	for m, mask := range x11Mods {
		if c.Mods&m != 0 {
			mods |= mask
		}
	}
	for _, lock := range lockMasks {
		err := xproto.GrabKeyChecked(conn, false, root, mods|lock, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		var access xproto.AccessError
		if errors.As(err, &access) {
			conn.Close() // the server drops this connection's other grabs
			return nil, &TakenError{Combo: c}
		}
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("grabbing %s: %w", c.Label(), err)
		}
	}
	go func() {
		var f repeatFilter
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return // the connection was closed: Close
			}
			if kp, ok := ev.(xproto.KeyPressEvent); ok && kp.Detail == code && f.counts(time.Now()) {
				go pressed()
			}
		}
	}()
	// Closing the connection ends every grab it holds: the server frees
	// them with the client, whatever the event loop is doing.
	return &Grab{release: conn.Close}, nil
}

// Selection is the PRIMARY selection's text: what the person selected
// last, in any X program. "" when nothing is selected.
func Selection(ctx context.Context) (string, error) {
	conn, err := xgb.NewConn()
	if err != nil {
		return "", fmt.Errorf("the X display %q cannot be reached to read the selection: %w", os.Getenv("DISPLAY"), err)
	}
	defer conn.Close()
	owner, err := xproto.GetSelectionOwner(conn, xproto.AtomPrimary).Reply()
	if err != nil {
		return "", fmt.Errorf("asking who holds the selection: %w", err)
	}
	if owner.Owner == xproto.WindowNone {
		return "", nil
	}
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		return "", err
	}
	if err := xproto.CreateWindowChecked(conn, 0, win, screen.Root, 0, 0, 1, 1, 0,
		xproto.WindowClassInputOnly, screen.RootVisual, 0, nil).Check(); err != nil {
		return "", fmt.Errorf("making a window to receive the selection: %w", err)
	}
	prop, err := atom(conn, "DIALBRIDGE_SELECTION")
	if err != nil {
		return "", err
	}
	utf8, err := atom(conn, "UTF8_STRING")
	if err != nil {
		return "", err
	}
	incr, err := atom(conn, "INCR")
	if err != nil {
		return "", err
	}
	// Programs that predate UTF-8 answer only STRING (Latin-1; a phone
	// number is ASCII either way).
	for _, target := range []xproto.Atom{utf8, xproto.AtomString} {
		got, err := convert(ctx, conn, win, target, prop)
		if err != nil {
			return "", err
		}
		if !got {
			continue
		}
		r, err := xproto.GetProperty(conn, true, win, prop, xproto.GetPropertyTypeAny, 0, MaxText/4+1).Reply()
		if err != nil {
			return "", fmt.Errorf("reading the selection: %w", err)
		}
		if r.Type == incr || r.BytesAfter > 0 || len(r.Value) > MaxText {
			return "", ErrTooLong
		}
		return string(r.Value), nil
	}
	return "", nil
}

// convert asks the selection's owner to put PRIMARY as target into prop
// of win, and reports whether it did.
func convert(ctx context.Context, conn *xgb.Conn, win xproto.Window, target, prop xproto.Atom) (bool, error) {
	xproto.ConvertSelection(conn, win, xproto.AtomPrimary, target, prop, xproto.TimeCurrentTime)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	answer := make(chan xproto.SelectionNotifyEvent, 1)
	go func() {
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			if n, ok := ev.(xproto.SelectionNotifyEvent); ok && n.Requestor == win {
				answer <- n
				return
			}
		}
	}()
	select {
	case n := <-answer:
		return n.Property != xproto.AtomNone, nil
	case <-ctx.Done():
		conn.Close() // ends the goroutine above
		return false, fmt.Errorf("the program holding the selection did not hand it over: %w", ctx.Err())
	}
}

// atom is the X atom called name.
func atom(conn *xgb.Conn, name string) (xproto.Atom, error) {
	r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("naming %s: %w", name, err)
	}
	return r.Atom, nil
}
