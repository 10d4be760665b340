package hotkey

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	xhotkey "golang.design/x/hotkey"
	"golang.org/x/sys/windows"

	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// libMods are the Windows modifiers of a combination's modifiers.
var libMods = map[keys.Mods]xhotkey.Modifier{
	keys.Ctrl: xhotkey.ModCtrl, keys.Alt: xhotkey.ModAlt, keys.Shift: xhotkey.ModShift, keys.Super: xhotkey.ModWin,
}

// taken reports whether RegisterHotKey refused because another program
// holds the combination.
func taken(err error) bool { return errors.Is(err, windows.ERROR_HOTKEY_ALREADY_REGISTERED) }

// Limits is what the person should know about the hotkey here: nothing.
func Limits() string { return "" }

var (
	user32           = windows.NewLazySystemDLL("user32.dll")
	sendInput        = user32.NewProc("SendInput")
	getAsyncKeyState = user32.NewProc("GetAsyncKeyState")
)

// Virtual keys of the modifiers the person may still hold, and of C.
const (
	vkShift   = 0x10
	vkControl = 0x11
	vkMenu    = 0x12 // Alt
	vkLWin    = 0x5B
	vkRWin    = 0x5C
	vkC       = 0x43

	inputKeyboard  = 1
	keyeventfKeyUp = 0x0002
)

// keyboardInput is SendInput's INPUT holding a KEYBDINPUT, laid out as
// on 64-bit Windows (40 bytes: the union is as large as MOUSEINPUT).
type keyboardInput struct {
	typ         uint32
	_           uint32
	vk, scan    uint16
	flags, time uint32
	extra       uintptr
	_           [8]byte
}

// sendCopy presses Ctrl+C in the program that has the focus, once the
// person let go of the hotkey's own modifiers (Alt still held would make
// it Ctrl+Alt+C).
func sendCopy() error {
	deadline := time.Now().Add(2 * time.Second)
	for held() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	in := []keyboardInput{
		{typ: inputKeyboard, vk: vkControl},
		{typ: inputKeyboard, vk: vkC},
		{typ: inputKeyboard, vk: vkC, flags: keyeventfKeyUp},
		{typ: inputKeyboard, vk: vkControl, flags: keyeventfKeyUp},
	}
	n, _, err := sendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		return fmt.Errorf("pressing Ctrl+C for the selection: %w", err)
	}
	return nil
}

// held reports whether a modifier key is down now.
func held() bool {
	for _, vk := range []uintptr{vkShift, vkControl, vkMenu, vkLWin, vkRWin} {
		if s, _, _ := getAsyncKeyState.Call(vk); s&0x8000 != 0 {
			return true
		}
	}
	return false
}
