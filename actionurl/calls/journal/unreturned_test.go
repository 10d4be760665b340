package journal

import (
	"context"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// TestAMissedCallCountsUntilItIsReturned: a missed call counts until it
// is marked returned or a later call with its number is dialed out or
// answered; a call before it, a call back of another number and a missed
// call older than since do not change that.
func TestAMissedCallCountsUntilItIsReturned(t *testing.T) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	missed := func(guid, remote string, m int) phone.Call {
		return phone.Call{ID: guid, GUID: guid, Direction: phone.Inbound, Remote: remote, Created: at(m), Disconnected: at(m).Add(20 * time.Second)}
	}
	tests := []struct {
		name   string
		calls  []phone.Call
		marked string // the number marked returned, if any
		want   int
	}{
		{"one missed call", []phone.Call{missed("a", "42", 1)}, "", 1},
		{"two numbers missed", []phone.Call{missed("a", "42", 1), missed("b", "43", 2)}, "", 2},
		{"called back", []phone.Call{missed("a", "42", 1),
			{ID: "b", GUID: "b", Direction: phone.Outbound, Remote: "42", Created: at(3), Disconnected: at(4)}}, "", 0},
		{"the caller got through later", []phone.Call{missed("a", "42", 1),
			{ID: "b", GUID: "b", Direction: phone.Inbound, Remote: "42", Created: at(3), Connected: at(3), Disconnected: at(5)}}, "", 0},
		{"a call before the missed one returns nothing", []phone.Call{
			{ID: "b", GUID: "b", Direction: phone.Outbound, Remote: "42", Created: at(0), Disconnected: at(1)}, missed("a", "42", 2)}, "", 1},
		{"another number called back", []phone.Call{missed("a", "42", 1),
			{ID: "b", GUID: "b", Direction: phone.Outbound, Remote: "43", Created: at(3), Disconnected: at(4)}}, "", 1},
		{"marked returned by a function key", []phone.Call{missed("a", "42", 1), missed("b", "43", 2)}, "42", 1},
		{"missed before since", []phone.Call{missed("a", "42", -120)}, "", 0},
		{"missed twice, called back once", []phone.Call{missed("a", "42", 1), missed("b", "42", 2),
			{ID: "c", GUID: "c", Direction: phone.Outbound, Remote: "42", Created: at(3), Disconnected: at(4)}}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := openTemp(t)
			for _, c := range tt.calls {
				j.RecordCall(c, nil)
			}
			if tt.marked != "" {
				j.MarkReturned(tt.marked, at(5), nil)
			}
			if err := j.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			got, err := j.UnreturnedMissed(context.Background(), at(-60))
			if err != nil || got != tt.want {
				t.Errorf("UnreturnedMissed = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}
