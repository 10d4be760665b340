package resident

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// keysRig is a resident paired with the demo phone (a simulated Snom),
// serving on a free port, with the function keys of keysFile.
type keysRig struct {
	r    *App
	sim  *snom.Sim
	path string
	port int
}

const keysHead = "[listener]\nport = %d\n\n[phone]\nbrand = \"demo\"\n\n[dialing]\ncountry = \"DE\"\n\n"

func startKeysRig(t *testing.T, keys string, clip string) *keysRig {
	t.Helper()
	port := configtest.FreePort(t)
	path := configtest.Write(t, t.TempDir(), fmt.Sprintf(keysHead, port)+keys)
	r, err := Start(Options{ConfigPath: path, Demo: true, Log: slog.New(slog.DiscardHandler),
		Clipboard: func(context.Context) (string, error) { return clip, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- r.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-served
	})
	sim, ok := r.Phone().Simulator().(*snom.Sim)
	if !ok {
		t.Fatalf("the demo phone is a %T, want a *snom.Sim", r.Phone().Simulator())
	}
	return &keysRig{r: r, sim: sim, path: path, port: port}
}

// eventually waits until ok holds, for what the resident does in the
// background.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// written waits until every bound key is written.
func (k *keysRig) written(t *testing.T) control.KeysStatus {
	t.Helper()
	var st control.KeysStatus
	eventually(t, "the keys are written", func() bool {
		st := k.r.FunctionKeys().Status()
		return !slices.ContainsFunc(st.Keys, func(s control.KeyStatus) bool { return s.State != control.KeyWritten })
	})
	return st
}

// phoneEvent sends a Snom call event the way the phone's action URLs do.
func (k *keysRig) phoneEvent(t *testing.T, event, query string) {
	t.Helper()
	u := fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/%s?%s", k.port, k.r.pairingToken(), event, query)
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the %s event: HTTP %d", event, res.StatusCode)
	}
}

// keyValue is the Snom setting fkeyN that binds key n to dialbridge.
func (k *keysRig) keyValue(n int) string {
	return fmt.Sprintf("url http://127.0.0.1:%d/phone/%s/key/%d", k.port, k.r.pairingToken(), n)
}

func (k *keysRig) press(t *testing.T, n int) {
	t.Helper()
	status, err := k.sim.PressFunctionKey(context.Background(), n)
	if err != nil || status != "200 OK" {
		t.Fatalf("pressing P%d: %q, %v", n, status, err)
	}
}

const missedKey = `[[phone.keys]]
key = 1
label = "Missed"
action = "callback_missed"
led = "missed_calls"
`

