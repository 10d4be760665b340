package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// TestThePeriodicReleaseWaitsWhileThePersonIsDialing: after a check, the
// binary's pages are given back only when no number was dialed in the last
// two minutes, so a burst of dials does not fault the dial path in again
// each time, and an idle resident still gives them back.
func TestThePeriodicReleaseWaitsWhileThePersonIsDialing(t *testing.T) {
	tests := []struct {
		name        string
		lastDial    time.Duration // before now; 0 means never
		wantRelease bool
	}{
		{"never dialed", 0, true},
		{"dialed 5 s ago", 5 * time.Second, false},
		{"dialed 119 s ago", 119 * time.Second, false},
		{"dialed 3 min ago", 3 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			r := &resident{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			if tt.lastDial > 0 {
				r.lastDial.Store(time.Now().Add(-tt.lastDial).UnixNano())
			}
			r.releaseAfterCheck()
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

func TestPrepareRemembersTheDial(t *testing.T) {
	r := &resident{}
	if r.dialedWithin(time.Now(), keepWhileDialing) {
		t.Fatal("a fresh resident counts as dialing")
	}
	r.rules = config.Default().Dialing.Rules()
	_, _ = r.prepare("030 1234567", true)
	if !r.dialedWithin(time.Now(), keepWhileDialing) {
		t.Error("prepare did not record the dial")
	}
}
