package calls

import (
	"context"
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
