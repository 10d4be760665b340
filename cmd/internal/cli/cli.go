// Package cli is what dialbridge's programs share on the command line:
// the --config flag, usage mistakes (exit status 2), a chosen exit status
// (the confirmation window's answer), and turning an error into the
// sentence and status a person or a script sees.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// UsageError is a mistake on the command line: exit status 2.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// ExitError carries a specific exit status; Code 0 with any Err means
// "done, say nothing" (help was shown).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// NewFlags returns a flag set with --config, writing its messages to stderr.
func NewFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := fs.String("config", "", "config file (default: $DIALBRIDGE_CONFIG or the user's config directory)")
	return fs, cfg
}

// ParseFlags parses args into fs, turning a flag mistake into a UsageError.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &ExitError{Code: 0, Err: errors.New("help shown")}
		}
		return UsageError{Msg: err.Error()}
	}
	return nil
}

// Status writes err to stderr as one sentence after prefix ("dialbridge")
// and returns the exit status: 0 for none, 2 for a UsageError, an
// ExitError's own code, else 1. usage, when not nil, follows a usage
// mistake.
func Status(err error, prefix string, stderr io.Writer, usage func(io.Writer)) int {
	if err == nil {
		return 0
	}
	var ue UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "%s: %s\n", prefix, ue.Msg)
		if usage != nil {
			usage(stderr)
		}
		return 2
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Code != 0 {
			fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
		}
		return ee.Code
	}
	fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
	return 1
}
