package phone

import (
	"testing"
	"time"
)

func TestFormatDurationReadsTheSameEverywhere(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{-time.Second, "0:00"},
		{4*time.Second + 900*time.Millisecond, "0:04"}, // whole seconds, as the journal stores them
		{65 * time.Second, "1:05"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
