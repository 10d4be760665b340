package main

import (
	"context"
	"io"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
)

// runServe is `dialbridge serve`: the resident without a tray, for a
// desktop without a tray host or a computer nobody sits at.
func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("serve", stderr)
	demo := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "serve takes no arguments besides its flags"}
	}
	r, err := startResident(residentOptions{configPath: *cfgPath, demo: *demo, log: commands.NewLogger(stderr)})
	if err != nil {
		return err
	}
	err = r.serve(ctx)
	r.log.Info("dialbridge stopped")
	return err
}
