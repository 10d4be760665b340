package main

import (
	"github.com/dialbridge/dialbridge/cmd/internal/reach"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
)

// newFlags returns a flag set that reports errors instead of exiting, with
// the --config flag every command shares.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := fs.String("config", "", "config file (default: $DIALBRIDGE_CONFIG or the user's config directory)")
	return fs, cfg
}

// parseFlags parses args into fs, turning a flag mistake into a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0, err: errors.New("help shown")}
		}
		return usageError{msg: err.Error()}
	}
	return nil
}

// newLogger logs to stderr; DIALBRIDGE_LOG=debug shows more.
func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if strings.EqualFold(os.Getenv("DIALBRIDGE_LOG"), "debug") {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs, cfgPath := newFlags("serve", stderr)
	demo := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: "serve takes no arguments besides its flags"}
	}
	r, err := startResident(residentOptions{configPath: *cfgPath, demo: *demo, log: newLogger(stderr)})
	if err != nil {
		return err
	}
	err = r.serve(ctx)
	r.log.Info("dialbridge stopped")
	return err
}

func runDial(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("dial", stderr)
	identity := fs.String("identity", "", "dial from this line or account (outgoing_uri)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{msg: "dial needs a NUMBER"}
	}
	number := strings.Join(fs.Args(), " ")
	// Typed on the command line by the person: like the dial pad.
	return dialViaResident(ctx, *cfgPath, actionurl.DialCommand{
		Number: number, Identity: *identity, Typed: true, Source: "command line",
	}, stdout)
}

// runLink dials a tel:, callto: or sip: link handed over by the desktop.
// This path must stay light: no GUI, just one request to the resident.
func runLink(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usageError{msg: "give exactly one tel:, callto: or sip: link"}
	}
	// A link came from a page or a mail: not typed by the person, so the
	// blocked-number rules apply.
	return dialViaResident(ctx, "", actionurl.DialCommand{Number: args[0], Source: "phone link"}, stdout)
}

// dialViaResident sends cmd to the running resident, starting one in the
// background when none runs.
func dialViaResident(ctx context.Context, cfgFlag string, cmd actionurl.DialCommand, stdout io.Writer) error {
	dialed, err := reach.Dial(ctx, cfgFlag, cmd)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The phone is dialing %s\n", dialed)
	return nil
}

func runNormalize(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("normalize", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{msg: "normalize needs the TEXT to normalise"}
	}
	path, err := config.Path(*cfgPath)
	if err != nil {
		return err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	rules := cfg.Dialing.Rules()
	res, err := rules.Normalize(strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	for _, s := range res.Steps {
		fmt.Fprintln(stdout, "  "+s)
	}
	if err := rules.CheckBlocked(res); err != nil {
		fmt.Fprintf(stdout, "dial: %s (only when typed by the person; links and web pages are refused: %v)\n", res.Dial, err)
		return nil
	}
	fmt.Fprintf(stdout, "dial: %s\n", res.Dial)
	return nil
}
