package integrate

import (
	"context"

	"github.com/dialbridge/dialbridge/packaging/run"
	"github.com/dialbridge/dialbridge/packaging/xdg"
)

// xdgDesktop is the freedesktop.org integration (Linux, BSD).
type xdgDesktop struct {
	handler   xdg.Handler
	autostart xdg.Autostart
}

// XDG returns the freedesktop.org integration for env; runner runs
// xdg-mime and update-desktop-database.
func XDG(env Env, runner run.Func) (Desktop, error) {
	dirs, err := xdg.DirsFromEnv(env.Getenv, env.Home)
	if err != nil {
		return nil, err
	}
	return xdgDesktop{
		handler:   xdg.Handler{Dirs: dirs, Exe: env.Exe, Schemes: Schemes, Run: runner},
		autostart: xdg.Autostart{Dirs: dirs, Exe: env.Exe},
	}, nil
}

func (d xdgDesktop) RegisterHandler(ctx context.Context) error   { return d.handler.Register(ctx) }
func (d xdgDesktop) UnregisterHandler(ctx context.Context) error { return d.handler.Unregister(ctx) }
func (d xdgDesktop) HandlerStatus(ctx context.Context) (map[string]bool, error) {
	return d.handler.Status(ctx)
}
func (d xdgDesktop) ConfirmHint() string                           { return "" }
func (d xdgDesktop) SetAutostart(_ context.Context, on bool) error { return d.autostart.Set(on) }
func (d xdgDesktop) Autostart(context.Context) (bool, error)       { return d.autostart.Enabled() }
