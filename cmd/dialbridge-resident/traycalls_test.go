package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/notify"
	"github.com/dialbridge/dialbridge/ui/tray"
	"github.com/dialbridge/dialbridge/ui/trayapp"
)

// quietNotifier drops the notifications.
type quietNotifier struct{}

func (quietNotifier) Notify(string, string, []byte) error { return nil }

// TestTrayDrivesASnomCall: the tray menu, fed by the resident's call
// service in-process as in the tray app, answers a call on the demo phone
// (a simulated Snom), sends tones and consults 204 through the windows its
// items open (the dial pad's tone and consultation modes, which reach the
// resident as backend.Resident), completes the transfer, switches do not
// disturb on and off with its check item, and hangs up a second call. The
// phone receives Snom's documented keys in order.
func TestTrayDrivesASnomCall(t *testing.T) {
	r, c, _ := startCallsResident(t, demoWithInboundURL(newCRM(t).URL))
	sim := r.Phone().Simulator().(*snom.Sim)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := trayapp.New(trayapp.Deps{Calls: r.Calls(), Read: r.Read, Phone: pairingOf(r), Notes: notify.New(quietNotifier{}, log, done), Log: log})
	r.Subscribe(app.HandleCall)
	m := app.Model()
	ctx := context.Background()
	// window is what the item's window asks of the resident: the dial
	// pad's Resident, over the control API.
	window := backend.NewResident(r.ConfigPath(), nil)

	click := func(id tray.ItemID, want tray.EventKind) tray.Event {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			if ev, ok := m.Click(id); ok {
				if ev.Kind != want {
					t.Fatalf("item %d gave %s, want %s", id, ev.Kind, want)
				}
				return ev
			}
			if time.Now().After(deadline) {
				t.Fatalf("item %d is not there to click: %+v", id, m.Menu().Items)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	handle := func(ev tray.Event) {
		t.Helper()
		if err := app.Handle(ctx, ev); err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
	}

	if err := c.DemoIncoming(ctx, control.DemoCall{}); err != nil {
		t.Fatal(err)
	}
	handle(click(tray.ItemAnswer, tray.EventAnswer))
	waitActive(t, c, "+4930901820", true)

	ev := click(tray.ItemTones, tray.EventTones)
	for _, k := range []string{"4", "2"} {
		if err := window.Operate(ctx, ev.Call.GUID, "dtmf", k); err != nil {
			t.Fatal(err)
		}
	}
	if got := sim.DTMF(); !slices.Equal(got, []string{"4", "2"}) {
		t.Errorf("the phone got the tones %q, want [4 2]", got)
	}

	ev = click(tray.ItemConsult, tray.EventConsult)
	if err := window.Operate(ctx, ev.Call.GUID, "consult", "204"); err != nil {
		t.Fatal(err)
	}
	waitActive(t, c, "204", true)
	if err := window.Operate(ctx, ev.Call.GUID, "transfer", ""); err != nil {
		t.Fatal(err)
	}
	waitCalls(t, c, 0)

	for _, on := range []bool{true, false} {
		ev := click(tray.ItemDND, tray.EventDND)
		if ev.On != on {
			t.Fatalf("the click asks for DND %v, want %v", ev.On, on)
		}
		handle(ev)
		it := findItem(m.Menu().Items, tray.ItemDND)
		if sim.DND() != on || it.Checked != on {
			t.Errorf("after the click the phone's DND is %v and the item checked %v, want %v", sim.DND(), it.Checked, on)
		}
	}

	if err := c.DemoIncoming(ctx, control.DemoCall{}); err != nil {
		t.Fatal(err)
	}
	handle(click(tray.ItemAnswer, tray.EventAnswer))
	waitActive(t, c, "+4930901820", true)
	handle(click(tray.ItemHangup, tray.EventHangup))
	waitCalls(t, c, 0)

	want := []string{"ENTER", "F_HOLD", "2", "0", "4", "ENTER", "TRANSFER", "ENTER", "CANCEL"}
	if got := sim.Keys(); !slices.Equal(got, want) {
		t.Errorf("the phone got the keys\n%v\nwant\n%v", got, want)
	}
}

// findItem finds item id in the menu.
func findItem(items []tray.Item, id tray.ItemID) tray.Item {
	for _, it := range items {
		if it.ID == id {
			return it
		}
	}
	return tray.Item{}
}
