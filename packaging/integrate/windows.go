package integrate

import (
	"context"

	"github.com/dialbridge/dialbridge/packaging/winreg"
	"github.com/dialbridge/dialbridge/packaging/winshell"
)

// windowsDesktop is the Windows shell integration, in HKEY_CURRENT_USER.
type windowsDesktop struct {
	handler   winshell.Handler
	autostart winshell.Autostart
}

// Windows returns the Windows integration writing to reg (the real
// HKEY_CURRENT_USER on Windows, winreg.Memory anywhere for tests).
func Windows(env Env, reg winreg.Registry) Desktop {
	app := winshell.App{Name: Name, Description: Description, Exe: env.Exe}
	return windowsDesktop{
		handler:   winshell.Handler{Reg: reg, App: app, Schemes: Schemes},
		autostart: winshell.Autostart{Reg: reg, App: app},
	}
}

func (d windowsDesktop) RegisterHandler(context.Context) error   { return d.handler.Register() }
func (d windowsDesktop) UnregisterHandler(context.Context) error { return d.handler.Unregister() }
func (d windowsDesktop) HandlerStatus(context.Context) (map[string]bool, error) {
	return d.handler.Status()
}

// ConfirmHint: Windows lets only the person pick the default program.
func (d windowsDesktop) ConfirmHint() string {
	return "Windows asks you to confirm the choice: in Settings > Apps > Default apps, open dialbridge and pick it for TEL, CALLTO and SIP (" + d.handler.App.SettingsURI() + ")."
}
func (d windowsDesktop) SetAutostart(_ context.Context, on bool) error { return d.autostart.Set(on) }
func (d windowsDesktop) Autostart(context.Context) (bool, error)       { return d.autostart.Enabled() }
