//go:build windows

package integrate

import "github.com/dialbridge/dialbridge/packaging/winreg"

// ForThisOS is the integration of the platform this binary runs on.
func ForThisOS(env Env) (Desktop, error) { return Windows(env, winreg.CurrentUser{}), nil }
