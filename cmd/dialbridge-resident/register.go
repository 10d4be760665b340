package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"

	"github.com/dialbridge/dialbridge/packaging/integrate"
)

// thisDesktop is the integration of the running platform for this binary.
func thisDesktop() (integrate.Desktop, error) {
	env, err := integrate.CurrentEnv()
	if err != nil {
		return nil, err
	}
	return integrate.ForThisOS(env)
}

// The desktop commands tie dialbridge into the desktop. The Settings
// window's "Make dialbridge the handler for phone links" runs `dialbridge
// register`, so that the window process needs no platform code of its own.
// newDesktop is passed in for the tests.

func runRegister(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error)) error {
	fs, _ := cli.NewFlags("register", stderr)
	statusOnly := fs.Bool("status", false, "show which program opens phone links, change nothing")
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "register takes no arguments besides --status"}
	}
	d, err := newDesktop()
	if err != nil {
		return err
	}
	if !*statusOnly {
		if err := d.RegisterHandler(ctx); err != nil {
			return err
		}
	}
	st, err := d.HandlerStatus(ctx)
	if err != nil {
		return err
	}
	others := printHandlerStatus(stdout, st)
	if *statusOnly || len(others) == 0 {
		return nil
	}
	if hint := d.ConfirmHint(); hint != "" {
		fmt.Fprintln(stdout, hint)
		return nil
	}
	return fmt.Errorf("the desktop still opens %s links with another program", strings.Join(others, ", "))
}

func runUnregister(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error)) error {
	fs, _ := cli.NewFlags("unregister", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "unregister takes no arguments"}
	}
	d, err := newDesktop()
	if err != nil {
		return err
	}
	if err := d.UnregisterHandler(ctx); err != nil {
		return err
	}
	st, err := d.HandlerStatus(ctx)
	if err != nil {
		return err
	}
	printHandlerStatus(stdout, st)
	return nil
}

// printHandlerStatus prints one line per scheme, in the order of
// integrate.Schemes, and returns the schemes another program opens.
func printHandlerStatus(w io.Writer, st map[string]bool) (others []string) {
	for _, s := range integrate.Schemes {
		who := "another program (or none)"
		if st[s] {
			who = "dialbridge"
		} else {
			others = append(others, s+":")
		}
		fmt.Fprintf(w, "%-8s %s\n", s+":", who)
	}
	return others
}

func runAutostart(ctx context.Context, args []string, stdout, stderr io.Writer, newDesktop func() (integrate.Desktop, error)) error {
	fs, _ := cli.NewFlags("autostart", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) != 1 || args[0] != "on" && args[0] != "off" && args[0] != "status" {
		return cli.UsageError{Msg: "autostart needs on, off or status"}
	}
	d, err := newDesktop()
	if err != nil {
		return err
	}
	if args[0] != "status" {
		if err := d.SetAutostart(ctx, args[0] == "on"); err != nil {
			return err
		}
	}
	on, err := d.Autostart(ctx)
	if err != nil {
		return err
	}
	if on {
		fmt.Fprintln(stdout, "dialbridge starts at login")
	} else {
		fmt.Fprintln(stdout, "dialbridge does not start at login")
	}
	return nil
}
