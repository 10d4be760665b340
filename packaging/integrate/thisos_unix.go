//go:build !windows && !darwin

package integrate

import (
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/packaging/run"
)

// ForThisOS is the integration of the platform this binary runs on.
func ForThisOS(env Env) (Desktop, error) { return XDG(env, run.Exec(nil)) }

// userRegistry is nil: browsers here read manifest folders only.
func userRegistry() nativehost.Registry { return nil }
