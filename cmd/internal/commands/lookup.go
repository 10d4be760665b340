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
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Lookup is `dialbridge lookup NUMBER`: who the number is and which
// source said so, asked of the configured sources exactly as a call asks
// them (without the call's 300 ms budget: a person waits for the answer).
// It exits 1 when no source knows the number.
//
// With --status it looks nothing up: it prints how each source of the
// running dialbridge is doing, the lines the Contacts page shows under
// the sources.
func Lookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runLookup(ctx, args, stdout, stderr, func(ctx context.Context, cfgFlag string) (lookupAPI, error) {
		return connect(ctx, cfgFlag)
	})
}

// lookupAPI is the running dialbridge as `lookup --status` asks it: a
// *control.Client, or a recorder in the tests.
type lookupAPI interface {
	LookupSources(ctx context.Context) ([]control.LookupSource, error)
}

func runLookup(ctx context.Context, args []string, stdout, stderr io.Writer, connect func(context.Context, string) (lookupAPI, error)) error {
	fs, cfgPath := cli.NewFlags("lookup", stderr)
	status := fs.Bool("status", false, "show how each source of the running dialbridge is doing, look nothing up")
	_ = i18n.Load() // without translations, English
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if *status {
		if fs.NArg() > 0 {
			return cli.UsageError{Msg: "lookup --status takes no NUMBER"}
		}
		return lookupStatus(ctx, *cfgPath, stdout, connect)
	}
	if fs.NArg() == 0 {
		return cli.UsageError{Msg: "lookup needs the NUMBER to look up"}
	}
	_, cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if len(cfg.Lookup) == 0 {
		return &cli.ExitError{Code: 1, Err: errors.New(noSources())}
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

// lookupStatus prints how each caller lookup source of the running
// dialbridge is doing, one line a source.
func lookupStatus(ctx context.Context, cfgFlag string, stdout io.Writer, connect func(context.Context, string) (lookupAPI, error)) error {
	c, err := connect(ctx, cfgFlag)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	sources, err := c.LookupSources(ctx)
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		return &cli.ExitError{Code: 1, Err: errors.New(noSources())}
	}
	printLookupStatus(stdout, sources, time.Now())
	return nil
}

// printLookupStatus writes each source's state as
// lookup.SourceStatus.Labeled words it (times beside now), one source a
// line, in the person's language; a state this dialbridge cannot word
// leaves the label alone.
func printLookupStatus(w io.Writer, sources []control.LookupSource, now time.Time) {
	for _, src := range sources {
		if line := lookup.StatusOf(src).Labeled(now); line != nil {
			fmt.Fprintln(w, i18n.Error(line))
			continue
		}
		fmt.Fprintln(w, display.Text(src.Label, 200))
	}
}

// noSources is the sentence for a config without [[lookup]] sources.
func noSources() string {
	return lang.X("lookup.cmd.no_sources", "no caller lookup source is configured: add a [[lookup]] table to the config file (see the README's Caller names)")
}
