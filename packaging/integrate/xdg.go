package integrate

import (
	"github.com/dialbridge/dialbridge/packaging/run"
	"github.com/dialbridge/dialbridge/packaging/xdg"
)

// XDG returns the freedesktop.org integration for env; runner runs
// xdg-mime and update-desktop-database.
func XDG(env Env, runner run.Func) (Desktop, error) {
	dirs, err := xdg.DirsFromEnv(env.Getenv, env.Home)
	if err != nil {
		return nil, err
	}
	return handlerDesktop{
		handler:   xdg.Handler{Dirs: dirs, Exe: env.Exe, Schemes: Schemes, Run: runner},
		autostart: xdg.Autostart{Dirs: dirs, Exe: env.Exe},
	}, nil
}
