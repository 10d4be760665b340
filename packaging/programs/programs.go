// Package programs names the three programs dialbridge ships and lets one
// find and start another.
//
// dialbridge is three binaries installed side by side, because each job
// has a different price and people pay it at different times:
//
//   - dialbridge, the front: what the desktop runs for a clicked tel: link
//     and what people type. It handles a link itself (one request to the
//     resident, a few milliseconds, standard library only) and hands every
//     other command to one of the others.
//   - dialbridge-resident: the tray, the listener, the phone, the journal,
//     running all day; no GUI toolkit, so it stays small while it waits.
//   - dialbridge-ui: the Fyne windows, one per process, gone when closed.
package programs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// The programs' names, without the ".exe" Windows adds.
const (
	// Front is the command people and desktops run.
	Front = "dialbridge"
	// Resident is the program that runs all day.
	Resident = "dialbridge-resident"
	// Windows is the window program.
	Windows = "dialbridge-ui"
)

// Path returns where program name is: beside the running binary first, so
// that bin/ of a build or an unpacked zip uses its own siblings and never
// an older installed copy; else on $PATH.
func Path(name string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		self = ""
	} else if resolved, err := filepath.EvalSymlinks(self); err == nil {
		// /usr/local/bin/dialbridge may be a link into the real install.
		self = resolved
	}
	return pathFrom(self, name, exec.LookPath)
}

// pathFrom is Path with the running binary and the $PATH lookup given.
func pathFrom(self, name string, lookPath func(string) (string, error)) (string, error) {
	file := name
	if runtime.GOOS == "windows" {
		file += ".exe"
	}
	if self != "" {
		sibling := filepath.Join(filepath.Dir(self), file)
		if st, err := os.Stat(sibling); err == nil && !st.IsDir() {
			return sibling, nil
		}
	}
	p, err := lookPath(file)
	if err != nil {
		where := "on the PATH"
		if self != "" {
			where = fmt.Sprintf("beside %s or on the PATH", self)
		}
		return "", fmt.Errorf("%s is not installed: it was found neither %s (reinstall dialbridge): %w", file, where, errNotFound(err))
	}
	return p, nil
}

// errNotFound keeps fs.ErrNotExist in the chain whatever the lookup said.
func errNotFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return errors.Join(fs.ErrNotExist, err)
}

// StartDetached starts program name with args in the background, in a
// session of its own and with no standard streams, so that it outlives
// the short-lived process that started it (a link handler, a terminal).
func StartDetached(name string, args []string) error {
	path, err := Path(name)
	if err != nil {
		return err
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	cmd.Env = Environ()
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	return cmd.Process.Release()
}
