package commands

import (
	"context"
	"io"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
)

// Journal is `dialbridge journal`: it prints the journal
// (calls.PrintJournal); it reads the file directly, so it works whether
// dialbridge runs or not.
func Journal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("journal", stderr)
	since := flags.String("since", "", "show calls since then: 24h, 7d, 2024-05-01, 2024-05-01T09:30")
	limit := flags.Int("limit", 50, "show at most this many calls (the newest)")
	asJSON := flags.Bool("json", false, "print JSON (the control API's CallList) instead of text")
	if err := cli.Parse(flags, args, cli.Args{Usage: "journal takes no arguments besides its flags"}); err != nil {
		return err
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
	return calls.PrintJournal(ctx, stdout, journal.PathFor(path), calls.Report{Since: *since, Limit: *limit, JSON: *asJSON, Now: now, Word: i18n.Error})
}

// PairingURLs is `dialbridge pairing-urls`: it prints, one per line as
// "setting = URL", what to enter in the configured phone's web interface so
// that it reports its calls; with --keys, the settings that bind its
// function keys ([[phone.keys]]), for phones dialbridge cannot write them
// into.
func PairingURLs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("pairing-urls", stderr)
	keys := flags.Bool("keys", false, "print the settings that bind the function keys of [[phone.keys]] instead")
	path, cfg, err := parseConfigured(flags, cfgPath, args, cli.Args{Usage: "pairing-urls takes no arguments besides its flags"})
	if err != nil {
		return err
	}
	token, err := phoneevents.EnsurePairingToken(path, cfg, NewLogger(stderr))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if *keys {
		return writeKeySettings(ctx, stdout, stderr, cfg, token)
	}
	return phoneevents.WritePairingURLs(ctx, stdout, stderr, path, cfg, token)
}
