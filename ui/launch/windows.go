// Package launch starts the window program's windows (dialbridge-ui) for
// the resident: one of each kind at a time, the confirmation window as the
// listener's way to ask the person, and all of them closed when the
// resident ends.
//
// The windows run on Fyne, whose driver must not live in the resident (it
// would cost about 100 MB and a few per cent of a core all day), so each
// is a process of its own that finds the resident through the control file
// of the config it was started with.
package launch

import (
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/packaging/programs"
)

// Open starts the window program with NAME ARGS... for the config file at
// cfgPath, as its own process.
func Open(cfgPath, name string, args ...string) (*exec.Cmd, error) {
	bin, err := programs.Path(programs.Windows)
	if err != nil {
		return nil, fmt.Errorf("opening the %s window: %w", name, err)
	}
	argv := append([]string{"--config", cfgPath, name}, args...)
	cmd := exec.Command(bin, argv...)
	cmd.Stderr = os.Stderr
	cmd.Env = programs.Environ()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("opening the %s window: %w", name, err)
	}
	return cmd, nil
}

// Windows are the windows one resident opened: at most one per name and
// arguments, so that a second click does not stack up dial pads.
type Windows struct {
	cfgPath string
	log     *slog.Logger

	mu   sync.Mutex
	open map[string]*exec.Cmd
}

// NewWindows opens windows for the config file at cfgPath; log hears of
// windows that end with an error.
func NewWindows(cfgPath string, log *slog.Logger) *Windows {
	return &Windows{cfgPath: cfgPath, log: log, open: map[string]*exec.Cmd{}}
}

// Open starts a window for this resident's config, another one even if
// it is open already (the confirmation window asks about each request).
func (w *Windows) Open(name string, args ...string) (*exec.Cmd, error) {
	return Open(w.cfgPath, name, args...)
}

// OpenOnce opens a window unless the same one is open already.
func (w *Windows) OpenOnce(name string, args ...string) error {
	key := strings.Join(append([]string{name}, args...), " ")
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open[key] != nil {
		return nil
	}
	cmd, err := w.Open(name, args...)
	if err != nil {
		return err
	}
	w.open[key] = cmd
	go func() {
		if err := cmd.Wait(); err != nil {
			w.log.Warn("a window ended with an error", "window", name, "error", err.Error())
		}
		w.mu.Lock()
		delete(w.open, key)
		w.mu.Unlock()
	}()
	return nil
}

// CloseAll asks every window OpenOnce opened to close: without the
// resident they could show nothing and do nothing. A window process quits
// on an interrupt; Windows has none to send, so it is ended there.
func (w *Windows) CloseAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, cmd := range w.open {
		if runtime.GOOS == "windows" || cmd.Process.Signal(os.Interrupt) != nil {
			_ = cmd.Process.Kill()
		}
	}
}
