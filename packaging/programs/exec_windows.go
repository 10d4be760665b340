//go:build windows

package programs

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// Exec runs program name with args in place of this process: Windows has
// no exec(2), so the program runs as a child sharing this process's
// standard streams and environment, and this process then exits with the
// child's exit status. It returns only on failure to start.
func Exec(name string, args []string) error {
	path, err := Path(name)
	if err != nil {
		return err
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = Environ()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", path, err)
	}
	os.Exit(0)
	return nil
}
