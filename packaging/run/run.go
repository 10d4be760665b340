// Package run runs the desktop's own command-line tools (xdg-mime,
// update-desktop-database, osascript) for the registration packages, as a
// function type that tests replace with a fake.
package run

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Func runs a program and returns its standard output; a failure's error
// carries the program's own words. exec.ErrNotFound (wrapped) means the
// program is not installed.
type Func func(ctx context.Context, name string, args ...string) ([]byte, error)

// Exec runs programs for real, with env as their environment (nil: this
// process's).
func Exec(env []string) Func {
	return func(ctx context.Context, name string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return out, fmt.Errorf("%s: %w: %s", name, err, msg)
			}
			return out, fmt.Errorf("%s: %w", name, err)
		}
		return out, nil
	}
}
