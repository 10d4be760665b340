package hotkey

import (
	"fmt"
	"os/exec"
)

// Limits is what the person should know about the hotkey on macOS: the
// simulated copy needs the Accessibility permission.
func Limits() string {
	return "macOS asks once to allow dialbridge to control the computer (System Settings → Privacy & Security → Accessibility): the hotkey copies the selection with Cmd+C"
}

// sendCopy presses Cmd+C in the program that has the focus, through
// System Events (the Accessibility permission).
func sendCopy() error {
	out, err := exec.Command("osascript", "-e", `tell application "System Events" to keystroke "c" using command down`).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pressing Cmd+C for the selection (allow dialbridge under Privacy & Security → Accessibility): %w: %s", err, out)
	}
	return nil
}
