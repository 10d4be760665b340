package resident

import (
	"errors"
	"testing"
)

// TestShowNeedsATray: without a tray Show says so (the control API answers
// 409 from it); with one, Show is what the tray set, error included.
func TestShowNeedsATray(t *testing.T) {
	r := &App{}
	if err := r.Show(); !errors.Is(err, ErrNoTray) {
		t.Errorf("without a tray: got %v, want ErrNoTray", err)
	}
	r.Stop() // before Serve: nothing to stop, and no panic
	shown := 0
	broken := errors.New("the dial pad could not open")
	for _, want := range []error{nil, broken} {
		r.SetShow(func() error { shown++; return want })
		if got := r.Show(); got != want {
			t.Errorf("with a tray: got %v, want %v", got, want)
		}
	}
	if shown != 2 {
		t.Errorf("the tray was asked %d times, want 2", shown)
	}
}
