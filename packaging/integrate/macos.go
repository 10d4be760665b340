package integrate

import (
	"path/filepath"

	"github.com/dialbridge/dialbridge/packaging/macos"
	"github.com/dialbridge/dialbridge/packaging/run"
)

// MacOS returns the macOS integration; runner runs osascript and lsregister.
func MacOS(env Env, runner run.Func) Desktop {
	return handlerDesktop{
		handler: macos.Handler{
			BundleID: AppID, Exe: env.Exe, Schemes: Schemes, Run: runner,
			// tel: belongs to FaceTime on a fresh Mac.
			Fallback: map[string]string{"tel": "com.apple.FaceTime"},
		},
		autostart: macos.LaunchAgent{Dir: filepath.Join(env.Home, "Library", "LaunchAgents"), Label: AppID, Exe: env.Exe},
	}
}
