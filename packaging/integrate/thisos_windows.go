//go:build windows

package integrate

import (
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// ForThisOS is the integration of the platform this binary runs on.
func ForThisOS(env Env) (Desktop, error) { return Windows(env, winreg.CurrentUser{}), nil }

// userRegistry is HKEY_CURRENT_USER, where Windows browsers look up the
// host manifests.
func userRegistry() nativehost.Registry { return winreg.CurrentUser{} }
