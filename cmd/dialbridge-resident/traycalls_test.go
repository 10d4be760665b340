package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
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
// disturb on and off with its check item (which follows the DND key
// pressed at the phone at once), forwards the phone's calls through the
// dial pad's forward mode and switches that off (the item follows
// forwarding switched at the phone at once, too), and hangs up a second
// call. The phone receives Snom's documented keys in order.
func TestTrayDrivesASnomCall(t *testing.T) {
	r, c, _ := startCallsResident(t, demoWithInboundURL(newCRM(t).URL))
	sim := r.Phone().Simulator().(*snom.Sim)
	m, click, handle := trayOf(t, r)
	ctx := context.Background()
	// window is what the item's window asks of the resident: the dial
	// pad's Resident, over the control API.
	window := backend.NewResident(r.ConfigPath(), nil)

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
	// DND pressed at the desk: the phone reports it, and the item follows
	// at once (long before the tray's 30 s phone check).
	pressDND(t, sim)
	waitItem(t, m, tray.ItemDND, func(it tray.Item) bool { return it.Checked })
	handle(click(tray.ItemDND, tray.EventDND))

	// Forwarding: the item opens the dial pad in forward mode, which asks
	// the resident; the item then shows the target, checked, and a click
	// switches forwarding off.
	if ev := click(tray.ItemForward, tray.EventForward); !ev.On {
		t.Fatalf("the first click asks to switch forwarding off: %+v", ev)
	}
	if err := window.Forward(ctx, "+49 30 1234567"); err != nil {
		t.Fatal(err)
	}
	on := waitItem(t, m, tray.ItemForward, func(it tray.Item) bool { return it.Checked })
	if st := sim.Settings(); st["fwd_all_target1"] != "0301234567" || st["fwd_all_enabled1"] != "on" || !strings.Contains(on.Label, "030") {
		t.Errorf("after forwarding the item is %+v and the phone has %v", on, st)
	}
	ev = click(tray.ItemForward, tray.EventForward)
	if ev.On {
		t.Fatalf("the click on an active forwarding asks to switch it on: %+v", ev)
	}
	handle(ev)
	if it := waitItem(t, m, tray.ItemForward, func(it tray.Item) bool { return !it.Checked }); it.Label != "Forward calls…" || sim.Settings()["fwd_all_enabled1"] != "off" {
		t.Errorf("after switching forwarding off the item is %+v and the phone has %v", it, sim.Settings())
	}
	// Forwarding switched at the desk: the phone reports it, and the item
	// follows at once, with the target the phone names.
	sim.ForwardAtDesk("0307654321")
	if it := waitItem(t, m, tray.ItemForward, func(it tray.Item) bool { return it.Checked }); !strings.Contains(it.Label, "7654321") {
		t.Errorf("after forwarding at the phone the item is %+v", it)
	}
	sim.ForwardAtDesk("")
	waitItem(t, m, tray.ItemForward, func(it tray.Item) bool { return !it.Checked })

	if err := c.DemoIncoming(ctx, control.DemoCall{}); err != nil {
		t.Fatal(err)
	}
	handle(click(tray.ItemAnswer, tray.EventAnswer))
	waitActive(t, c, "+4930901820", true)
	handle(click(tray.ItemHangup, tray.EventHangup))
	waitCalls(t, c, 0)

	want := []string{"ENTER", "F_HOLD", "2", "0", "4", "ENTER", "TRANSFER", "DND", "ENTER", "CANCEL"}
	if got := sim.Keys(); !slices.Equal(got, want) {
		t.Errorf("the phone got the keys\n%v\nwant\n%v", got, want)
	}
}

// trayOf is the tray app fed by resident r's call service in-process, as
// the tray app runs: its menu model, click (which waits for the item and
// checks the event it gives) and handle (which carries an event out).
func trayOf(t *testing.T, r *resident.App) (*tray.Model, func(tray.ItemID, tray.EventKind) tray.Event, func(tray.Event)) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := trayapp.New(trayapp.Deps{Calls: r.Calls(), Read: r.Read, Phone: pairingOf(r), Notes: notify.New(quietNotifier{}, log, done), Log: log})
	r.Subscribe(app.HandleCall)
	r.SubscribePhone(app.PhoneChanged)
	m := app.Model()
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
		if err := app.Handle(context.Background(), ev); err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
	}
	return m, click, handle
}

// waitItem waits until item id of the menu shows what ok wants, and
// returns it.
func waitItem(t *testing.T, m *tray.Model, id tray.ItemID, ok func(tray.Item) bool) tray.Item {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		it := findItem(m.Menu().Items, id)
		if ok(it) {
			return it
		}
		if time.Now().After(deadline) {
			t.Fatalf("item %d stays %+v", id, it)
		}
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
