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

// readWindows reads CF_UNICODETEXT. Another program may hold the
// clipboard open for a moment, so opening is retried briefly.
func readWindows() (string, error) {
	if ok, _, _ := isFormatAvail.Call(cfUnicodeText); ok == 0 {
		return "", nil
	}
	var opened uintptr
	var err error
	for range 10 {
		if opened, _, err = openClipboard.Call(0); opened != 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if opened == 0 {
		return "", fmt.Errorf("the clipboard is in use by another program: %w", err)
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
