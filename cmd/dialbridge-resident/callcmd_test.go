package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestCallCommandDrivesTheDemoRing: the demo phone rings from the command
// line and waits there until the command line answers and hangs up.
func TestCallCommandDrivesTheDemoRing(t *testing.T) {
	crm := newCallsCRM(t)
	r, c, _ := startCallsResident(t, demoWithInboundURL(crm.URL))
	call := func(op string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := runCall(context.Background(), []string{"--config", r.cfgPath, op}, &out, &errOut); err != nil {
			t.Fatalf("call %s: %v (%s)", op, err, errOut.String())
		}
		return out.String()
	}
	call("ring")
	waitActive(t, c, "+4930901820", false)
	if err := runCall(context.Background(), []string{"--config", r.cfgPath, "hold"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
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

// TestFirstStartWritesTheDefaultsAndSaysHowToPair: the first start writes
// the file a missing one means (the demo phone commented, not pinned) with
// the new pairing token, and says in one line how to pair a real phone.
func TestFirstStartWritesTheDefaultsAndSaysHowToPair(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	var log bytes.Buffer
	token, err := ensurePairingToken(path, config.Default(), newLogger(&log))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := config.Default()
	want.Phone.PairingToken = token
	if got := string(data); got != string(config.Render(want)) || !strings.Contains(got, "\n# brand = \"demo\" ") {
		t.Errorf("the first start wrote:\n%s", got)
	}
	if n := strings.Count(log.String(), `choose \"Pair a phone…\" in the tray or run \"dialbridge ui pair\"`); n != 1 {
		t.Errorf("the log says %d times how to pair a phone, want once:\n%s", n, log.String())
	}
}
