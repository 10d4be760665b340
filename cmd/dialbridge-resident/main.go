// Command dialbridge makes the desk phone dial the numbers people click, and
// tells them about the phone's calls. See README.md for the command line.
package main

import (
	"context"
	"fmt"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one sub-command of the command line.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--config FILE] [--demo]      run headless: listener, phone, journal; no tray", runServe},
		{"dial", "dial [--config FILE] NUMBER          ask the running dialbridge to dial NUMBER", runDial},
		{"normalize", "normalize [--config FILE] TEXT     show what would be dialed for TEXT, and why", runNormalize},
		{"version", "version                             print the version", func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "dialbridge", version)
			return nil
		}},
	}
}

// extraCommands lets other files of this package add sub-commands (tray,
// ui, journal, pairing-urls, register ...) without touching this table.
var extraCommands []command

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := append(commands(), extraCommands...)
	name, rest := "", args
	if len(args) > 0 {
		name, rest = args[0], args[1:]
	}
	var err error
	switch {
	case reach.IsLink(name):
		err = runLink(ctx, args, stdout, stderr)
	case name == "help" || name == "-h" || name == "--help":
		printUsage(stdout, cmds)
		return 0
	default:
		if name == "" || strings.HasPrefix(name, "-") {
			// No sub-command: the tray app, with any flags it was given.
			name, rest = "tray", args
		}
		found := false
		for _, c := range cmds {
			if c.name == name {
				found = true
				err = c.run(ctx, rest, stdout, stderr)
				break
			}
		}
		if !found {
			fmt.Fprintf(stderr, "dialbridge: unknown command %q\n\n", name)
			printUsage(stderr, cmds)
			return 2
		}
	}
	return cli.Status(err, "dialbridge", stderr, nil)
}

func printUsage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "usage: dialbridge [command] [arguments]")
	fmt.Fprintln(w, "\nWithout a command, dialbridge starts in the tray (or brings the running one up).")
	fmt.Fprintln(w, "A tel:, callto: or sip: link as the only argument dials it.")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range cmds {
		if c.usage != "" {
			fmt.Fprintln(w, "  "+c.usage)
		}
	}
	fmt.Fprintln(w, "\nThe config file is --config FILE, else $DIALBRIDGE_CONFIG, else config.toml in the user's config directory.")
}
