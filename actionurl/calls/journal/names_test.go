package journal

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
)

func TestAJournalFromBeforeCallerLookupsGetsTheCompanyColumnAndKeepsItsCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	old := olderJournal(t, path)
	if _, err := old.Exec(`ALTER TABLE calls DROP COLUMN remote_company`); err == nil {
		t.Fatal("the schema itself has remote_company; this test must start from a file without it")
	}
	if _, err := old.Exec(`INSERT INTO calls (guid, call_id, direction, remote, created, outcome, updated) VALUES ('old', 'c0', 0, '42', 1, 'missed', 1)`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	j.RecordCall(phone.Call{ID: "c1", GUID: "named", Remote: "43", RemoteAlias: "Anna", RemoteCompany: "ACME", Created: t0}, nil)
	j.RecordCall(phone.Call{ID: "c2", GUID: "late", Remote: "44", Created: t0, Disconnected: t0}, nil)
	type answer struct {
		c  phone.Call
		ok bool
	}
	answers := make(chan answer, 3)
	tell := func(c phone.Call, ok bool, err error) {
		if err != nil {
			t.Error(err)
		}
		answers <- answer{c, ok}
	}
	j.NameCall("c2", "44", t0, "Bernd", "Kraus KG", tell)
	j.NameCall("c1", "43", t0, "Not Anna", "", tell)
	j.NameCall("c2", "45", t0, "Wrong number", "", tell)
	for i, want := range []answer{{phone.Call{GUID: "late", RemoteAlias: "Bernd"}, true}, {}, {}} {
		got := <-answers
		if got.ok != want.ok || got.c.GUID != want.c.GUID || got.c.RemoteAlias != want.c.RemoteAlias {
			t.Errorf("NameCall %d named %q (%q), %v; want %q (%q), %v", i+1, got.c.GUID, got.c.RemoteAlias, got.ok, want.c.GUID, want.c.RemoteAlias, want.ok)
		}
	}
	entries, err := j.Calls(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		got[e.GUID] = e.RemoteAlias + "/" + e.RemoteCompany
	}
	want := map[string]string{"old": "/", "named": "Anna/ACME", "late": "Bernd/Kraus KG"}
	for g, w := range want {
		if got[g] != w {
			t.Errorf("call %s: name/company %q, want %q", g, got[g], w)
		}
	}
}

// olderJournal is a journal file at path as the first dialbridge wrote it:
// the schema without the laterColumns. The test adds its rows and closes
// it before a newer dialbridge opens it.
func olderJournal(t *testing.T, path string) *sql.DB {
	t.Helper()
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(schema); err != nil {
		t.Fatal(err)
	}
	return old
}
