package resident

import (
	"context"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl"
)

// askedConfirmer holds every question until release is closed.
type askedConfirmer struct {
	asked   chan struct{}
	release chan struct{}
}

func (c askedConfirmer) Confirm(ctx context.Context, _ actionurl.ConfirmRequest) (actionurl.Decision, error) {
	c.asked <- struct{}{}
	<-c.release
	return actionurl.Decision{Allow: true}, nil
}

// TestAWaitingConfirmationIsCountedForItsLight: while the person is
// asked, confirm_pending's count is up and the lights are woken; after
// the answer it is down again.
func TestAWaitingConfirmationIsCountedForItsLight(t *testing.T) {
	r := &App{}
	r.lights = newKeyLights(r)
	inner := askedConfirmer{asked: make(chan struct{}), release: make(chan struct{})}
	c := r.countConfirms(inner)
	if r.countConfirms(nil) != nil {
		t.Error("nobody to ask became someone to ask")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.Confirm(context.Background(), actionurl.ConfirmRequest{})
	}()
	<-inner.asked
	if got := r.lights.confirming.Load(); got != 1 {
		t.Errorf("while asking: %d waiting, want 1", got)
	}
	select {
	case <-r.lights.kick:
	default:
		t.Error("the lights were not woken by the question")
	}
	close(inner.release)
	<-done
	if got := r.lights.confirming.Load(); got != 0 {
		t.Errorf("after the answer: %d waiting, want 0", got)
	}
}
