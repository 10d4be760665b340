package clipboard

import (
	"fmt"
	"os/exec"
	"strings"
)

func platform(r *Reader) {
	r.Tools = []Tool{{Name: "pbpaste"}}
}

// WriteText puts text on the clipboard, replacing what it held; "" leaves
// it empty. The hotkey's simulated copy uses it to give the person their
// clipboard back.
func WriteText(text string) error {
	cmd := exec.Command("pbcopy")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("writing the clipboard with pbcopy: %w: %s", err, out)
	}
	return nil
}
