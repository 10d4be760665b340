//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package main

// trayUsable: Windows and macOS always have a notification area.
func trayUsable() error { return nil }
