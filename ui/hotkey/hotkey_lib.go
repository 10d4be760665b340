//go:build windows || (darwin && cgo)

package hotkey

import (
	"errors"
	"time"

	xhotkey "golang.design/x/hotkey"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// libKeys are golang.design/x/hotkey's codes of the keys a keys.Combo
// may hold, which differ between Windows (virtual keys) and macOS.
var libKeys = map[string]xhotkey.Key{
	"a": xhotkey.KeyA, "b": xhotkey.KeyB, "c": xhotkey.KeyC, "d": xhotkey.KeyD, "e": xhotkey.KeyE, "f": xhotkey.KeyF,
	"g": xhotkey.KeyG, "h": xhotkey.KeyH, "i": xhotkey.KeyI, "j": xhotkey.KeyJ, "k": xhotkey.KeyK, "l": xhotkey.KeyL,
	"m": xhotkey.KeyM, "n": xhotkey.KeyN, "o": xhotkey.KeyO, "p": xhotkey.KeyP, "q": xhotkey.KeyQ, "r": xhotkey.KeyR,
	"s": xhotkey.KeyS, "t": xhotkey.KeyT, "u": xhotkey.KeyU, "v": xhotkey.KeyV, "w": xhotkey.KeyW, "x": xhotkey.KeyX,
	"y": xhotkey.KeyY, "z": xhotkey.KeyZ,
	"0": xhotkey.Key0, "1": xhotkey.Key1, "2": xhotkey.Key2, "3": xhotkey.Key3, "4": xhotkey.Key4,
	"5": xhotkey.Key5, "6": xhotkey.Key6, "7": xhotkey.Key7, "8": xhotkey.Key8, "9": xhotkey.Key9,
	"f1": xhotkey.KeyF1, "f2": xhotkey.KeyF2, "f3": xhotkey.KeyF3, "f4": xhotkey.KeyF4, "f5": xhotkey.KeyF5, "f6": xhotkey.KeyF6,
	"f7": xhotkey.KeyF7, "f8": xhotkey.KeyF8, "f9": xhotkey.KeyF9, "f10": xhotkey.KeyF10, "f11": xhotkey.KeyF11, "f12": xhotkey.KeyF12,
	"space": xhotkey.KeySpace,
}

// Register takes c for the whole desktop and calls pressed, on a
// goroutine of its own, each time the person presses it. A combination
// another program holds is a *TakenError (errors.Is ErrTaken).
func Register(c keys.Combo, pressed func()) (*Grab, error) {
	key, ok := libKeys[c.Key]
	if c.IsZero() || !ok {
		return nil, errors.New("no key combination to register")
	}
	var mods []xhotkey.Modifier
	for m, lib := range libMods {
		if c.Mods&m != 0 {
			mods = append(mods, lib)
		}
	}
	hk := xhotkey.New(mods, key)
	if err := hk.Register(); err != nil {
		if taken(err) {
			return nil, &TakenError{Combo: c}
		}
		return nil, err
	}
	down := hk.Keydown()
	done := make(chan struct{})
	go func() {
		var f repeatFilter
		for {
			select {
			case _, ok := <-down:
				if !ok {
					return
				}
				if f.counts(time.Now()) {
					go pressed()
				}
			case <-done:
				return
			}
		}
	}()
	return NewGrab(func() {
		close(done)
		_ = hk.Unregister()
	}), nil
}
