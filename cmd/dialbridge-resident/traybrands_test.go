package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/golden"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/tray"
)

var updateTrayOps = golden.Flag("update-trayops", "testdata/trayops/*.golden")

// TestTrayDrivesCSTAAndAuerswaldCalls: the tray menu, fed by the
// resident's call service in-process as in the tray app, drives calls on
// a Snom over CSTA and on an Auerswald: it answers, sends tones through
// the dial pad's tone mode where the brand has them, consults 204 and
// completes the transfer, consults and cancels (the dial pad hangs up the
// consultation and resumes the held call), joins a conference where the
// brand has one, switches do not disturb where the brand can, and hangs
// up. What the phone received for each, in the brand's documented form,
// or that the menu has no such item, is testdata/trayops/BRAND.golden.
func TestTrayDrivesCSTAAndAuerswaldCalls(t *testing.T) {
	for _, brand := range []string{"snom-csta", "auerswald"} {
		t.Run(brand, func(t *testing.T) {
			sim, _, err := brandsim.StartWith(brand, "admin", "pa55")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sim.Close() })
			t.Setenv("DIALBRIDGE_PHONE_PASSWORD", "pa55")
			r, port, cfgPath := startResidentWith(t, fmt.Sprintf("[phone]\nbrand = %q\naddress = %q\nusername = \"admin\"\npairing_token = %q\n%s", brand, sim.URL(), pairingToken, opIdentity[brand]), nil)
			m, click, handle := trayOf(t, r)
			window := backend.NewResident(cfgPath, nil)
			c := control.NewClient(r.ControlFile(), nil)
			ctx := context.Background()
			event := func(kind, id string) { t.Helper(); phoneEvent(t, port, brand, kind, id) }
			var log strings.Builder
			seen := 0
			// did writes what the person did and what the phone got.
			did := func(what string, err error) {
				fmt.Fprintf(&log, "%s\n", what)
				if err != nil {
					fmt.Fprintf(&log, "  refused: %v\n", err)
				}
				reqs := sim.Requests()
				for _, q := range reqs[seen:] {
					fmt.Fprintf(&log, "  %s\n", requestLine(q))
				}
				seen = len(reqs)
			}
			// offers says whether the menu shows item; where it does not,
			// the golden file says so.
			offers := func(id tray.ItemID, label string) bool {
				if findItem(m.Menu().Items, id).Visible {
					return true
				}
				fmt.Fprintf(&log, "%s: not in the menu\n", label)
				return false
			}
			talk := func() string {
				id := sim.(ringer).Ring("42")
				event("incoming", id)
				handle(click(tray.ItemAnswer, tray.EventAnswer))
				did("Answer", nil)
				event("connected", id)
				return id
			}
			// consult opens the dial pad's consultation from the menu and
			// calls 204; the phone reports both calls.
			consult := func(held string) (guid, second string) {
				t.Helper()
				ev := click(tray.ItemConsult, tray.EventConsult)
				err := window.Operate(ctx, ev.Call.GUID, "consult", "204")
				did("Consult and transfer…: 204", err)
				if err != nil {
					t.Fatal(err)
				}
				second = consulted(sim, held, "")
				event("hold", held)
				event("outgoing", second)
				event("connected", second)
				waitCalls(t, c, 2)
				return ev.Call.GUID, second
			}

			held := talk()
			if offers(tray.ItemTones, "Send tones…") {
				ev := click(tray.ItemTones, tray.EventTones)
				for _, k := range []string{"1", "2", "#"} {
					did("Send tones…: "+k, window.Operate(ctx, ev.Call.GUID, "dtmf", k))
				}
			}
			guid, second := consult(held)
			did("Complete transfer", window.Operate(ctx, guid, "transfer", ""))
			event("disconnected", held)
			event("disconnected", second)
			waitCalls(t, c, 0)

			// Cancel, as the dial pad does it: hang up the consultation
			// and resume the held call.
			held = talk()
			guid, second = consult(held)
			for _, call := range waitCalls(t, c, 2) {
				if call.GUID != guid && !call.OnHold {
					did("Cancel: hang up the consultation", window.Control(ctx, call.GUID, "hangup"))
				}
			}
			event("disconnected", second)
			did("Cancel: resume the held call", window.Control(ctx, guid, "resume"))
			event("unhold", held)
			if offers(tray.ItemConference, "Conference") {
				_, second = consult(held)
				waitItem(t, m, tray.ItemConference, func(it tray.Item) bool { return it.Enabled })
				handle(click(tray.ItemConference, tray.EventConference))
				did("Conference", nil)
				handle(click(tray.ItemHangup, tray.EventHangup))
				did("Hang up", nil)
				event("disconnected", second)
			}
			handle(click(tray.ItemHangup, tray.EventHangup))
			did("Hang up", nil)
			event("disconnected", held)
			waitCalls(t, c, 0)

			if offers(tray.ItemDND, "Do not disturb") {
				handle(click(tray.ItemDND, tray.EventDND))
				did("Do not disturb", nil)
				waitItem(t, m, tray.ItemDND, func(it tray.Item) bool { return it.Checked })
			}
			golden.Check(t, filepath.Join("testdata", "trayops", brand+".golden"), log.String(), *updateTrayOps, "-update-trayops")
		})
	}
}
