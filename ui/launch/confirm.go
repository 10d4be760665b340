package launch

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
)

// ConfirmTimeout is how long a doubtful dial request waits for the person:
// nobody answering means no dial ("not confirmed within 60 s").
const ConfirmTimeout = 60 * time.Second

// The confirmation window's exit codes (`dialbridge ui confirm`): the
// contract between the resident and the window process, whose side is
// ui.Decision.
const (
	confirmDial    = 0 // dial this once
	confirmRefuse  = 1 // do not dial
	confirmAlways  = 3 // dial, and always allow this origin from now on
	confirmExpired = 4 // nobody answered before the window's countdown ran out
)

// Confirmer asks the person about a doubtful dial request in the
// confirmation window, a process of its own like every window, and reads
// the answer from its exit code. It is the listener's actionurl.Confirmer.
type Confirmer struct {
	// Open starts a window process (Windows.Open).
	Open func(name string, args ...string) (*exec.Cmd, error)
	// Timeout is how long to wait; ConfirmTimeout in the program.
	Timeout time.Duration
	// Asking, when set, is told before the window opens (the tray shows a
	// notification, in case the window opens behind others).
	Asking func(actionurl.ConfirmRequest)
}

// Confirm opens the window and waits for the person's answer, the request
// going away (ctx) or the timeout; the last two refuse and close the window.
func (c *Confirmer) Confirm(ctx context.Context, req actionurl.ConfirmRequest) (actionurl.Decision, error) {
	if c.Asking != nil {
		c.Asking(req)
	}
	// "--flag=value" keeps a value that starts with "-" a value: the origin
	// and the number come from a web page.
	// The window counts down the same time as the timer below, so that
	// the person sees when the request gives up; whichever ends first,
	// the answer is the same.
	args := []string{"--origin=" + req.Origin, "--number=" + req.Number, "--timeout=" + c.Timeout.String()}
	if req.Dial != "" {
		args = append(args, "--dial="+req.Dial)
	}
	cmd, err := c.Open("confirm", args...)
	if err != nil {
		return actionurl.Decision{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(c.Timeout)
	defer timer.Stop()
	select {
	case err = <-done:
	case <-timer.C:
		_ = cmd.Process.Kill()
		<-done
		return actionurl.Decision{Unanswered: c.Timeout}, nil
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		return actionurl.Decision{}, nil
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		return actionurl.Decision{}, fmt.Errorf("waiting for the confirmation window: %w", err)
	}
	switch code {
	case confirmDial:
		return actionurl.Decision{Allow: true}, nil
	case confirmRefuse:
		return actionurl.Decision{}, nil
	case confirmAlways:
		return actionurl.Decision{Allow: true, Remember: true}, nil
	case confirmExpired:
		return actionurl.Decision{Unanswered: c.Timeout}, nil
	default:
		return actionurl.Decision{}, fmt.Errorf("the confirmation window failed (exit status %d)", code)
	}
}
