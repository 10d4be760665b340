package main

import (
	"context"
	"io"

	"github.com/dialbridge/dialbridge/packaging/programs"
)

// runWindow is `dialbridge-resident ui ...`, reached only when the resident
// is run by hand: the front (cmd/dialbridge) hands `ui` straight to the
// window program, which parses the window's flags itself.
func runWindow(_ context.Context, args []string, _, _ io.Writer) error {
	return programs.Exec(programs.Windows, args)
}
