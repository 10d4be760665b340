// Command dialbridge is what people and desktops run: it dials a clicked
// tel:, callto: or sip: link itself, and hands every other command to the
// program that does that job (packaging/programs): the windows to
// dialbridge-ui, everything else, the tray first, to dialbridge-resident.
//
// It is kept to the standard library and two small packages on purpose:
// a clicked link waits for this process to start, send one request to the
// resident and exit, so nothing heavy may initialize here.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/packaging/programs"
)

func main() {
	handOver := programs.Exec
	if runtime.GOOS == "windows" {
		handOver = startTrayDetached
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, handOver))
}

// startTrayDetached is how the front hands over on Windows, which has no
// exec(2): the tray (no command, or only flags) starts on its own and this
// process exits, rather than waiting beside it all day; any other command
// runs as a child whose exit status becomes this process's.
func startTrayDetached(name string, args []string) error {
	if name == programs.Resident && (len(args) == 0 || strings.HasPrefix(args[0], "-") || args[0] == "tray") {
		if err := programs.StartDetached(name, args); err != nil {
			return err
		}
		os.Exit(0)
	}
	return programs.Exec(name, args)
}

// run is main with its surroundings passed in; handOver gives the process
// over to another program and returns only when it could not.
func run(args []string, stdout, stderr io.Writer, handOver func(name string, args []string) error) int {
	if len(args) == 1 && reach.IsLink(args[0]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		// A link came from a page or a mail, not typed by the person: the
		// resident applies the blocked-number rules to it.
		dialed, err := reach.Dial(ctx, "", control.DialCommand{Number: args[0], Source: control.SourcePhoneLink})
		if err != nil {
			fmt.Fprintf(stderr, "dialbridge: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "The phone is dialing %s\n", dialed)
		return 0
	}
	if isNativeHost(args) {
		// The browser extension's messages, on stdin and stdout.
		if err := serveNativeHost(context.Background(), os.Stdin, stdout, reachResident); err != nil {
			fmt.Fprintf(stderr, "dialbridge native-host: %v\n", err)
			return 1
		}
		return 0
	}
	name, rest := programs.Resident, args
	if len(args) > 0 && args[0] == "ui" {
		name, rest = programs.Windows, args[1:]
	}
	err := handOver(name, rest)
	fmt.Fprintf(stderr, "dialbridge: %v\n", err)
	return 1
}
