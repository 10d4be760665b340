// Package commands holds the resident's command-line commands that do more
// than parse their flags: dialing, normalizing, the journal, the pairing
// URLs, the caller lookup, pairing the phone and checking the chain to it
// (pair, doctor), acting on calls, do not disturb, pressing the phone's
// keys, quitting and the desktop integration. The main package keeps only
// the command table that names them, so that a command is found by its job
// here and the wiring stays in cmd/dialbridge-resident.
//
// Every command has the shape func(ctx, args, stdout, stderr) error, takes
// its flags before or after its arguments (cli.Parse) and prints only
// its own output.
package commands

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/spf13/pflag"
)

// NewLogger logs to w (stderr); DIALBRIDGE_LOG=debug shows more. Every
// string and error value goes through display.ReplaceAttr: a caller's name,
// a page's origin or a CRM's answer is a value with its control and bidi
// characters removed, so it can neither start a line of its own nor
// reorder one. The resident logs through it too, so that its log and the
// commands' look alike.
func NewLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if strings.EqualFold(os.Getenv("DIALBRIDGE_LOG"), "debug") {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: display.ReplaceAttr}))
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

// parseConfigured parses a command's flags and arguments as want says and
// loads the config file cfgFlag names: the start of every command that
// reads the config itself instead of asking the running dialbridge.
func parseConfigured(fs *pflag.FlagSet, cfgFlag *string, args []string, want cli.Args) (path string, cfg config.Config, err error) {
	if err := cli.Parse(fs, args, want); err != nil {
		return "", config.Config{}, err
	}
	return loadConfig(*cfgFlag)
}

// connect reaches the running dialbridge of the config cfgFlag names.
func connect(ctx context.Context, cfgFlag string) (*control.Client, error) {
	path, err := control.ConfigPath(cfgFlag)
	if err != nil {
		return nil, err
	}
	c, err := reach.Connect(ctx, control.FilePath(path))
	if errors.Is(err, control.ErrNotRunning) {
		// The commands that need the running dialbridge do not start one
		// (a call, a key press or a write to the phone belongs to the one
		// the person runs): the sentence says how to start it.
		_ = i18n.Load() // without translations, English
		return nil, notRunning(lang.X("commands.not_running", "dialbridge is not running; start it (\"dialbridge\" for the tray, or \"dialbridge serve\") and try again"))
	}
	return c, err
}

// notRunning is control.ErrNotRunning in a sentence that says what to do:
// errors.Is still finds the sentinel (quit reports it as it is).
type notRunning string

func (e notRunning) Error() string { return string(e) }
func (e notRunning) Unwrap() error { return control.ErrNotRunning }
