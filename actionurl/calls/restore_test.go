package calls

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// TestCallsActiveAtAStopContinueExceptTheDemoPhones stops dialbridge
// during a call and starts it again: a real phone may still have the call,
// so it is continued; the demo phone is a fresh simulator, so its call is
// ended in the journal instead of ringing on with nobody to answer it.
func TestCallsActiveAtAStopContinueExceptTheDemoPhones(t *testing.T) {
	for _, tt := range []struct {
		brand      string
		wantActive int
	}{
		{"snom", 1},
		{"demo", 0},
	} {
		t.Run(tt.brand, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), journal.FileName)
			cfg := config.Default()
			cfg.Phone.Brand, cfg.Phone.Address = tt.brand, "192.0.2.10"
			open := func() *Service {
				s, err := Open(Options{JournalPath: path, Config: func() config.Config { return cfg }, Token: func() string { return callsToken }})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			ctx := context.Background()
			s := open()
			if err := s.HandleEvent(ctx, phone.Event{Kind: phone.EventIncoming, CallID: "c1", Remote: "0301234567", At: time.Now()}); err != nil {
				t.Fatal(err)
			}
			s.Close()

			s = open()
			defer s.Close()
			if got := len(s.Active()); got != tt.wantActive {
				t.Errorf("after the restart %d calls are active, want %d", got, tt.wantActive)
			}
			calls, err := s.Journal(ctx, control.JournalQuery{})
			if err != nil || len(calls) != 1 {
				t.Fatalf("journal = %v, %v; want the one call", calls, err)
			}
			if ended := calls[0].Disconnected != nil; ended != (tt.wantActive == 0) {
				t.Errorf("the journal's call ended %v (%+v)", ended, calls[0])
			}
		})
	}
}
