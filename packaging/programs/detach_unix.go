//go:build !windows

package programs

import (
	"os/exec"
	"syscall"
)

// detach puts cmd in its own session so that it outlives the short-lived
// process (a tel: handler, a terminal) that started it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
