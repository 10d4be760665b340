//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package trayapp

import (
	"context"
	"time"
)

// trayUsable: Windows and macOS always have a notification area.
func trayUsable() error { return nil }

// awaitTrayHost: the notification area is part of the system there.
func awaitTrayHost(context.Context, time.Duration) bool { return true }

// noTrayHostAdvice is never logged where the system has a tray.
const noTrayHostAdvice = ""
