package calls

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
)

// TestRecentIsTheEndedCallsOfTheJournal: the tray's recent list of
// earlier runs holds the calls that ended, newest first, as they were.
func TestRecentIsTheEndedCallsOfTheJournal(t *testing.T) {
	s, err := Open(Options{
		JournalPath: filepath.Join(t.TempDir(), journal.FileName),
		Config:      config.Default,
		Token:       func() string { return callsToken },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j := s.journal
	at := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	calls := []phone.Call{
		{ID: "1", GUID: "g1", Direction: phone.Inbound, Remote: "0301", RemoteAlias: "Anna", Created: at, Disconnected: at.Add(time.Minute)},
		{ID: "2", GUID: "g2", Direction: phone.Outbound, Remote: "0302", Created: at.Add(time.Hour), Connected: at.Add(time.Hour + time.Second), Disconnected: at.Add(2 * time.Hour)},
		{ID: "3", GUID: "g3", Direction: phone.Inbound, Remote: "0303", Created: at.Add(3 * time.Hour)}, // still active
	}
	for _, c := range calls {
		j.RecordCall(c, nil)
	}
	if err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Recent(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d calls, want the 2 that ended: %+v", len(got), got)
	}
	tests := []struct {
		got, want phone.Call
	}{{got[0], calls[1]}, {got[1], calls[0]}}
	for _, tt := range tests {
		if tt.got.GUID != tt.want.GUID || tt.got.Direction != tt.want.Direction || tt.got.Remote != tt.want.Remote ||
			tt.got.RemoteAlias != tt.want.RemoteAlias || tt.got.Missed() != tt.want.Missed() || !tt.got.Created.Equal(tt.want.Created) {
			t.Errorf("call %+v, want %+v", tt.got, tt.want)
		}
	}
}
