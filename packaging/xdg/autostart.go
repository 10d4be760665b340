package xdg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Autostart switches the XDG autostart entry of one user (XDG Autostart
// spec): $XDG_CONFIG_HOME/autostart/dialbridge.desktop. The .deb installs
// an entry for everybody in /etc/xdg/autostart; a user entry of the same
// name overrides it, and Hidden=true there switches it off for that user.
type Autostart struct {
	Dirs Dirs
	// Exe is the absolute path of the dialbridge binary.
	Exe string
}

func (a Autostart) userPath() string {
	return filepath.Join(a.Dirs.ConfigHome, "autostart", DesktopID)
}

// systemEntry returns the first system-wide entry of ours, or nil.
func (a Autostart) systemEntry() (*KeyFile, error) {
	for _, d := range a.Dirs.ConfigDirs {
		kf, err := readKeyFile(filepath.Join(d, "autostart", DesktopID))
		if err != nil || kf != nil {
			return kf, err
		}
	}
	return nil, nil
}

// Set switches starting at login on or off.
func (a Autostart) Set(on bool) error {
	if on {
		if !filepath.IsAbs(a.Exe) {
			return fmt.Errorf("the path of dialbridge must be absolute for the autostart entry, not %q", a.Exe)
		}
		kf, err := withExec(AutostartEntry, a.Exe)
		if err != nil {
			return err
		}
		return writeFile(a.userPath(), kf.Bytes())
	}
	sys, err := a.systemEntry()
	if err != nil {
		return err
	}
	if sys == nil {
		if err := os.Remove(a.userPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the autostart entry: %w", err)
		}
		return nil
	}
	// A system entry would still start it: hide it for this user.
	kf, err := ParseKeyFile(AutostartEntry)
	if err != nil {
		return fmt.Errorf("the autostart entry template is broken: %w", err)
	}
	kf.Set(entryGroup, "Hidden", "true")
	return writeFile(a.userPath(), kf.Bytes())
}

// Enabled reports whether the desktop will start dialbridge at login: the
// user's entry decides when there is one, else the system-wide entry.
func (a Autostart) Enabled() (bool, error) {
	kf, err := readKeyFile(a.userPath())
	if err != nil {
		return false, err
	}
	if kf == nil {
		if kf, err = a.systemEntry(); err != nil || kf == nil {
			return false, err
		}
	}
	if v, _ := kf.Get(entryGroup, "Hidden"); v == "true" {
		return false, nil
	}
	if v, _ := kf.Get(entryGroup, "X-GNOME-Autostart-enabled"); v == "false" {
		return false, nil
	}
	return true, nil
}
