package calls

import (
	"context"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
)

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
		name           string
		dialing        config.Dialing
		missed, called string
		want           int
	}{
		{"the same text", berlin, "+49301234567", "+49301234567", 0},
		{"national, typed by hand", berlin, "+49301234567", "030 1234567", 0},
		{"national, digits only", berlin, "+49301234567", "0301234567", 0},
		{"international with 00", berlin, "+49301234567", "0049301234567", 0},
		{"local to the area code", berlin, "+49301234567", "1234567", 0},
		{"reported national, called international", berlin, "0301234567", "+49 30 1234567", 0},
		{"behind the outside line", pbx, "+49301234567", "00301234567", 0},
		{"reported behind the outside line, called international", pbx, "0 030 1234567", "+49301234567", 0},
		{"another number", berlin, "+49301234567", "030 1234568", 1},
		{"an extension returns itself", berlin, "204", "204", 0},
		{"an extension is not a number ending like it", berlin, "204", "+49 30 204", 1},
		{"a number is not returned by an extension", berlin, "+49301234567", "4567", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newScenarioRig(t, func(string) []config.Outgoing { return nil })
			cfg := rig.s.o.Config()
			cfg.Dialing = tt.dialing
			rig.s.o.Config = func() config.Config { return cfg }
			ctx := context.Background()
			for _, ev := range []phone.Event{
				{Kind: phone.EventIncoming, CallID: "c1", Remote: tt.missed}, {Kind: phone.EventMissed, CallID: "c1"},
				{Kind: phone.EventOutgoing, CallID: "c2", Remote: tt.called}, {Kind: phone.EventConnected, CallID: "c2"},
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
			got, err := rig.s.UnreturnedMissed(ctx)
			if err != nil || got != tt.want {
				t.Errorf("missed %q, called %q: UnreturnedMissed = %d, %v; want %d", tt.missed, tt.called, got, err, tt.want)
			}
		})
	}
}
