package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
)

// Call is `dialbridge call OP`: it answers, hangs up, holds or resumes the
// call in progress through the running resident's control API, the
// endpoint the tray uses; "ring" lets the demo phone ring, like the tray's
// "Simulate incoming call".
func Call(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("call", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError{Msg: "call needs one of answer, hangup, hold, resume, ring"}
	}
	op := fs.Arg(0)
	switch op {
	case "answer", "hangup", "hold", "resume", "ring":
	default:
		return cli.UsageError{Msg: fmt.Sprintf("call: %q is not one of answer, hangup, hold, resume, ring", op)}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if op == "ring" {
		if err := c.DemoIncoming(ctx, control.DemoCall{}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "The demo phone is ringing: answer or reject it in the tray or with \"dialbridge call answer|hangup\".")
		return nil
	}
	active, err := c.Calls(ctx)
	if err != nil {
		return err
	}
	call, ok := calls.Target(op, active)
	if !ok {
		return errors.New("no call is in progress that could be " + map[string]string{
			"answer": "answered", "hangup": "hung up", "hold": "held", "resume": "resumed"}[op])
	}
	if err := c.Call(ctx, call.GUID, op, control.CallCommand{}); err != nil {
		return err
	}
	who := call.Remote
	if call.RemoteAlias != "" {
		who = fmt.Sprintf("%s (%s)", call.RemoteAlias, call.Remote)
	}
	fmt.Fprintf(stdout, "Asked the phone to %s the call with %s.\n", map[string]string{
		"answer": "answer", "hangup": "hang up", "hold": "hold", "resume": "resume"}[op], who)
	return nil
}

// Quit is `dialbridge quit`: it asks the running dialbridge to stop, as the
// tray's Quit does: the way out on a desktop without a tray host.
func Quit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("quit", stderr)
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.UsageError{Msg: "quit takes no arguments besides its flags"}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Quit(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dialbridge is quitting.")
	return nil
}
