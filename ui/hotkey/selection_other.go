//go:build !windows && !darwin && !((linux || freebsd || openbsd || netbsd) && !android)

package hotkey

import "context"

// Selection fails: this system has no selection dialbridge can read.
func Selection(context.Context) (string, error) { return "", errNoHotkey }

// Limits is what the person should know about the hotkey here.
func Limits() string { return errNoHotkey.Error() }
