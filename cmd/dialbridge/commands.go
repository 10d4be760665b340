package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

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
	path, err := config.Path(cfgFlag)
	if err != nil {
		return err
	}
	ctlPath := actionurl.ControlFilePath(path)
	c, err := connect(ctx, ctlPath)
	if errors.Is(err, actionurl.ErrNotRunning) {
		if err := startBackground(cfgFlag); err != nil {
			return err
		}
		c, err = waitForResident(ctx, ctlPath, 15*time.Second)
	}
	if err != nil {
		return err
	}
	dialed, err := c.Dial(ctx, cmd)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The phone is dialing %s\n", dialed)
	return nil
}

// connect reads the control file and checks that its resident answers.
func connect(ctx context.Context, ctlPath string) (*actionurl.Client, error) {
	cf, err := actionurl.ReadControlFile(ctlPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, actionurl.ErrNotRunning
	}
	if err != nil {
		return nil, err
	}
	c := actionurl.NewClient(cf, nil)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(pctx); err != nil {
		return nil, err
	}
	return c, nil
}

// startBackground starts dialbridge detached: the tray app on a desktop,
// the headless resident elsewhere.
func startBackground(cfgFlag string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding dialbridge's own binary: %w", err)
	}
	args := []string{}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		args = append(args, "serve")
	}
	if cfgFlag != "" {
		args = append(args, "--config", cfgFlag)
	}
	cmd := exec.Command(self, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting dialbridge: %w", err)
	}
	return cmd.Process.Release()
}

// waitForResident polls for the control file of a resident that is starting.
func waitForResident(ctx context.Context, ctlPath string, limit time.Duration) (*actionurl.Client, error) {
	deadline := time.Now().Add(limit)
	for {
		c, err := connect(ctx, ctlPath)
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("dialbridge did not start within %s: %w (run \"dialbridge serve\" to see why)", limit, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
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
