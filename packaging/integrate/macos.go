package integrate

import (
	"context"
	"path/filepath"

	"github.com/dialbridge/dialbridge/packaging/macos"
	"github.com/dialbridge/dialbridge/packaging/run"
)

// macDesktop is the macOS integration: LaunchServices and a LaunchAgent.
type macDesktop struct {
	handler   macos.Handler
	autostart macos.LaunchAgent
}

// MacOS returns the macOS integration; runner runs osascript and lsregister.
func MacOS(env Env, runner run.Func) Desktop {
	return macDesktop{
		handler: macos.Handler{
			BundleID: AppID, Exe: env.Exe, Schemes: Schemes, Run: runner,
			// tel: belongs to FaceTime on a fresh Mac.
			Fallback: map[string]string{"tel": "com.apple.FaceTime"},
		},
		autostart: macos.LaunchAgent{Dir: filepath.Join(env.Home, "Library", "LaunchAgents"), Label: AppID, Exe: env.Exe},
	}
}

func (d macDesktop) RegisterHandler(ctx context.Context) error   { return d.handler.Register(ctx) }
func (d macDesktop) UnregisterHandler(ctx context.Context) error { return d.handler.Unregister(ctx) }
func (d macDesktop) HandlerStatus(ctx context.Context) (map[string]bool, error) {
	return d.handler.Status(ctx)
}
func (d macDesktop) ConfirmHint() string                           { return "" }
func (d macDesktop) SetAutostart(_ context.Context, on bool) error { return d.autostart.Set(on) }
func (d macDesktop) Autostart(context.Context) (bool, error)       { return d.autostart.Enabled() }
