package main

import (
	"fmt"
	"os"
	"os/exec"
)

// openWindow starts `dialbridge ui NAME ARGS...` as its own process: the
// windows run on Fyne, whose driver must not live in the resident (it would
// cost ~100 MB and a few % of a core all day; DESIGN.md §1). The window
// process finds the resident through the control file of cfgPath.
func openWindow(cfgPath, name string, args ...string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding dialbridge's own binary: %w", err)
	}
	argv := []string{"ui", "--config", cfgPath, name}
	argv = append(argv, args...)
	cmd := exec.Command(self, argv...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("opening the %s window: %w", name, err)
	}
	return cmd, nil
}
