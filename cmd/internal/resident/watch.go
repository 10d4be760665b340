package resident

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// callWatch is a running phone.CallWatcher: the driver following the
// phone's calls itself and handing them to the call service, as the action
// URLs of other phones do.
type callWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// The pauses before following the phone's calls again after it stopped
// reporting them: short at first, then no more than one attempt in five
// minutes, so that a phone that is switched off costs nothing.
const (
	watchRetryFirst = time.Second
	watchRetryMax   = 5 * time.Minute
)

// watchCalls starts following the phone's calls when the paired driver
// can (phone.CallWatcher), after stopping the previous watch.
func (r *App) watchCalls() {
	r.stopWatching()
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := brands.Underlying(r.phone.Driver()).(phone.CallWatcher)
	if !ok || r.calls == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	cw := &callWatch{cancel: cancel, done: make(chan struct{})}
	r.watch = cw
	go func() {
		defer close(cw.done)
		pause := watchRetryFirst
		for {
			began := time.Now()
			err := w.Watch(ctx, func(ev phone.Event) {
				if err := r.calls.HandleEvent(ctx, ev); err != nil && ctx.Err() == nil {
					r.log.Error("a call the phone reported could not be recorded", "event", ev.Kind.String(), "error", err)
				}
			})
			if ctx.Err() != nil {
				return
			}
			if time.Since(began) > watchRetryMax {
				pause = watchRetryFirst // it worked for a while: a new failure
			}
			r.log.Warn("the phone stopped reporting its calls; asking again", "error", err, "in", pause.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(pause*2, watchRetryMax)
		}
	}()
}

// stopWatching ends the watch, if any, and waits for it.
func (r *App) stopWatching() {
	r.mu.Lock()
	cw := r.watch
	r.watch = nil
	r.mu.Unlock()
	if cw != nil {
		cw.cancel()
		<-cw.done
	}
}
