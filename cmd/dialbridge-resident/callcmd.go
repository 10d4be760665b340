package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
)

// runCall answers, hangs up, holds or resumes the call in progress through
// the running resident's control API, the endpoint the tray uses; "ring"
// lets the demo phone ring, like the tray's "Simulate incoming call".
func runCall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("call", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError{Msg: "call needs one of answer, hangup, hold, resume, ring"}
	}
	op := fs.Arg(0)
	switch op {
	case "answer", "hangup", "hold", "resume", "ring":
	default:
		return cli.UsageError{Msg: fmt.Sprintf("call: %q is not one of answer, hangup, hold, resume, ring", op)}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if op == "ring" {
		if err := c.DemoIncoming(ctx, control.DemoCall{}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "The demo phone is ringing: answer or reject it in the tray or with \"dialbridge call answer|hangup\".")
		return nil
	}
	active, err := c.Calls(ctx)
	if err != nil {
		return err
	}
	call, ok := calls.Target(op, active)
	if !ok {
		return errors.New("no call is in progress that could be " + map[string]string{
			"answer": "answered", "hangup": "hung up", "hold": "held", "resume": "resumed"}[op])
	}
	if err := c.Call(ctx, call.GUID, op, control.CallCommand{}); err != nil {
		return err
	}
	who := call.Remote
	if call.RemoteAlias != "" {
		who = fmt.Sprintf("%s (%s)", call.RemoteAlias, call.Remote)
	}
	fmt.Fprintf(stdout, "Asked the phone to %s the call with %s.\n", map[string]string{
		"answer": "answer", "hangup": "hang up", "hold": "hold", "resume": "resume"}[op], who)
	return nil
}

// runQuit asks the running dialbridge to stop, as the tray's Quit does:
// the way out on a desktop without a tray host.
func runQuit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("quit", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "quit takes no arguments besides its flags"}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Quit(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dialbridge is quitting.")
	return nil
}

// connect reaches the running dialbridge of the config cfgFlag names.
func connect(ctx context.Context, cfgFlag string) (*control.Client, error) {
	path, err := control.ConfigPath(cfgFlag)
	if err != nil {
		return nil, err
	}
	return reach.Connect(ctx, control.FilePath(path))
}

// runJournal prints the journal (calls.PrintJournal); it reads the file
// directly, so it works whether dialbridge runs or not.
func runJournal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("journal", stderr)
	since := flags.String("since", "", "show calls since then: 24h, 7d, 2024-05-01, 2024-05-01T09:30")
	limit := flags.Int("limit", 50, "show at most this many calls (the newest)")
	asJSON := flags.Bool("json", false, "print JSON (the control API's CallList) instead of text")
	if err := cli.ParseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return cli.UsageError{Msg: "journal takes no arguments besides its flags"}
	}
	now := time.Now()
	if _, err := calls.ParseSince(*since, now); err != nil {
		return cli.UsageError{Msg: "--since: " + err.Error()}
	}
	if *limit < 1 {
		return cli.UsageError{Msg: "--limit must be at least 1"}
	}
	path, err := control.ConfigPath(*cfgPath)
	if err != nil {
		return err
	}
	return calls.PrintJournal(ctx, stdout, journal.PathFor(path), calls.Report{Since: *since, Limit: *limit, JSON: *asJSON, Now: now})
}

// runPairingURLs prints, one per line as "setting = URL", what to enter in
// the configured phone's web interface so that it reports its calls.
func runPairingURLs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("pairing-urls", stderr)
	if err := cli.ParseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return cli.UsageError{Msg: "pairing-urls takes no arguments besides its flags"}
	}
	path, cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	token, err := phoneevents.EnsurePairingToken(path, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return phoneevents.WritePairingURLs(ctx, stdout, stderr, path, cfg, token)
}
