package calls

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/leds"
)

// TestLEDStateFollowsACallFromRingingToMissedToReturned plays a call
// that rings and is missed, then the call back: the state says ringing,
// then one unreturned missed call, then a call in progress and none
// missed; every step tells Changed.
func TestLEDStateFollowsACallFromRingingToMissedToReturned(t *testing.T) {
	rig := newScenarioRig(t, func(string) []config.Outgoing { return nil })
	var changes atomic.Int32
	rig.s.o.Changed = func() { changes.Add(1) }
	ctx := context.Background()
	steps := []struct {
		name   string
		events []phone.Event
		expire bool
		want   leds.State
	}{
		{"ringing", []phone.Event{{Kind: phone.EventIncoming, CallID: "c1", Remote: "0301234"}}, false, leds.State{Ringing: true}},
		{"missed", []phone.Event{{Kind: phone.EventMissed, CallID: "c1"}}, true, leds.State{Missed: 1}},
		{"called back", []phone.Event{{Kind: phone.EventOutgoing, CallID: "c2", Remote: "0301234"}}, false, leds.State{InCall: true}},
		{"hung up", []phone.Event{{Kind: phone.EventConnected, CallID: "c2"}, {Kind: phone.EventDisconnected, CallID: "c2"}}, true, leds.State{}},
		{"do not disturb", []phone.Event{{Kind: phone.EventDNDOn}}, false, leds.State{DND: true}},
	}
	for _, st := range steps {
		before := changes.Load()
		for _, ev := range st.events {
			ev.At = rig.clock.Now()
			if err := rig.s.HandleEvent(ctx, ev); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		if st.expire {
			rig.clock.Advance(2 * time.Second)
			rig.s.expire()
		}
		got, err := rig.s.LEDState(ctx)
		if err != nil || got != st.want {
			t.Errorf("%s: LEDState = %+v, %v; want %+v", st.name, got, err, st.want)
		}
		if changes.Load() == before {
			t.Errorf("%s: Changed was not told", st.name)
		}
	}
}

// TestAMissedCallIsReturnedByItsNumberInAnySpelling misses a call as the
// phone reports it and calls back as a person types or a PBX phone
// reports the number: every spelling of the same number under the dialing
// rules (Berlin, with and without the outside line 0) returns the missed
// call; another number or an extension does not, and an extension is
// returned only by itself.
func TestAMissedCallIsReturnedByItsNumberInAnySpelling(t *testing.T) {
	berlin := config.Default().Dialing
	berlin.Country, berlin.AreaCode, berlin.InternalMaxDigits = "DE", "30", 4
	pbx := berlin
	pbx.OutsideLine = "0"
	tests := []struct {
		name       string
		dialing    config.Dialing
		missed     string
		returnedBy []string
		notBy      []string
	}{
		{"Berlin", berlin, "+49301234567", []string{"+49301234567", "030 1234567", "0301234567", "0049301234567", "1234567"},
			[]string{"030 1234568", "4567"}},
		{"reported national", berlin, "0301234567", []string{"+49 30 1234567"}, nil},
		{"behind the outside line", pbx, "+49301234567", []string{"00301234567", "+49 30 1234567"}, nil},
		{"reported behind the outside line", pbx, "0 030 1234567", []string{"+49301234567", "00301234567"}, nil},
		{"an extension", berlin, "204", []string{"204"}, []string{"+49 30 204"}},
	}
	for _, tt := range tests {
		for _, called := range append(tt.returnedBy, tt.notBy...) {
			want := 0
			if !slices.Contains(tt.returnedBy, called) {
				want = 1
			}
			t.Run(tt.name+" "+called, func(t *testing.T) {
				if got := missThenCall(t, tt.dialing, tt.missed, called); got != want {
					t.Errorf("missed %q, called %q: %d unreturned, want %d", tt.missed, called, got, want)
				}
			})
		}
	}
}

// missThenCall plays a call missed from missed and a call out to called
// under the dialing rules, and counts the unreturned missed calls.
func missThenCall(t *testing.T, dialing config.Dialing, missed, called string) int {
	rig := newScenarioRig(t, func(string) []config.Outgoing { return nil })
	cfg := rig.s.o.Config()
	cfg.Dialing = dialing
	rig.s.o.Config = func() config.Config { return cfg }
	ctx := context.Background()
	for _, ev := range []phone.Event{
		{Kind: phone.EventIncoming, CallID: "c1", Remote: missed}, {Kind: phone.EventMissed, CallID: "c1"},
		{Kind: phone.EventOutgoing, CallID: "c2", Remote: called}, {Kind: phone.EventConnected, CallID: "c2"},
		{Kind: phone.EventDisconnected, CallID: "c2"},
	} {
		ev.At = rig.clock.Now()
		if err := rig.s.HandleEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		rig.clock.Advance(time.Second)
	}
	rig.clock.Advance(2 * time.Second)
	rig.s.expire()
	n, err := rig.s.UnreturnedMissed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
