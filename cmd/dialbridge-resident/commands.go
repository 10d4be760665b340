package main

import (
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"

	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/display"
)

// newLogger logs to stderr; DIALBRIDGE_LOG=debug shows more. Every string
// and error value goes through display.ReplaceAttr: a caller's name, a
// page's origin or a CRM's answer is a value with its control and bidi
// characters removed, so it can neither start a line of its own nor
// reorder one.
func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if strings.EqualFold(os.Getenv("DIALBRIDGE_LOG"), "debug") {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: display.ReplaceAttr}))
}

func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("serve", stderr)
	demo := fs.Bool("demo", false, "pair with a built-in simulated phone")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "serve takes no arguments besides its flags"}
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
	fs, cfgPath := cli.NewFlags("dial", stderr)
	identity := fs.String("identity", "", "dial from this line or account (outgoing_uri)")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return cli.UsageError{Msg: "dial needs a NUMBER"}
	}
	number := strings.Join(fs.Args(), " ")
	// Typed on the command line by the person: like the dial pad.
	return dialViaResident(ctx, *cfgPath, control.DialCommand{
		Number: number, Identity: *identity, Typed: true, Source: "command line",
	}, stdout)
}

// runLink dials a tel:, callto: or sip: link handed over by the desktop.
// This path must stay light: no GUI, just one request to the resident.
func runLink(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return cli.UsageError{Msg: "give exactly one tel:, callto: or sip: link"}
	}
	// A link came from a page or a mail: not typed by the person, so the
	// blocked-number rules apply.
	return dialViaResident(ctx, "", control.DialCommand{Number: args[0], Source: "phone link"}, stdout)
}

// dialViaResident sends cmd to the running resident, starting one in the
// background when none runs.
func dialViaResident(ctx context.Context, cfgFlag string, cmd control.DialCommand, stdout io.Writer) error {
	dialed, err := reach.Dial(ctx, cfgFlag, cmd)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The phone is dialing %s\n", dialed)
	return nil
}

// loadConfig reads the config file named by --config (empty: the default
// place) for the commands that only read it, and says where it is.
func loadConfig(flag string) (string, config.Config, error) {
	path, err := control.ConfigPath(flag)
	if err != nil {
		return "", config.Config{}, err
	}
	cfg, err := config.Load(path)
	return path, cfg, err
}

func runNormalize(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("normalize", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return cli.UsageError{Msg: "normalize needs the TEXT to normalize"}
	}
	_, cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	rd, err := cfg.Dialing.Rules().Read(strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	printReading(stdout, rd)
	return nil
}

// printReading writes what `dialbridge normalize` shows of a Reading: the
// steps, then the dial string and, when the blocked list refuses it, the
// rule. The last line is the verdict every way in acts on.
func printReading(w io.Writer, rd dialplan.Reading) {
	for _, s := range rd.Steps {
		fmt.Fprintln(w, "  "+s)
	}
	if rd.Blocked != nil {
		fmt.Fprintf(w, "dial: %s (only when typed by the person; links and web pages are refused: %v)\n", rd.Dial, rd.Blocked)
		return
	}
	fmt.Fprintf(w, "dial: %s\n", rd.Dial)
}
