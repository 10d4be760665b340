package idlemem

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestThePeriodicReleaseWaitsWhileThePersonIsDialing: after a check, the
// binary's pages are given back only when no call is in progress and no
// number was dialed in the last two minutes, so a burst of dials does not
// fault the dial path in again each time, and an idle resident still gives
// them back.
func TestThePeriodicReleaseWaitsWhileThePersonIsDialing(t *testing.T) {
	tests := []struct {
		name        string
		lastDial    time.Duration // before now; 0 means never
		busy        bool
		wantRelease bool
	}{
		{"never dialed", 0, false, true},
		{"a call in progress", 0, true, false},
		{"dialed 5 s ago", 5 * time.Second, false, false},
		{"dialed 119 s ago", 119 * time.Second, false, false},
		{"dialed 3 min ago", 3 * time.Minute, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			p := &Pacer{Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			if tt.lastDial > 0 {
				p.lastDial.Store(time.Now().Add(-tt.lastDial).UnixNano())
			}
			p.AfterCheck(tt.busy)
			// Either "gave back memory" or "keeping the memory" (a
			// machine where the binary cannot be released): both mean
			// the release was attempted.
			got := strings.Contains(logs.String(), "after=check")
			if got != tt.wantRelease {
				t.Errorf("release attempted = %v, want %v (log: %q)", got, tt.wantRelease, logs.String())
			}
		})
	}
}
