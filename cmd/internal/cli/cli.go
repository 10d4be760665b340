// Package cli is what dialbridge's programs share on the command line: one
// flag parser (flags before or after the arguments, --config on every
// command), usage mistakes (exit status 2), a chosen exit status (the
// confirmation window's answer), the aligned table of commands that help
// shows, and turning an error into the sentence and status a person or a
// script sees.
//
// The parser is github.com/spf13/pflag: pure Go, no init work, GNU-style
// long flags, and arguments and flags in any order ("normalize 030 --config
// F" is "normalize --config F 030"), which the standard library's flag
// package stops parsing at the first argument.
package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
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

// ConfigUsage is the help text of --config, the same on every command.
const ConfigUsage = "the config `FILE` (default: $DIALBRIDGE_CONFIG, else config.toml in the user's config directory)"

// NewFlags returns a flag set with --config, writing its messages to
// stderr. Flags may come before, between or after the arguments; "--"
// ends them.
func NewFlags(name string, stderr io.Writer) (*pflag.FlagSet, *string) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SetInterspersed(true)
	fs.SortFlags = false
	cfg := fs.String("config", "", ConfigUsage)
	fs.Usage = func() { printFlags(stderr, name, fs) }
	return fs, cfg
}

// printFlags is a command's --help: one aligned line per flag, with the
// value's name (a `WORD` in backquotes in its usage, else its type) and a
// default that is not the zero value.
func printFlags(w io.Writer, name string, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "usage of %s:\n", name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(f *pflag.Flag) {
		varname, usage := pflag.UnquoteUsage(f)
		if f.Value.Type() == "bool" {
			varname = ""
		}
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(tw, "  --%s\t%s\n", strings.TrimSpace(f.Name+" "+varname), usage)
	})
	tw.Flush()
}

// ParseFlags parses args into fs, turning a flag mistake into a
// UsageError. A long flag written with one dash (-config, as Go's flag
// package allowed) is read as the long flag: dialbridge has no one-letter
// flags besides -h, so nothing else could be meant.
func ParseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(longFlags(args)); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return &ExitError{Code: 0, Err: errors.New("help shown")}
		}
		return UsageError{Msg: err.Error()}
	}
	return nil
}

// Args is how many arguments a command takes besides its flags, and the
// sentence a person reads when the count is off: the rule every command
// checks right after its flags, kept in one place (Parse).
type Args struct {
	// Min and Max bound the count; Max is Any for no upper bound. The zero
	// Args is "no arguments".
	Min, Max int
	// OneOf, when set, lists the words the first argument may be
	// ("on", "off", "status").
	OneOf []string
	// Usage is the UsageError's sentence, e.g. "dial needs a NUMBER".
	Usage string
}

// Any is Args.Max for "as many arguments as given".
const Any = -1

// Parse is ParseFlags followed by the check of the arguments' count (and
// first word) against want: a mistake in either is a UsageError.
func Parse(fs *pflag.FlagSet, args []string, want Args) error {
	if err := ParseFlags(fs, args); err != nil {
		return err
	}
	n := fs.NArg()
	if n < want.Min || (want.Max != Any && n > want.Max) ||
		(len(want.OneOf) > 0 && n > 0 && !slices.Contains(want.OneOf, fs.Arg(0))) {
		return UsageError{Msg: want.Usage}
	}
	return nil
}

// longFlags rewrites -name to --name up to "--".
func longFlags(args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			out[i] = "-" + a
		}
	}
	return out
}

// SplitCommand finds the command (or window) among args wherever the
// flags stand, "--config F serve" as well as "serve --config F", and
// returns the other arguments in order: the first argument that is
// neither a flag nor --config's value. "" when there is none.
func SplitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				return args[i+1], slices.Concat(args[:i], args[i+2:])
			}
			return "", args
		case a == "--config" || a == "-config":
			i++ // its value
		case strings.HasPrefix(a, "-"):
		default:
			return a, slices.Concat(args[:i], args[i+1:])
		}
	}
	return "", args
}

// Command is one line of a program's command table as help shows it.
type Command struct {
	Name string
	// Args is the synopsis after the name, e.g. "[--config FILE] NUMBER".
	Args string
	// Summary says in a few words what the command does.
	Summary string
}

// Line is the command's help line; a program's own command type embeds
// Command and so has it too.
func (c Command) Line() Command { return c }

// PrintCommands writes cmds as aligned columns (name and synopsis, then
// the summary), skipping those without a summary.
func PrintCommands[C interface{ Line() Command }](w io.Writer, cmds []C) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cmd := range cmds {
		c := cmd.Line()
		if c.Summary == "" {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.Name+" "+c.Args), c.Summary)
	}
	tw.Flush()
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
