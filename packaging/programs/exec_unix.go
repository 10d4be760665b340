//go:build unix

package programs

import (
	"fmt"
	"syscall"
)

// Exec hands this process over to program name with args: the process
// becomes that program, keeping its PID, its standard streams, its
// environment and its parent, so an init system, a terminal or a test
// sees one process whatever binary runs. It returns only on failure.
func Exec(name string, args []string) error {
	path, err := Path(name)
	if err != nil {
		return err
	}
	argv := append([]string{name}, args...)
	if err := syscall.Exec(path, argv, Environ()); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	return nil // not reached
}
