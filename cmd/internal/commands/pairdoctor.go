package commands

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/doctor"
	"github.com/dialbridge/dialbridge/ui/form"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// Pair is "dialbridge pair": flags and wiring only; the steps are
// package pairing's, the same the wizard takes.
func Pair(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("pair", stderr)
	brand := fs.String("brand", "", "the phone's `BRAND` when it does not say (snom, snom-csta, yealink, ...)")
	user := fs.String("user", "", "the `NAME` to sign in to the phone's web interface with")
	wait := fs.Duration("wait", 2*time.Minute, "how long to wait for a test call's event when the phone has no test request (0: do not wait)")
	if err := cli.Parse(fs, args, cli.Args{Max: 1, Usage: "pair takes at most the phone's ADDRESS"}); err != nil {
		return err
	}
	path, err := control.ConfigPath(*cfgPath)
	if err != nil {
		return err
	}
	_ = i18n.Load() // without translations, English
	res := backend.NewResident(path, nil)
	c := &pairing.CLI{
		Pairer:  &pairing.Pairer{Listener: res},
		Saver:   form.Saver{Files: backend.ConfigFile{Path: path}, Keyring: config.Secrets{}, Resident: res},
		Secrets: config.Secrets{},
		Term:    pairing.StdTerminal(os.Stdin, stdout),
		Wait:    *wait,
	}
	return c.Pair(ctx, pairing.Request{Address: fs.Arg(0), Brand: *brand, Username: *user})
}

// Doctor is "dialbridge doctor" of the program at version: flags and
// wiring only; the checks are package doctor's, the same the "What's
// wrong?" window shows. The version goes into the support zip.
func Doctor(version string) func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		return doctorRun(ctx, args, stdout, stderr, version)
	}
}

func doctorRun(ctx context.Context, args []string, stdout, stderr io.Writer, version string) error {
	fs, cfgPath := cli.NewFlags("doctor", stderr)
	asJSON := fs.Bool("json", false, "print the checks as JSON")
	bundle := fs.String("bundle", "", "also write a support zip to `FILE` (config without secrets, log lines, versions, the checks)")
	if err := cli.Parse(fs, args, cli.Args{Usage: "doctor takes no arguments besides its flags"}); err != nil {
		return err
	}
	path, err := control.ConfigPath(*cfgPath)
	if err != nil {
		return err
	}
	_ = i18n.Load()
	r := doctor.New(path).Run(ctx)
	if err := r.Write(stdout, *asJSON); err != nil {
		return err
	}
	if *bundle != "" {
		var buf bytes.Buffer
		if err := doctor.WriteBundle(&buf, r, doctor.Bundle{ConfigPath: path, Version: version, Now: time.Now()}); err != nil {
			return err
		}
		if err := os.WriteFile(*bundle, buf.Bytes(), 0o600); err != nil {
			return fmt.Errorf("writing the support zip: %w", err)
		}
	}
	return r.Err()
}
