package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/dialbridge/dialbridge/packaging/programs"
)

// runWindow is `dialbridge-resident ui ...`, reached only when the resident
// is run by hand: the front (cmd/dialbridge) hands `ui` straight to the
// window program, which parses the window's flags itself.
func runWindow(_ context.Context, args []string, _, _ io.Writer) error {
	return programs.Exec(programs.Windows, args)
}

// openWindow starts the window program (dialbridge-ui) with NAME ARGS...
// as its own process: the windows run on Fyne, whose driver must not live
// in the resident (it would cost ~100 MB and a few % of a core all day;
// DESIGN.md §1). The window process finds the resident through the control
// file of cfgPath.
func openWindow(cfgPath, name string, args ...string) (*exec.Cmd, error) {
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
