package control

import (
	"context"
	"errors"
	"time"
)

// ErrExited is WaitReady's answer when the resident ended before it
// answered: waiting longer cannot help, and the caller has its output to
// show.
var ErrExited = errors.New("the resident exited before its control API answered")

// WaitReady waits until the resident that process pid runs on the config
// at configPath answers its control API: the control file names pid (not
// a resident from before, whose file may still be there) and a ping
// answers. It returns ErrExited once exited is closed (nil: never), and
// ctx's error when ctx ends first. Whoever starts `dialbridge serve` (the
// end-to-end tests, the benchmarks) waits with it, so that all of them
// mean the same by "up".
func WaitReady(ctx context.Context, configPath string, pid int, exited <-chan struct{}) error {
	path := FilePath(configPath)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if cf, err := ReadFile(path); err == nil && cf.PID == pid && NewClient(cf, nil).Ping(ctx) == nil {
			return nil
		}
		select {
		case <-exited:
			return ErrExited
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
