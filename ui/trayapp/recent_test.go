package trayapp

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// journalCalls is the call service as far as the recent calls need it:
// the journal, read in-process.
type journalCalls struct {
	Calls
	j *journal.Journal
}

func (c journalCalls) Journal(ctx context.Context, q control.JournalQuery) ([]control.CallEntry, error) {
	return c.j.Calls(ctx, journal.Query{Limit: q.Limit})
}

// TestRecentCallsAreTheEndedOnesOfTheJournal writes calls to a real
// journal and reads them back as the tray's recent calls: newest first,
// the one still going left out.
func TestRecentCallsAreTheEndedOnesOfTheJournal(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
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
	a := &App{d: Deps{Calls: journalCalls{j: j}}}
	got, err := a.recentCalls(context.Background())
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
