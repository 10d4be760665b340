// Package winshell registers dialbridge with the Windows shell for one
// user: as a handler of tel:, callto: and sip: links, and to start at
// login. Everything goes to HKEY_CURRENT_USER, so no administrator is
// needed, through the winreg.Registry interface.
//
// Since Windows 8 a program cannot make itself the default for a scheme:
// the person's choice lives in a hashed UserChoice key that only Windows
// writes. So Register does what Windows asks of a well-behaved program
// (a ProgID, Capabilities with URLAssociations, an entry in
// RegisteredApplications), which puts dialbridge in Settings > Default
// apps and in the "How do you want to open this?" prompt; and where no
// other program claims a scheme for this user, it also writes the classic
// URL-protocol key, which Windows follows while nobody has chosen.
package winshell

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// Registry paths below HKEY_CURRENT_USER.
const (
	classes        = `Software\Classes`
	registeredApps = `Software\RegisteredApplications`
	urlChoice      = `Software\Microsoft\Windows\Shell\Associations\UrlAssociations`
	runKey         = `Software\Microsoft\Windows\CurrentVersion\Run`
	startupChoice  = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

// App names the program to Windows.
type App struct {
	// Name is the registered application name ("dialbridge"), also the
	// Run value and the key under Software.
	Name string
	// Description is what Default apps shows under the name.
	Description string
	// Exe is the absolute path of dialbridge.exe.
	Exe string
}

func (a App) progID() string       { return a.Name + ".PhoneLink" }
func (a App) capabilities() string { return `Software\` + a.Name + `\Capabilities` }
func (a App) openCommand() string  { return `"` + a.Exe + `" "%1"` }
func (a App) check() error {
	if a.Name == "" || strings.ContainsAny(a.Name, `\`) {
		return fmt.Errorf("the application name %q cannot be a registry key", a.Name)
	}
	if len(a.Exe) < 3 || a.Exe[1] != ':' && !strings.HasPrefix(a.Exe, `\\`) {
		return fmt.Errorf("the path of dialbridge.exe must be absolute for the registry, not %q", a.Exe)
	}
	if strings.Contains(a.Exe, `"`) {
		return fmt.Errorf("the path %q cannot be quoted for a command line", a.Exe)
	}
	return nil
}

// Handler registers App as a handler of Schemes.
type Handler struct {
	Reg     winreg.Registry
	App     App
	Schemes []string
}

// Register writes the ProgID, the capabilities, the RegisteredApplications
// entry, and the URL-protocol key of every scheme that is unclaimed or
// already ours.
func (h Handler) Register() error {
	if err := h.App.check(); err != nil {
		return err
	}
	icon := `"` + h.App.Exe + `",0`
	prog := classes + `\` + h.App.progID()
	caps := h.App.capabilities()
	set := []struct{ path, name, value string }{
		{prog, "", h.App.Name + " phone link"},
		{prog, "URL Protocol", ""},
		{prog + `\DefaultIcon`, "", icon},
		{prog + `\shell\open\command`, "", h.App.openCommand()},
		{caps, "ApplicationName", h.App.Name},
		{caps, "ApplicationDescription", h.App.Description},
		{caps, "ApplicationIcon", icon},
	}
	for _, s := range h.Schemes {
		set = append(set, struct{ path, name, value string }{caps + `\URLAssociations`, s, h.App.progID()})
	}
	set = append(set, struct{ path, name, value string }{registeredApps, h.App.Name, caps})
	for _, s := range h.Schemes {
		mine, err := h.schemeKeyIsOursOrFree(s)
		if err != nil {
			return err
		}
		if !mine {
			continue
		}
		key := classes + `\` + s
		set = append(set,
			struct{ path, name, value string }{key, "", "URL:" + s + " link"},
			struct{ path, name, value string }{key, "URL Protocol", ""},
			struct{ path, name, value string }{key + `\DefaultIcon`, "", icon},
			struct{ path, name, value string }{key + `\shell\open\command`, "", h.App.openCommand()},
		)
	}
	for _, v := range set {
		if err := h.Reg.SetString(v.path, v.name, v.value); err != nil {
			return fmt.Errorf("registering dialbridge for phone links: %w", err)
		}
	}
	return nil
}

// schemeKeyIsOursOrFree: the user's Classes\<scheme> key has no open
// command, or one that starts this program. Another program's key is
// left alone.
func (h Handler) schemeKeyIsOursOrFree(scheme string) (bool, error) {
	cmd, ok, err := h.Reg.GetString(classes+`\`+scheme+`\shell\open\command`, "")
	if err != nil {
		return false, fmt.Errorf("reading the %s: handler: %w", scheme, err)
	}
	return !ok || h.startsUs(cmd), nil
}

// startsUs reports whether a shell command line runs App.Exe.
func (h Handler) startsUs(cmd string) bool {
	cmd = strings.TrimSpace(cmd)
	var exe string
	if rest, ok := strings.CutPrefix(cmd, `"`); ok {
		exe, _, _ = strings.Cut(rest, `"`)
	} else {
		exe, _, _ = strings.Cut(cmd, " ")
	}
	return strings.EqualFold(exe, h.App.Exe)
}

