// Package reach is how short-lived commands (a clicked link, `dialbridge
// dial`) reach the running resident: read its control file, send the
// request, and start a resident in the background when none runs.
//
// It stays as light as actionurl/control, which it builds on: the link
// handler imports it, and its start-up time is the link's latency.
package reach

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/packaging/programs"
)

// StartTimeout is how long Dial waits for a resident it started.
const StartTimeout = 15 * time.Second

// Dial sends cmd to the resident of the config file cfgFlag names ("" for
// the default), starting one in the background when none runs, and
// returns what the phone dialed.
func Dial(ctx context.Context, cfgFlag string, cmd control.DialCommand) (string, error) {
	var dialed string
	err := With(ctx, cfgFlag, func(c *control.Client) (err error) {
		dialed, err = c.Dial(ctx, cmd)
		return err
	})
	return dialed, err
}

// With calls use with a client of the resident of the config file cfgFlag
// names, starting one in the background when none runs: the link handler's
// dial and the browser extension's native messaging host alike.
//
// It sends the request at once instead of checking first: a running
// resident answers in one round trip, and only a missing control file or
// a refused connection (nothing listens, so nothing was done) leads to
// starting one and calling use again.
func With(ctx context.Context, cfgFlag string, use func(*control.Client) error) error {
	path, err := control.ConfigPath(cfgFlag)
	if err != nil {
		return err
	}
	ctlPath := control.FilePath(path)
	cf, err := control.ReadFile(ctlPath)
	if err == nil {
		if err := use(control.NewClient(cf, nil)); !notListening(err) {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// A reason left by an earlier failed start is not this start's.
	control.WriteStartFailure(path, nil)
	if err := Start(cfgFlag); err != nil {
		return err
	}
	c, err := Wait(ctx, path, StartTimeout)
	if err != nil {
		return err
	}
	return use(c)
}

// notListening reports whether err is a failure to connect at all, so the
// request never left this machine's socket: on every system that is a
// net.OpError from the "dial" step (a refused connection, most often).
func notListening(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Connect reads the control file at ctlPath and checks that its resident
// answers; control.ErrNotRunning when none does.
func Connect(ctx context.Context, ctlPath string) (*control.Client, error) {
	cf, err := control.ReadFile(ctlPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, control.ErrNotRunning
	}
	if err != nil {
		return nil, err
	}
	c := control.NewClient(cf, nil)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(pctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Start starts the resident detached: the tray app on a desktop, the
// headless `serve` elsewhere.
func Start(cfgFlag string) error {
	var args []string
	// Windows and macOS always have a desktop; elsewhere only with X or
	// Wayland.
	desktop := runtime.GOOS == "windows" || runtime.GOOS == "darwin" ||
		os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
	if !desktop {
		args = append(args, "serve")
	}
	if cfgFlag != "" {
		args = append(args, "--config", cfgFlag)
	}
	if err := programs.StartDetached(programs.Resident, args); err != nil {
		return fmt.Errorf("starting dialbridge: %w", err)
	}
	return nil
}

// Wait polls for the control file of the resident of the config file at
// cfgPath that is starting. A resident that fails says why in its start
// failure file, and that reason ends the wait at once.
func Wait(ctx context.Context, cfgPath string, limit time.Duration) (*control.Client, error) {
	ctlPath := control.FilePath(cfgPath)
	deadline := time.Now().Add(limit)
	for {
		c, err := Connect(ctx, ctlPath)
		if err == nil {
			return c, nil
		}
		if reason, failed := control.ReadStartFailure(cfgPath); failed {
			return nil, fmt.Errorf("dialbridge could not start: %s", reason)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("dialbridge did not start within %s: %w (run \"dialbridge serve\" to see why)", limit, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// IsLink reports whether arg is a phone link handed over by the desktop
// (tel:, callto:, sip:, sips:, in any case): the front dials those itself,
// and the resident takes them too when run by hand.
func IsLink(arg string) bool {
	l := strings.ToLower(arg)
	for _, s := range []string{"tel:", "callto:", "sip:", "sips:"} {
		if strings.HasPrefix(l, s) {
			return true
		}
	}
	return false
}
