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
	deadline := time.Now().Add(20 * time.Second)
	for {
		var list control.CallList
		if err := c.Do(context.Background(), "GET", "/api/v1/journal?since=1h", nil, &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Calls) == 1 && list.Calls[0].Outcome == "answered" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the answered call is not in the journal: %+v", list.Calls)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