// Unregister removes everything Register wrote, and no key of another
// program.
func (h Handler) Unregister() error {
	var errs []error
	for _, s := range h.Schemes {
		cmd, ok, err := h.Reg.GetString(classes+`\`+s+`\shell\open\command`, "")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok && h.startsUs(cmd) {
			errs = append(errs, h.Reg.DeleteTree(classes+`\`+s))
		}
	}
	errs = append(errs,
		h.Reg.DeleteValue(registeredApps, h.App.Name),
		h.Reg.DeleteTree(`Software\`+h.App.Name+`\Capabilities`),
		h.Reg.DeleteTree(classes+`\`+h.App.progID()),
	)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("unregistering dialbridge: %w", err)
	}
	return nil
}

// Status reports for each scheme whether a click opens dialbridge: the
// person's choice (UserChoice) names our ProgID, or nobody chose and the
// URL-protocol key starts us.
func (h Handler) Status() (map[string]bool, error) {
	got := map[string]bool{}
	for _, s := range h.Schemes {
		choice, chosen, err := h.Reg.GetString(urlChoice+`\`+s+`\UserChoice`, "ProgId")
		if err != nil {
			return nil, err
		}
		if chosen {
			got[s] = strings.EqualFold(choice, h.App.progID())
			continue
		}
		cmd, ok, err := h.Reg.GetString(classes+`\`+s+`\shell\open\command`, "")
		if err != nil {
			return nil, err
		}
		got[s] = ok && h.startsUs(cmd)
	}
	return got, nil
}

// SettingsURI opens Windows' Default apps page on dialbridge, where the
// person confirms the choice that Windows does not let programs make
// (ms-settings:defaultapps with registeredAppUser, Windows 11; Windows 10
// shows the general page).
func (a App) SettingsURI() string {
	return "ms-settings:defaultapps?registeredAppUser=" + a.Name
}

// Autostart switches the Run value that starts dialbridge at login.
type Autostart struct {
	Reg winreg.Registry
	App App
}

// Set switches starting at login on or off. Switching on also clears a
// "disabled" mark that Task Manager's Startup page may have left.
func (a Autostart) Set(on bool) error {
	if !on {
		if err := a.Reg.DeleteValue(runKey, a.App.Name); err != nil {
			return fmt.Errorf("switching off the start at login: %w", err)
		}
		return nil
	}
	if err := a.App.check(); err != nil {
		return err
	}
	if err := a.Reg.SetString(runKey, a.App.Name, `"`+a.App.Exe+`"`); err != nil {
		return fmt.Errorf("switching on the start at login: %w", err)
	}
	if err := a.Reg.DeleteValue(startupChoice, a.App.Name); err != nil {
		return fmt.Errorf("switching on the start at login: %w", err)
	}
	return nil
}

// Enabled reports whether the Run value is there.
func (a Autostart) Enabled() (bool, error) {
	_, ok, err := a.Reg.GetString(runKey, a.App.Name)
	return ok, err
}
