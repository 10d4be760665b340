//go:build darwin

package integrate

import "github.com/dialbridge/dialbridge/packaging/run"

// ForThisOS is the integration of the platform this binary runs on.
func ForThisOS(env Env) (Desktop, error) { return MacOS(env, run.Exec(nil)), nil }
