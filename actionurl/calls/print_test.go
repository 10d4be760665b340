package calls

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// TestPrintJournal is `dialbridge journal`: each call with its outcome and
// deliveries, a window of time, JSON, and a clear line when nothing is
// there.
func TestPrintJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	report := func(since string, asJSON bool) Report {
		return Report{Since: since, Limit: 50, JSON: asJSON, Now: time.Now()}
	}
	var out bytes.Buffer
	if err := PrintJournal(context.Background(), &out, path, report("", false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "No calls recorded yet") {
		t.Errorf("empty journal: %q", out.String())
	}
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	j.RecordCall(phone.Call{ID: "1", GUID: "g1", Direction: phone.Inbound, Remote: "42", RemoteAlias: "Peter",
		Created: at, Connected: at.Add(3 * time.Second), Disconnected: at.Add(68 * time.Second)}, nil)
	j.RecordCall(phone.Call{ID: "2", GUID: "g2", Direction: phone.Inbound, Remote: "43",
		Created: at.Add(-48 * time.Hour), Disconnected: at.Add(-48*time.Hour + 20*time.Second)}, nil)
	j.AddDeliveries([]outgoing.Delivery{
		{ID: 1, CallGUID: "g1", Action: phone.ActionInbound, URL: "https://crm.example/in?nr=42", Mode: outgoing.ModeBackground,
			Status: outgoing.StatusDelivered, HTTPStatus: 200, Attempts: 1, Created: at},
		{ID: 2, CallGUID: "g1", Action: phone.ActionDisconnected, URL: "https://crm.example/end?nr=42", Mode: outgoing.ModeBackground,
			Status: outgoing.StatusPending, Attempts: 2, Created: at, NextAttempt: at.Add(2 * time.Hour),
			LastError: "crm.example:443 cannot be reached: connection refused"},
	}, nil)
	if err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := PrintJournal(context.Background(), &out, path, report("24h", false)); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		at.Local().Format("2006-01-02 15:04:05") + "  inbound   answered      42 (Peter)  1:05",
		"    inbound      delivered (HTTP 200) https://crm.example/in?nr=42",
		"    disconnected pending            https://crm.example/end?nr=42  attempt 3, next at ",
		"crm.example:443 cannot be reached: connection refused",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("journal output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "missed") {
		t.Errorf("--since 24h showed an older call:\n%s", text)
	}
	out.Reset()
	if err := PrintJournal(context.Background(), &out, path, report("10m", false)); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "No calls since "+time.Now().Add(-10*time.Minute).Format("2006-01-02")) || !strings.HasSuffix(got, " (--since 10m).\n") {
		t.Errorf("nothing in the last 10 minutes: %q, want the time searched", got)
	}
	out.Reset()
	if err := PrintJournal(context.Background(), &out, path, report("", true)); err != nil {
		t.Fatal(err)
	}
	var list control.CallList
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list.Calls) != 2 || list.Calls[1].Outcome != "missed" {
		t.Errorf("--json: %v %+v", err, list)
	}
	j.Close()
	if err := PrintJournal(context.Background(), io.Discard, path, report("soon", false)); err == nil {
		t.Error("a bad --since was accepted")
	}
}
