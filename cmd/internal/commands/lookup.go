package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Lookup is `dialbridge lookup NUMBER`: who the number is and which
// source said so, asked of the configured sources exactly as a call asks
// them (without the call's 300 ms budget: a person waits for the answer).
// It exits 1 when no source knows the number.
func Lookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("lookup", stderr)
	_, cfg, err := parseConfigured(fs, cfgPath, args, cli.Args{Min: 1, Max: cli.Any, Usage: "lookup needs the NUMBER to look up"})
	if err != nil {
		return err
	}
	_ = i18n.Load() // without translations, English
	if len(cfg.Lookup) == 0 {
		return &cli.ExitError{Code: 1, Err: errors.New(lang.X("lookup.cmd.no_sources", "no caller lookup source is configured: add a [[lookup]] table to the config file (see the README's Caller names)"))}
	}
	names, err := lookup.FromConfig(cfg, config.Secrets{}.Get, nil)
	if err != nil {
		return errors.New(i18n.Error(err))
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	number := strings.Join(fs.Args(), " ")
	m, ok, err := names.Find(ctx, number)
	if err != nil {
		if errors.Is(err, lookup.ErrNoNumber) {
			return &cli.ExitError{Code: 1, Err: errors.New(lang.X("lookup.cmd.not_number", "{{.Number}} is not a phone number: {{.Err}}",
				map[string]any{"Number": display.Name(number), "Err": i18n.Error(err)}))}
		}
		// Sources that could not answer are worth knowing about also when
		// another one knew the number.
		for _, line := range strings.Split(i18n.Error(err), "\n") {
			fmt.Fprintln(stderr, "dialbridge: "+line)
		}
	}
	if !ok {
		return &cli.ExitError{Code: 1, Err: errors.New(lang.X("lookup.cmd.unknown", "no source knows {{.Number}}", map[string]any{"Number": display.Name(number)}))}
	}
	fmt.Fprintln(stdout, i18n.Error(lookup.Describe(m)))
	return nil
}
