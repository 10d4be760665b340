//go:build darwin && cgo

package macos

/*
#cgo CFLAGS: -x objective-c -fobjc-arc
#cgo LDFLAGS: -framework Foundation -framework CoreServices
void dialbridgeInstallURLHandler(void);
*/
import "C"

import "sync/atomic"

var onURL atomic.Pointer[func(string)]

//export dialbridgeOpenURL
func dialbridgeOpenURL(u *C.char) {
	if f := onURL.Load(); f != nil {
		url := C.GoString(u)
		// Called on the AppKit main thread: never block it.
		go (*f)(url)
	}
}

// OnOpenURL installs the handler of the kAEGetURL Apple Event, which is
// how LaunchServices hands a clicked tel:, callto: or sip: link to the
// bundle, and calls f with each link on its own goroutine. Call it before
// the tray's run loop starts (systray.Run), so that the link that launched
// the app is not lost. It returns true where it is supported.
func OnOpenURL(f func(url string)) bool {
	onURL.Store(&f)
	C.dialbridgeInstallURLHandler()
	return true
}
