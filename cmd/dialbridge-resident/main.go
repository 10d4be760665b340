// Command dialbridge makes the desk phone dial the numbers people click, and
// tells them about the phone's calls. See README.md for the command line.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/packaging/integrate"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one sub-command of the command line.
type command struct {
	cli.Command
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is the whole command line of the resident, in the order help
// lists it; newDesktop is the desktop integration (passed in for the
// tests). The front program (cmd/dialbridge) hands every command but links
// and "ui" here.
func commands(newDesktop func() (integrate.Desktop, error)) []command {
	c := func(name, args, summary string, run func(context.Context, []string, io.Writer, io.Writer) error) command {
		return command{cli.Command{Name: name, Args: args, Summary: summary}, run}
	}
	return []command{
		c("tray", "", "", runTray),
		c("demo", "[--config FILE]", "the tray app with a simulated phone", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runTray(ctx, append([]string{"--demo"}, args...), stdout, stderr)
		}),
		c("serve", "[--config FILE] [--demo]", "run headless: listener, phone, journal; no tray", runServe),
		c("dial", "[--config FILE] [--identity URI] NUMBER", "ask the running dialbridge to dial NUMBER", runDial),
		c("normalize", "[--config FILE] TEXT", "show what would be dialed for TEXT, and why", runNormalize),
		c("journal", "[--config FILE] [--since T] [--limit N] [--json]", "show recent calls and their action URLs", runJournal),
		c("lookup", "[--config FILE] NUMBER", "who NUMBER is and which source says so (exit 1: nobody knows)", runLookup),
		c("call", "[--config FILE] answer|hangup|hold|resume|ring", "act on the call in progress (ring: the demo phone rings)", runCall),
		c("quit", "[--config FILE]", "quit the running dialbridge (also without a tray icon)", runQuit),
		c("pairing-urls", "[--config FILE]", "print what to enter in the phone's settings", runPairingURLs),
		c("ui", "[--config FILE] WINDOW [ARGS]", "open a window: dial [NUMBER], settings [PAGE], pair [ADDRESS], journal [deliveries], about, confirm", runWindow),
		c("register", "[--status]", "make dialbridge open tel:, callto: and sip: links (--status: only show)", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runRegister(ctx, args, stdout, stderr, newDesktop)
		}),
		c("unregister", "", "stop dialbridge opening phone links", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runUnregister(ctx, args, stdout, stderr, newDesktop)
		}),
		c("autostart", "on|off|status", "start dialbridge at login, or not", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runAutostart(ctx, args, stdout, stderr, newDesktop)
		}),
		c("version", "", "print the version", runVersion),
	}
}

// runVersion prints the version.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := cli.NewFlags("version", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "version takes no arguments"}
	}
	fmt.Fprintln(stdout, "dialbridge", version)
	return nil
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := commands(integrate.ThisDesktop)
	first := ""
	if len(args) > 0 {
		first = args[0]
	}
	name, rest := cli.SplitCommand(args)
	var err error
	switch {
	case reach.IsLink(first):
		err = runLink(ctx, args, stdout, stderr)
	case first == "help" || first == "-h" || first == "--help" || name == "help":
		printUsage(stdout, cmds)
		return 0
	default:
		if name == "" {
			// No sub-command: the tray app, with any flags it was given.
			name, rest = "tray", args
		}
		found := false
		for _, c := range cmds {
			if c.Name == name {
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
	cli.PrintCommands(w, cmds)
	fmt.Fprintln(w, "\nThe config file is --config FILE, else $DIALBRIDGE_CONFIG, else config.toml in the user's config directory.")
}
