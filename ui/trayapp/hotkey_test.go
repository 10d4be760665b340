package trayapp

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/ui/hotkey"
	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// fakeDesktop stands in for the desktop's hotkeys: it records what is
// registered and released, refuses what another program holds, and
// presses a registered key on request.
type fakeDesktop struct {
	mu      sync.Mutex
	held    map[string]func() // registered: combination → pressed
	log     []string
	taken   string
	selects string
}

func (f *fakeDesktop) hotkey() Hotkey {
	return Hotkey{
		Register: func(c keys.Combo, pressed func()) (*hotkey.Grab, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if c.String() == f.taken {
				return nil, &hotkey.TakenError{Combo: c}
			}
			f.held[c.String()] = pressed
			f.log = append(f.log, "+"+c.String())
			return hotkey.NewGrab(func() {
				f.mu.Lock()
				defer f.mu.Unlock()
				delete(f.held, c.String())
				f.log = append(f.log, "-"+c.String())
			}), nil
		},
		Selection: func(context.Context) (string, error) { return f.selects, nil },
		Limits:    func() string { return "" },
	}
}

func (f *fakeDesktop) events() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// dialCalls records the dials of the call service.
type dialCalls struct {
	Calls
	mu    sync.Mutex
	dials []control.DialCommand
}

func (c *dialCalls) Dial(_ context.Context, cmd control.DialCommand) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dials = append(c.dials, cmd)
	return cmd.Number, nil
}

func TestTheHotkeyFollowsTheSetting(t *testing.T) {
	ns, sent := newTestNotifications(t)
	desk := &fakeDesktop{held: map[string]func(){}, taken: "ctrl+alt+k"}
	a := New(Deps{Log: slog.New(slog.DiscardHandler), Notes: ns, Hotkey: desk.hotkey(), Phone: func() Pairing { return Pairing{} }})
	ctx, cancel := context.WithCancel(context.Background())

	steps := []struct {
		value     string
		wantLog   []string
		wantNotes []string
	}{
		{"", nil, nil},
		{"ctrl+alt+d", []string{"+ctrl+alt+d"}, nil},
		{"Ctrl+Alt+D", []string{"+ctrl+alt+d"}, nil}, // the same key: kept, not grabbed again
		{"ctrl+alt+e", []string{"+ctrl+alt+d", "-ctrl+alt+d", "+ctrl+alt+e"}, nil},
		{"ctrl+alt+k", []string{"+ctrl+alt+d", "-ctrl+alt+d", "+ctrl+alt+e", "-ctrl+alt+e"}, []string{"Hotkey not available"}},
		{"", []string{"+ctrl+alt+d", "-ctrl+alt+d", "+ctrl+alt+e", "-ctrl+alt+e"}, nil},
		{"ctrl+alt+d", []string{"+ctrl+alt+d", "-ctrl+alt+d", "+ctrl+alt+e", "-ctrl+alt+e", "+ctrl+alt+d"}, nil},
	}
	for i, s := range steps {
		a.SetHotkey(ctx, s.value)
		if got := desk.events(); !reflect.DeepEqual(got, s.wantLog) {
			t.Errorf("step %d (%q): desktop saw %q, want %q", i, s.value, got, s.wantLog)
		}
		if got := sent(); !reflect.DeepEqual(got, s.wantNotes) {
			t.Errorf("step %d (%q): notifications %q, want %q", i, s.value, got, s.wantNotes)
		}
	}
	cancel()
	for range 100 {
		if len(desk.events()) == 6 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := desk.events(); len(got) != 6 || got[5] != "-ctrl+alt+d" {
		t.Errorf("after the tray stopped the desktop saw %q, want the key given back", got)
	}
}

func TestThePressedHotkeyDialsTheSelectionAsTheClipboardItemDoes(t *testing.T) {
	ns, sent := newTestNotifications(t)
	desk := &fakeDesktop{held: map[string]func(){}}
	calls := &dialCalls{}
	a := New(Deps{Log: slog.New(slog.DiscardHandler), Notes: ns, Hotkey: desk.hotkey(), Calls: calls, Phone: func() Pairing { return Pairing{} }})
	ctx := context.Background()

	desk.selects = "030 1234567"
	if err := a.DialSelection(ctx); err != nil {
		t.Fatal(err)
	}
	desk.selects = ""
	if err := a.DialSelection(ctx); err == nil {
		t.Error("an empty selection was dialed")
	}
	if err := a.dialClipboard(ctx, "030 1234567"); err != nil {
		t.Fatal(err)
	}
	want := []control.DialCommand{
		{Number: "030 1234567", Source: "hotkey: selection"},
		{Number: "030 1234567", Source: "tray: clipboard"},
	}
	if !reflect.DeepEqual(calls.dials, want) {
		t.Errorf("dials %+v, want %+v (neither typed: the blocked list applies to both)", calls.dials, want)
	}

	// A press that fails is said as a click in the menu that fails is.
	a.pressed(ctx)
	if got := sent(); !reflect.DeepEqual(got, []string{"dialbridge could not do that"}) {
		t.Errorf("notifications %q after pressing with nothing selected", got)
	}
}

// refusingCalls dials through a real DialService, whose refusals are
// notified through OnRefused as in the resident.
type refusingCalls struct {
	Calls
	ds *actionurl.DialService
}

func (c refusingCalls) Dial(ctx context.Context, cmd control.DialCommand) (string, error) {
	return c.ds.Dial(ctx, actionurl.DialRequest{Number: cmd.Number, Format: actionurl.FormatControl, Typed: cmd.Typed},
		actionurl.Verdict{Trust: actionurl.TrustLocalApp, Origin: cmd.Source})
}

// TestABlockedSelectionIsNotifiedOnce: the dial service tells the person
// why it refused; the tray must not say it a second time as something
// the phone could not do.
func TestABlockedSelectionIsNotifiedOnce(t *testing.T) {
	ns, sent := newTestNotifications(t)
	desk := &fakeDesktop{held: map[string]func(){}, selects: "0900 123456"}
	rules := config.Default().Dialing.Rules()
	ds := &actionurl.DialService{Prepare: actionurl.PrepareWith(func() dialplan.Rules { return rules }), OnRefused: ns.Refused}
	a := New(Deps{Log: slog.New(slog.DiscardHandler), Notes: ns, Hotkey: desk.hotkey(), Calls: refusingCalls{ds: ds}, Phone: func() Pairing { return Pairing{} }})
	a.pressed(context.Background())
	if got := sent(); !reflect.DeepEqual(got, []string{"Dial request refused"}) {
		t.Errorf("notifications %q, want the refusal once", got)
	}
}
