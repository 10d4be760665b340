//go:build !darwin || !cgo

package macos

// OnOpenURL does nothing and returns false: links arrive as Apple Events
// only on macOS (built with cgo); elsewhere the desktop starts
// `dialbridge tel:...` with the link as its argument.
func OnOpenURL(func(url string)) bool { return false }
