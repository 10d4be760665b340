//go:build windows

package programs

import (
	"os/exec"
	"syscall"
)

// detach starts cmd without a console window and outside the starter's
// process group, so it outlives a tel: handler.
func detach(cmd *exec.Cmd) {
	const detachedProcess = 0x00000008
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: detachedProcess | syscall.CREATE_NEW_PROCESS_GROUP, HideWindow: true}
}
