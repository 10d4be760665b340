package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
)

// TestCallCommandDrivesTheDemoRing: the demo phone rings from the command
// line and waits there until the command line answers and hangs up.
func TestCallCommandDrivesTheDemoRing(t *testing.T) {
	crm := newCRM(t)
	r, c, _ := startCallsResident(t, demoWithInboundURL(crm.URL))
	call := func(op string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := commands.Call(context.Background(), []string{"--config", r.ConfigPath(), op}, &out, &errOut); err != nil {
			t.Fatalf("call %s: %v (%s)", op, err, errOut.String())
		}
		return out.String()
	}
	call("ring")
	waitActive(t, c, "+4930901820", false)
	if err := commands.Call(context.Background(), []string{"--config", r.ConfigPath(), "hold"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "no call is in progress that could be held") {
		t.Errorf("hold while ringing: %v", err)
	}
	if got, want := call("answer"), "Asked the phone to answer the call with Demo Caller (+4930901820).\n"; got != want {
		t.Errorf("answer said %q, want %q", got, want)
	}
	waitActive(t, c, "+4930901820", true)
	time.Sleep(200 * time.Millisecond)
	waitActive(t, c, "+4930901820", true) // stays connected until hung up
	call("hangup")
	poll(t, 20*time.Second, journalOf(c, "since=1h"),
		func(list []control.CallEntry) bool { return len(list) == 1 && list[0].Outcome == "answered" },
		"the answered call is not in the journal")
}
