package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/journal"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// TestASIPPhonesCallsReachTheTrackerAndCanBeAnswered: with brand = "sip",
// dialbridge subscribes to the phone's dialog state; a call ringing on the
// phone shows among the active calls, and answering it through the control
// API (what the tray does) makes the phone take it (NOTIFY talk).
func TestASIPPhonesCallsReachTheTrackerAndCanBeAnswered(t *testing.T) {
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
	var active journal.CallList
	deadline := time.Now().Add(10 * time.Second)
	for len(active.Calls) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the ringing call never showed among the active calls")
		}
		time.Sleep(20 * time.Millisecond)
		if err := c.Do(ctx, "GET", "/api/v1/calls", nil, &active); err != nil {
			t.Fatal(err)
		}
	}
	if got := active.Calls[0]; got.Remote != "200" || got.Connected != nil {
		t.Fatalf("active call %+v, want a ringing call from 200", got)
	}
	if err := c.Do(ctx, "POST", "/api/v1/call/"+active.Calls[0].GUID+"/answer", nil, nil); err != nil {
		t.Fatalf("answer: %v", err)
	}
	if got := phoneSim.Line(); got != phonesim.Connected {
		t.Errorf("the phone's line is %q after answering, want %q", got, phonesim.Connected)
	}
}
