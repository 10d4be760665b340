package main

import (
	"context"
	"io"
)

func init() {
	extraCommands = append(extraCommands,
		command{"tray", "", runTray},
		command{"demo", "demo                                the tray app with a simulated phone", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runTray(ctx, append([]string{"--demo"}, args...), stdout, stderr)
		}},
	)
}

// runTray runs the resident for the desktop session.
// TODO(issue 6): the tray icon and menu on top of the resident.
func runTray(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServe(ctx, args, stdout, stderr)
}
