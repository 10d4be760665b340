package main

import (
	"context"
	"io"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
	"github.com/dialbridge/dialbridge/ui/tray/clipboard"
)

// runServe is `dialbridge serve`: the resident without a tray, for a
// desktop without a tray host or a computer nobody sits at.
func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	cfgPath, demo, err := residentFlags("serve", args, stderr, "serve takes no arguments besides its flags")
	if err != nil {
		return err
	}
	r, err := resident.Start(residentOptions(resident.Options{ConfigPath: cfgPath, Demo: demo, Log: commands.NewLogger(stderr)}))
	if err != nil {
		return err
	}
	if hk := r.Config().Desktop.Hotkey; hk != "" {
		// The hotkey dials what a person selected at the screen, so only
		// the tray app grabs it; a set key must not do nothing silently.
		r.Log().Info("dialbridge serve has no hotkey: [desktop] hotkey works in the tray app (dialbridge, or dialbridge demo)", "hotkey", hk)
	}
	err = r.Serve(ctx)
	r.Log().Info("dialbridge stopped")
	return err
}

// residentOptions completes o with what every resident of this program
// has: the control routes, the version, and the clipboard a phone key's
// dial_clipboard reads, as the tray's clipboard item does.
func residentOptions(o resident.Options) resident.Options {
	o.Routes, o.Version = controlRoutes, version
	o.Clipboard = clipboard.New().Read
	return o
}

// residentFlags reads the flags of the two ways to run the resident
// (serve and tray): --config and --demo, and no arguments (usage says so).
func residentFlags(name string, args []string, stderr io.Writer, usage string) (cfgPath string, demo bool, err error) {
	fs, cfg := cli.NewFlags(name, stderr)
	demoFlag := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := cli.Parse(fs, args, cli.Args{Usage: usage}); err != nil {
		return "", false, err
	}
	return *cfg, *demoFlag, nil
}
