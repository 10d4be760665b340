//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package notify

// service: the system's notifications are always there on Windows and
// macOS.
func service() error { return nil }
