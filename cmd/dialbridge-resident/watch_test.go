package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// TestASIPPhonesCallsReachTheTrackerAndAreAnsweredHeldAndResumed: with brand = "sip",
// dialbridge subscribes to the phone's dialog state; a call ringing on the
// phone shows among the active calls; answering and holding it through the
// control API (what the tray does) make the phone take it and hold it
// (NOTIFY talk, hold), and the call shows on hold, so resuming it is offered
// and works too.
func TestASIPPhonesCallsReachTheTrackerAndAreAnsweredHeldAndResumed(t *testing.T) {
	sim, s, err := brandsim.StartWith("sip", "admin", "pa55")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() }) // after the resident's: it ends its subscription
	t.Setenv("DIALBRIDGE_PHONE_PASSWORD", "pa55")
	_, c, _ := startCallsResident(t, fmt.Sprintf("[phone]\nbrand = \"sip\"\naddress = %q\nusername = \"admin\"\nsip_domain = %q\n", s.Address, s.SIPDomain))
	ctx := context.Background()
	if _, err := sim.WaitRequests(ctx, 1); err != nil { // the SUBSCRIBE
		t.Fatal(err)
	}
	phoneSim := sim.(interface {
		Ring()
		Line() phonesim.CallState
	})
	phoneSim.Ring()
	active := waitCall(t, c, func(control.CallEntry) bool { return true })
	if active.Remote != "200" || active.Connected != nil {
		t.Fatalf("active call %+v, want a ringing call from 200", active)
	}
	steps := []struct {
		op       string
		wantLine phonesim.CallState
		shows    func(control.CallEntry) bool
	}{
		{"answer", phonesim.Connected, func(e control.CallEntry) bool { return e.Connected != nil }},
		{"hold", phonesim.Held, func(e control.CallEntry) bool { return e.OnHold }},
		{"resume", phonesim.Connected, func(e control.CallEntry) bool { return !e.OnHold }},
	}
	for _, st := range steps {
		if err := c.Call(ctx, active.GUID, st.op, control.CallCommand{}); err != nil {
			t.Fatalf("%s: %v", st.op, err)
		}
		if got := phoneSim.Line(); got != st.wantLine {
			t.Errorf("%s: the phone's line is %q, want %q", st.op, got, st.wantLine)
		}
		waitCall(t, c, st.shows)
	}
}
