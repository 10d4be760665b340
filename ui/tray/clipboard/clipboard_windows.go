package clipboard

import (
	"errors"
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32           = windows.NewLazySystemDLL("user32.dll")
	kernel32         = windows.NewLazySystemDLL("kernel32.dll")
	openClipboard    = user32.NewProc("OpenClipboard")
	closeClipboard   = user32.NewProc("CloseClipboard")
	getClipboardData = user32.NewProc("GetClipboardData")
	isFormatAvail    = user32.NewProc("IsClipboardFormatAvailable")
	globalLock       = kernel32.NewProc("GlobalLock")
	globalUnlock     = kernel32.NewProc("GlobalUnlock")
	globalSize       = kernel32.NewProc("GlobalSize")
)

const cfUnicodeText = 13

func platform(r *Reader) { r.native = readWindows }

// open opens the clipboard. Another program may hold it open for a
// moment, so opening is retried briefly.
func open() error {
	var opened uintptr
	var err error
	for range 10 {
		if opened, _, err = openClipboard.Call(0); opened != 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("the clipboard is in use by another program: %w", err)
}

// readWindows reads CF_UNICODETEXT.
func readWindows() (string, error) {
	if ok, _, _ := isFormatAvail.Call(cfUnicodeText); ok == 0 {
		return "", nil
	}
	if err := open(); err != nil {
		return "", err
	}
	defer closeClipboard.Call()
	h, _, err := getClipboardData.Call(cfUnicodeText)
	if h == 0 {
		return "", fmt.Errorf("reading the clipboard: %w", err)
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		return "", fmt.Errorf("reading the clipboard: %w", err)
	}
	defer globalUnlock.Call(h)
	size, _, _ := globalSize.Call(h)
	n := min(int(size)/2, MaxText)
	if n == 0 {
		return "", errors.New("the clipboard's text is empty")
	}
	// p is memory the clipboard owns and GlobalLock pinned; it is not Go
	// memory, so turning the address into a pointer is safe here.
	u := unsafe.Slice(*(**uint16)(unsafe.Pointer(&p)), n)
	for i, c := range u {
		if c == 0 {
			u = u[:i]
			break
		}
	}
	return syscall.UTF16ToString(u), nil
}

var (
	emptyClipboard   = user32.NewProc("EmptyClipboard")
	setClipboardData = user32.NewProc("SetClipboardData")
	globalAlloc      = kernel32.NewProc("GlobalAlloc")
	globalFree       = kernel32.NewProc("GlobalFree")
)

const gmemMoveable = 0x0002

// WriteText puts text on the clipboard as CF_UNICODETEXT, replacing what
// it held; "" leaves it empty. The hotkey's simulated copy uses it to
// give the person their clipboard back.
func WriteText(text string) error {
	if err := open(); err != nil {
		return err
	}
	defer closeClipboard.Call()
	if ok, _, err := emptyClipboard.Call(); ok == 0 {
		return fmt.Errorf("emptying the clipboard: %w", err)
	}
	if text == "" {
		return nil
	}
	u, err := syscall.UTF16FromString(text)
	if err != nil {
		return fmt.Errorf("the text holds a NUL: %w", err)
	}
	h, _, err := globalAlloc.Call(gmemMoveable, uintptr(len(u)*2))
	if h == 0 {
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		globalFree.Call(h)
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	// p is memory GlobalAlloc made and GlobalLock pinned, not Go memory.
	copy(unsafe.Slice(*(**uint16)(unsafe.Pointer(&p)), len(u)), u)
	globalUnlock.Call(h)
	if ok, _, err := setClipboardData.Call(cfUnicodeText, h); ok == 0 {
		globalFree.Call(h) // the clipboard did not take it
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	return nil
}
