// Package integrate is dialbridge's one door to the operating system's
// desktop: making it the handler of phone links and starting it at login,
// whatever the platform. `dialbridge register|unregister|autostart` and
// the Settings window use it; the per-platform work lives in
// packaging/xdg (Linux, BSD), packaging/winshell (Windows) and
// packaging/macos.
package integrate

import "context"

// Identity of the application towards the desktop. Changing one orphans
// what earlier versions registered, so they are fixed.
const (
	// Name is the application name: Windows' registered application and
	// Run value, the desktop entry's Name.
	Name = "dialbridge"
	// AppID is the reverse-DNS ID: FyneApp.toml's ID (app.NewWithID),
	// the macOS bundle identifier and LaunchAgent label.
	AppID = "io.github.dialbridge.dialbridge"
	// Description is shown by Windows' Default apps under the name.
	Description = "Makes your desk phone dial the phone numbers you click"
)

// Schemes are the URL schemes dialbridge handles.
var Schemes = []string{"tel", "callto", "sip"}

// Desktop is this platform's desktop integration.
type Desktop interface {
	// RegisterHandler makes dialbridge the handler of Schemes for this
	// user, as far as the platform lets a program do so.
	RegisterHandler(ctx context.Context) error
	// UnregisterHandler undoes RegisterHandler without touching other
	// programs' registrations.
	UnregisterHandler(ctx context.Context) error
	// HandlerStatus reports, per scheme, whether a click opens dialbridge.
	HandlerStatus(ctx context.Context) (map[string]bool, error)
	// ConfirmHint is what the person must still do when the platform keeps
	// the final choice to itself (Windows), else "".
	ConfirmHint() string
	// SetAutostart switches starting at login on or off.
	SetAutostart(ctx context.Context, on bool) error
	// Autostart reports whether dialbridge starts at login.
	Autostart(ctx context.Context) (bool, error)
}

// Env is what the integration reads from the process: passed in so that
// tests use throwaway directories.
type Env struct {
	// Exe is the absolute, symlink-resolved path of the dialbridge binary.
	Exe string
	// Getenv reads an environment variable (os.Getenv).
	Getenv func(string) string
	// Home is the user's home directory.
	Home string
}

// handlerDesktop is a Desktop whose scheme handler and login item are
// each one value and whose choice of handler needs no confirmation from
// the person: macOS (LaunchServices, a LaunchAgent) and the freedesktop.org
// desktops (mimeapps.list, an autostart entry).
type handlerDesktop struct {
	handler interface {
		Register(ctx context.Context) error
		Unregister(ctx context.Context) error
		Status(ctx context.Context) (map[string]bool, error)
	}
	autostart interface {
		Set(on bool) error
		Enabled() (bool, error)
	}
}

func (d handlerDesktop) RegisterHandler(ctx context.Context) error { return d.handler.Register(ctx) }
func (d handlerDesktop) UnregisterHandler(ctx context.Context) error {
	return d.handler.Unregister(ctx)
}
func (d handlerDesktop) HandlerStatus(ctx context.Context) (map[string]bool, error) {
	return d.handler.Status(ctx)
}
func (d handlerDesktop) ConfirmHint() string                           { return "" }
func (d handlerDesktop) SetAutostart(_ context.Context, on bool) error { return d.autostart.Set(on) }
func (d handlerDesktop) Autostart(context.Context) (bool, error)       { return d.autostart.Enabled() }
