// Package xdg integrates dialbridge with Linux and BSD desktops the
// freedesktop.org way: the desktop entry that makes it the handler of
// tel:, callto: and sip: links (x-scheme-handler/...), the default choice
// in mimeapps.list, and the XDG autostart entry. The .deb ships the same
// entries that this package writes for one user, so the two cannot drift.
package xdg

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DesktopEntry is the shipped application entry (installed as
// /usr/share/applications/dialbridge.desktop). It is hand-written because
// `fyne package` writes Exec=... %F, which would drop the clicked URI.
//
//go:embed dialbridge.desktop
var DesktopEntry []byte

// AutostartEntry is the shipped login entry (installed as
// /etc/xdg/autostart/dialbridge.desktop): the tray app, nothing to dial.
//
//go:embed autostart.desktop
var AutostartEntry []byte

// DesktopID is the desktop file ID that mimeapps.list and xdg-mime name.
const DesktopID = "dialbridge.desktop"

const entryGroup = "Desktop Entry"

// ExecArg quotes one argument for an Exec line (Desktop Entry spec,
// "The Exec key"): an argument with reserved characters is put in double
// quotes with `"`, "`", `$` and `\` escaped, then the line's own string
// escaping doubles every backslash; a literal % is written %%.
func ExecArg(arg string) string {
	arg = strings.ReplaceAll(arg, "%", "%%")
	if arg != "" && !strings.ContainsAny(arg, " \t\n\"'\\><~|&;$*?#()`") {
		return arg
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range arg {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`)
		case '\\':
			b.WriteString(`\\\`)
		case '\n', '\t', '\r':
			// The line's string escapes; the quoted argument keeps them.
			b.WriteString(map[rune]string{'\n': `\n`, '\t': `\t`, '\r': `\r`}[r])
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// withExec returns entry with its Exec line replaced by exe (quoted) and
// the field codes of the original Exec line, e.g. "%u".
func withExec(entry []byte, exe string) (*KeyFile, error) {
	kf, err := ParseKeyFile(entry)
	if err != nil {
		return nil, fmt.Errorf("the desktop entry template is broken: %w", err)
	}
	old, ok := kf.Get(entryGroup, "Exec")
	if !ok {
		return nil, errors.New("the desktop entry template has no Exec line")
	}
	exec := ExecArg(exe)
	if _, codes, found := strings.Cut(old, " "); found {
		exec += " " + codes
	}
	kf.Set(entryGroup, "Exec", exec)
	return kf, nil
}

// writeFile writes data to path atomically, creating the directory; a
// desktop half-written would be skipped or, worse, half-read by the menu.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dialbridge-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// readKeyFile reads and parses path; a missing file is (nil, nil).
func readKeyFile(path string) (*KeyFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	kf, err := ParseKeyFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return kf, nil
}

// Dirs are the XDG base directories of one user (XDG Base Directory spec).
type Dirs struct {
	DataHome   string   // $XDG_DATA_HOME, ~/.local/share
	ConfigHome string   // $XDG_CONFIG_HOME, ~/.config
	ConfigDirs []string // $XDG_CONFIG_DIRS, /etc/xdg
}

// DirsFromEnv resolves the base directories the way the spec says, from
// getenv (os.Getenv in the program, a map in tests) and the home directory.
func DirsFromEnv(getenv func(string) string, home string) (Dirs, error) {
	abs := func(v, def string) (string, error) {
		if v != "" && filepath.IsAbs(v) {
			return v, nil
		}
		if home == "" {
			return "", errors.New("the home directory is unknown, so the desktop's settings cannot be found (set HOME)")
		}
		return filepath.Join(home, def), nil
	}
	var d Dirs
	var err error
	if d.DataHome, err = abs(getenv("XDG_DATA_HOME"), ".local/share"); err != nil {
		return d, err
	}
	if d.ConfigHome, err = abs(getenv("XDG_CONFIG_HOME"), ".config"); err != nil {
		return d, err
	}
	for _, p := range filepath.SplitList(getenv("XDG_CONFIG_DIRS")) {
		if filepath.IsAbs(p) {
			d.ConfigDirs = append(d.ConfigDirs, p)
		}
	}
	if len(d.ConfigDirs) == 0 {
		d.ConfigDirs = []string{"/etc/xdg"}
	}
	return d, nil
}
