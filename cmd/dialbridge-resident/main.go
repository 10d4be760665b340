// Command dialbridge makes the desk phone dial the numbers people click, and
// tells them about the phone's calls. See README.md for the command line.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	oneProcessor()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// oneProcessor runs the resident's goroutines on one processor, unless
// GOMAXPROCS says otherwise. The resident waits nearly all the time and
// then does a few hundred microseconds of work per request, handed from
// goroutine to goroutine (listener connection, HTTP client to the phone,
// its read and write loops). With a second processor idle, every hand-over
// wakes another thread to steal the work, and each wake-up is a context
// switch that waits for a CPU on a busy desktop; with one processor the
// next goroutine runs on the thread that readied it: at one dial every
// 6 s per resident on a loaded 2-core machine, p50 through the listener
// went from about 1.47 to 1.27 ms (direct to the phone about 0.58 ms).
// Setting it also stops the runtime from re-reading the CPU quota every
// second while idle.
func oneProcessor() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

// command is one sub-command of the command line.
type command struct {
	cli.Command
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commandTable is the whole command line of the resident, in the order help
// lists it; newDesktop is the desktop integration and newHosts the
// browsers' native messaging hosts (both passed in for the tests). The
// front program (cmd/dialbridge) hands every command but links and "ui"
// here.
func commandTable(newDesktop func() (integrate.Desktop, error), newHosts func() (nativehost.Hosts, error)) []command {
	c := func(name, args, summary string, run func(context.Context, []string, io.Writer, io.Writer) error) command {
		return command{cli.Command{Name: name, Args: args, Summary: summary}, run}
	}
	return []command{
		c("tray", "", "", runTray),
		c("demo", "[--config FILE]", "the tray app with a simulated phone", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runTray(ctx, append([]string{"--demo"}, args...), stdout, stderr)
		}),
		c("serve", "[--config FILE] [--demo]", "run headless: listener, phone, journal; no tray", runServe),
		c("dial", "[--config FILE] [--identity URI] NUMBER", "ask the running dialbridge to dial NUMBER", commands.Dial),
		c("normalize", "[--config FILE] TEXT", "show what would be dialed for TEXT, and why", commands.Normalize),
		c("journal", "[--config FILE] [--since T] [--limit N] [--json]", "show recent calls and their action URLs", commands.Journal),
		c("lookup", "[--config FILE] NUMBER | --status", "who NUMBER is and which source says so (exit 1: nobody knows); --status: how each source is doing", commands.Lookup),
		c("call", commands.CallArgs, commands.CallSummary, commands.Call),
		c("dnd", "[--config FILE] on|off|status", "switch the phone's do not disturb", commands.DND),
		c("forward", "[--config FILE] NUMBER|off|status", "forward every incoming call to NUMBER on the phone, or stop", commands.Forward),
		c("key", commands.KeyArgs, commands.KeySummary, commands.Key),
		c("quit", "[--config FILE]", "quit the running dialbridge (also without a tray icon)", commands.Quit),
		c("pairing-urls", "[--config FILE] [--keys]", "print what to enter in the phone's settings (--keys: to bind its function keys)", commands.PairingURLs),
		c("function-keys", commands.FunctionKeysArgs, commands.FunctionKeysSummary, commands.FunctionKeys),
		c("pair", "[--config FILE] [--brand B] [--user NAME] [--wait D] [ADDRESS]", "pair the phone: sign in, write its event URLs where it lets a program, test", commands.Pair),
		c("doctor", "[--config FILE] [--json] [--bundle FILE]", "check every link from the config to the phone, naming the first broken one", commands.Doctor(version)),
		c("ui", "[--config FILE] WINDOW [ARGS]", "open a window: dial [NUMBER], settings [PAGE], pair [ADDRESS], journal [deliveries], whatswrong, about, confirm", runWindow),
		c("register", "[--status]", "make dialbridge open tel:, callto: and sip: links and let its browser extension in (--status: only show)", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return commands.Register(ctx, args, stdout, stderr, newDesktop, newHosts)
		}),
		c("unregister", "", "stop dialbridge opening phone links and its browser extension", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return commands.Unregister(ctx, args, stdout, stderr, newDesktop, newHosts)
		}),
		c("autostart", "on|off|status", "start dialbridge at login, or not", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return commands.Autostart(ctx, args, stdout, stderr, newDesktop)
		}),
		c("version", "", "print the version", runVersion),
	}
}

// runVersion prints the version.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := cli.NewFlags("version", stderr)
	if err := cli.Parse(fs, args, cli.Args{Usage: "version takes no arguments"}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dialbridge", version)
	return nil
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := commandTable(integrate.ThisDesktop, integrate.ThisNativeHosts)
	first := ""
	if len(args) > 0 {
		first = args[0]
	}
	name, rest := cli.SplitCommand(args)
	var err error
	switch {
	case reach.IsLink(first):
		err = commands.Link(ctx, args, stdout, stderr)
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
	return cli.Status(commands.Worded(err), "dialbridge", stderr, nil)
}

func printUsage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "usage: dialbridge [command] [arguments]")
	fmt.Fprintln(w, "\nWithout a command, dialbridge starts in the tray (or brings the running one up).")
	fmt.Fprintln(w, "A tel:, callto: or sip: link as the only argument dials it.")
	fmt.Fprintln(w, "\ncommands:")
	cli.PrintCommands(w, cmds)
	fmt.Fprintln(w, "\nThe config file is --config FILE, else $DIALBRIDGE_CONFIG, else config.toml in the user's config directory.")
}
