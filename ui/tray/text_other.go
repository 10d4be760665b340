//go:build !((linux || freebsd || openbsd || netbsd) && !android) && !windows

package tray

// menuText is the label as is: macOS menus have no access-key marker.
func menuText(s string) string { return s }