// The scenario: P1 is bound to "call back the last missed call";
// after a missed call, pressing P1 makes the phone dial the caller and the
// journal marks the call returned.
func TestPressingP1CallsTheLastMissedCallBackAndMarksItReturned(t *testing.T) {
	k := startKeysRig(t, missedKey, "")
	k.written(t)
	settings := k.sim.Settings()
	wantURL := k.keyValue(1)
	if settings["fkey0"] != wantURL || settings["fkey_label0"] != "Missed" {
		t.Fatalf("the phone holds fkey0 = %q, fkey_label0 = %q; want %q, \"Missed\"", settings["fkey0"], settings["fkey_label0"], wantURL)
	}

	k.phoneEvent(t, "incoming", "call_id=7&remote=030123456")
	k.phoneEvent(t, "missed", "call_id=7&remote=030123456")
	ctx := context.Background()
	eventually(t, "the missed call is counted", func() bool {
		n, err := k.r.Calls().UnreturnedMissed(ctx)
		return err == nil && n == 1
	})

	k.press(t, 1)
	want, err := k.r.Read("030123456")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the phone dials the caller", func() bool {
		d := k.sim.Dialed()
		return len(d) == 1 && d[0].Number == want.Dial
	})
	eventually(t, "the missed call is marked returned", func() bool {
		n, err := k.r.Calls().UnreturnedMissed(ctx)
		return err == nil && n == 0
	})
	calls, err := k.r.Calls().Journal(ctx, control.JournalQuery{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(calls, func(c control.CallEntry) bool { return c.Outcome == "missed" })
	if i < 0 || calls[i].Returned == nil {
		t.Fatalf("the journal's missed call is %+v, want it returned", calls)
	}

	// Nothing is left to call back: a second press dials nobody.
	k.r.keys.presser.Wait()
	k.press(t, 1)
	k.r.keys.presser.Wait()
	if d := k.sim.Dialed(); len(d) != 1 {
		t.Errorf("after the second press the phone dialed %v, want only the first call back", d)
	}
}

// A binding deleted from the config is reset in the phone; a new one is
// written, without pairing again.
func TestADeletedBindingIsRemovedFromThePhone(t *testing.T) {
	k := startKeysRig(t, missedKey+"\n[[phone.keys]]\nkey = 2\nlabel = \"DND\"\naction = \"dnd\"\n", "")
	k.written(t)
	if got := k.sim.Settings()["fkey1"]; got != k.keyValue(2) {
		t.Fatalf("fkey1 = %q before the change, want the key's URL", got)
	}
	// As the Settings page saves it: the rest of the file stays.
	_, err := config.Edit(k.path, func(c *config.Config) bool {
		c.Phone.Keys = []config.PhoneKey{{Key: 3, Label: "Hold", Action: "hold"}}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.r.Reload(); err != nil {
		t.Fatal(err)
	}
	k.written(t)
	eventually(t, "P1 and P2 are reset", func() bool {
		s := k.sim.Settings()
		return s["fkey0"] == "none" && s["fkey1"] == "none" && s["fkey_label0"] == "" && s["fkey2"] == k.keyValue(3)
	})
	st := k.r.FunctionKeys().Status()
	if len(st.Keys) != 1 || st.Keys[0].Key != 3 || len(st.Removed) != 0 || st.Error != "" {
		t.Errorf("status after the change = %+v, want key 3 written and nothing left to remove", st)
	}
}

// Pressing each key runs its action on the phone.
func TestPressingAKeyRunsItsAction(t *testing.T) {
	ringing := []string{"incoming"}
	talking := []string{"incoming", "connected"}
	pressed := func(keys ...string) func(*snom.Sim) bool {
		return func(s *snom.Sim) bool { return slices.Equal(s.Keys(), keys) }
	}
	tests := []struct {
		action string
		events []string // the phone's reports before the press
		done   func(*snom.Sim) bool
	}{
		{"answer", ringing, pressed("ENTER")},
		{"hangup", talking, pressed("CANCEL")},
		{"hold", talking, pressed("F_HOLD")},
		{"dial:030 999 888", nil, func(s *snom.Sim) bool { d := s.Dialed(); return len(d) == 1 && d[0].Number == "030999888" }},
		{"dial_clipboard", nil, func(s *snom.Sim) bool { d := s.Dialed(); return len(d) == 1 && d[0].Number == "0301112223" }},
		{"dnd", nil, func(s *snom.Sim) bool { return s.DND() }},
		{"keys:F_HOLD;ENTER", nil, pressed("F_HOLD", "ENTER")},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			k := startKeysRig(t, fmt.Sprintf("[[phone.keys]]\nkey = 4\nlabel = \"Key\"\naction = %q\n", tt.action), "030 111 2223")
			k.written(t)
			for _, ev := range tt.events {
				k.phoneEvent(t, ev, "call_id=9&remote=0307654321")
			}
			eventually(t, "the call is tracked", func() bool { return len(k.r.Calls().Active()) == min(len(tt.events), 1) })
			k.press(t, 4)
			eventually(t, tt.action+" reaches the phone", func() bool { return tt.done(k.sim) })
		})
	}
}

// A key sequence that presses a function key (dialbridge key P4) makes the
// phone request the key's URL as a finger on the key does: the action
// runs.
func TestAKeySequencePressesAFunctionKeyLikeAFinger(t *testing.T) {
	k := startKeysRig(t, "[[phone.keys]]\nkey = 4\nlabel = \"DND\"\naction = \"dnd\"\n", "")
	k.written(t)
	if err := k.r.Calls().SendKeys(context.Background(), "P4"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "do not disturb is on", k.sim.DND)
}
