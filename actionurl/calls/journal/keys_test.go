package journal

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

var berlin = dialplan.Rules{Country: "DE", AreaCode: "30", InternalMaxDigits: 4}

// missedAndCalledBack records a call missed from missed and, a minute
// later, a call out to back.
func missedAndCalledBack(j *Journal, missed, back string) {
	j.RecordCall(phone.Call{ID: "m", GUID: "m", Direction: phone.Inbound, Remote: missed, Created: t0, Disconnected: t0.Add(20 * time.Second)}, nil)
	j.RecordCall(phone.Call{ID: "b", GUID: "b", Direction: phone.Outbound, Remote: back, Created: t0.Add(time.Minute), Disconnected: t0.Add(2 * time.Minute)}, nil)
}

// unreturned counts the journal's unreturned missed calls once its writes
// are on disk.
func unreturned(t *testing.T, j *Journal) int {
	t.Helper()
	if err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := j.UnreturnedMissed(context.Background(), t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTheJournalKeysItsCallsAgainWhenTheRulesChange: "030 1234567"
// returns a call missed from "+49301234567" only under rules that know
// Berlin; changing the rules keys every call again, and a journal written
// before calls had keys (no remote_key column) is keyed when it is opened
// and given the rules.
func TestTheJournalKeysItsCallsAgainWhenTheRulesChange(t *testing.T) {
	j, path := openTemp(t)
	missedAndCalledBack(j, "+49301234567", "030 1234567")
	expectUnreturned(t, j, []keyStep{{"without a country", nil, 1}, {"in Berlin", &berlin, 0}, {"back without a country", &dialplan.Rules{}, 1}})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	forgetKeys(t, path)
	old, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	expectUnreturned(t, old, []keyStep{{"an old journal before UseRules (unkeyed calls match nothing)", nil, 0},
		{"an old journal in Berlin", &berlin, 0}, {"an old journal without a country", &dialplan.Rules{}, 1}})
}

// keyStep gives the journal rules (nil: none) and says how many missed
// calls are then unreturned.
type keyStep struct {
	name  string
	rules *dialplan.Rules
	want  int
}

// expectUnreturned takes the steps in turn on j.
func expectUnreturned(t *testing.T, j *Journal, steps []keyStep) {
	t.Helper()
	for _, st := range steps {
		if st.rules != nil {
			j.UseRules(*st.rules, nil)
		}
		if got := unreturned(t, j); got != st.want {
			t.Errorf("%s: %d unreturned, want %d", st.name, got, st.want)
		}
	}
}

// forgetKeys turns the journal at path into one an older dialbridge
// wrote: no remote_key column, no record of the rules.
func forgetKeys(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`DROP INDEX calls_remote_key`, `ALTER TABLE calls DROP COLUMN remote_key`, `DELETE FROM counters WHERE name = '` + keyedWith + `'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestMarkReturnedMarksEverySpellingOfTheNumber: a function key that
// calls back "+49301234567" marks the calls missed from "030 1234567" and
// "0301234567" too, and not those from another number or an extension.
func TestMarkReturnedMarksEverySpellingOfTheNumber(t *testing.T) {
	j, _ := openTemp(t)
	j.UseRules(berlin, nil)
	for i, remote := range []string{"030 1234567", "0301234567", "+49 30 1234567", "030 7654321", "4567"} {
		at := t0.Add(time.Duration(i) * time.Minute)
		guid := fmt.Sprint("m", i)
		j.RecordCall(phone.Call{ID: guid, GUID: guid, Direction: phone.Inbound, Remote: remote, Created: at, Disconnected: at.Add(time.Second)}, nil)
	}
	ch := make(chan int, 1)
	j.MarkReturned("+49301234567", t0.Add(time.Hour), func(n int, err error) {
		if err != nil {
			t.Error(err)
		}
		ch <- n
	})
	if got := <-ch; got != 3 {
		t.Errorf("MarkReturned marked %d calls, want 3", got)
	}
	if got := unreturned(t, j); got != 2 {
		t.Errorf("%d unreturned, want 2 (another number, an extension)", got)
	}
}

// benchJournal is a journal of n calls (a missed call in every tenth,
// every other one called back by another spelling) written by a
// dialbridge that kept no keys.
func benchJournal(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), FileName)
	j, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	j.UseRules(berlin, nil)
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Minute)
		c := phone.Call{ID: fmt.Sprint(i), GUID: fmt.Sprint(i), Direction: phone.Outbound, Remote: fmt.Sprintf("+4930%07d", i%3000),
			Created: at, Connected: at, Disconnected: at.Add(time.Minute)}
		if i%10 == 0 {
			c.Direction, c.Connected, c.Remote = phone.Inbound, time.Time{}, fmt.Sprintf("030 %07d", (i+5)%3000)
		}
		j.RecordCall(c, nil)
	}
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpenKeysAnOldJournal opens a journal of 10,000 calls without
// keys and keys it under the Berlin rules: the cost of the first start
// after an update (later starts find the keys and key nothing).
func BenchmarkOpenKeysAnOldJournal(b *testing.B) {
	path := benchJournal(b, 10000)
	for b.Loop() {
		b.StopTimer()
		forgetKeys(b, path)
		b.StartTimer()
		openInBerlin(b, path)
	}
}

// BenchmarkOpenKeyedJournal opens a keyed journal of 10,000 calls with
// the rules it was keyed with: every start but the first after an update.
func BenchmarkOpenKeyedJournal(b *testing.B) {
	path := benchJournal(b, 10000)
	for b.Loop() {
		openInBerlin(b, path)
	}
}

// openInBerlin opens the journal at path, keys it under the Berlin rules
// and closes it once that is done.
func openInBerlin(b *testing.B, path string) {
	j, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	j.UseRules(berlin, nil)
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUnreturnedMissed counts the unreturned missed calls among
// 10,000, as a "missed calls" light does after every call.
func BenchmarkUnreturnedMissed(b *testing.B) {
	path := benchJournal(b, 10000)
	j, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	j.UseRules(berlin, nil)
	if err := j.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := j.UnreturnedMissed(context.Background(), t0); err != nil {
			b.Fatal(err)
		}
	}
}
