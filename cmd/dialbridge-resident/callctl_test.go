package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// waitCalls waits until the calls in progress are exactly n.
func waitCalls(t *testing.T, c *control.Client, n int) []control.CallEntry {
	t.Helper()
	return poll(t, 20*time.Second, activeOf(c), func(active []control.CallEntry) bool { return len(active) == n },
		fmt.Sprintf("the calls in progress did not become %d", n))
}

// TestCallCommandsDriveASnomCall: from the command line, a call on the
// demo phone (a simulated Snom that reports its calls) gets tones, is
// held while the person consults 204, is handed to 204, and do not disturb
// goes on and off (and its status follows the DND key pressed at the
// desk, which the phone reports); calls are forwarded to a number and
// forwarding is switched off, and the status follows forwarding switched
// at the desk (reported by the phone too); a second call is hung up. The phone receives the keys
// Snom documents for each, in order: ENTER answers, F_HOLD, the digits and
// ENTER consult, TRANSFER completes, CANCEL hangs up.
func TestCallCommandsDriveASnomCall(t *testing.T) {
	r, c, _ := startCallsResident(t, demoWithInboundURL(newCRM(t).URL))
	sim := r.Phone().Simulator().(*snom.Sim)
	run := func(cmd func(context.Context, []string, *bytes.Buffer, *bytes.Buffer) error, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := cmd(context.Background(), append([]string{"--config", r.ConfigPath()}, args...), &out, &errOut); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		return out.String()
	}
	call := func(ctx context.Context, a []string, o, e *bytes.Buffer) error { return commands.Call(ctx, a, o, e) }
	dnd := func(ctx context.Context, a []string, o, e *bytes.Buffer) error { return commands.DND(ctx, a, o, e) }

	run(call, "ring")
	waitActive(t, c, "+4930901820", false)
	run(call, "answer")
	waitActive(t, c, "+4930901820", true)

	if got, want := run(call, "dtmf", "12#"), "Asked the phone to send the tones 12# in the call with Demo Caller (+4930901820).\n"; got != want {
		t.Errorf("dtmf said %q, want %q", got, want)
	}
	if got := sim.DTMF(); !slices.Equal(got, []string{"12#"}) {
		t.Errorf("the phone got the tones %q, want [12#]", got)
	}

	run(call, "consult", "204")
	waitActive(t, c, "204", true)
	if held := waitActive(t, c, "+4930901820", true); !held.OnHold {
		t.Errorf("the first call is not on hold during the consultation: %+v", held)
	}
	if got, want := run(call, "transfer"), "Asked the phone to complete the transfer: it connects the held call with the other one.\n"; got != want {
		t.Errorf("transfer said %q, want %q", got, want)
	}
	waitCalls(t, c, 0)

	for _, tt := range []struct {
		arg, want string
		on        bool
	}{
		{"status", "Do not disturb: not known (neither the phone nor dialbridge has switched it since dialbridge started).\n", false},
		{"on", "Do not disturb is on: the phone rejects incoming calls.\n", true},
		{"status", "Do not disturb is on: the phone rejects incoming calls.\n", true},
		{"off", "Do not disturb is off.\n", false},
	} {
		if got := run(dnd, tt.arg); got != tt.want || sim.DND() != tt.on {
			t.Errorf("dnd %s said %q with the phone's DND %v; want %q and %v", tt.arg, got, sim.DND(), tt.want, tt.on)
		}
	}

	// At the desk the person presses DND: the phone reports it with its
	// DND action URL, and the status follows.
	pressDND(t, sim)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if got := run(dnd, "status"); got == "Do not disturb is on: the phone rejects incoming calls.\n" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("after DND on the phone, status says %q", got)
		}
	}
	run(dnd, "off")

	// Forwarding: the number goes through the dialing rules (the demo's
	// are Germany's, national form) and reaches the phone as its "always"
	// forwarding settings.
	forward := func(ctx context.Context, a []string, o, e *bytes.Buffer) error { return commands.Forward(ctx, a, o, e) }
	for _, tt := range []struct {
		arg, want, target, enabled string
	}{
		{"status", "Call forwarding: not known (neither the phone nor dialbridge has switched it since dialbridge started).\n", "", ""},
		{"+49 30 1234567", "Calls are forwarded to 0301234567: the phone diverts every incoming call there.\n", "0301234567", "on"},
		{"status", "Calls are forwarded to 0301234567: the phone diverts every incoming call there.\n", "0301234567", "on"},
		{"off", "Call forwarding is off.\n", "0301234567", "off"},
	} {
		got := run(forward, tt.arg)
		if st := sim.Settings(); got != tt.want || st["fwd_all_target1"] != tt.target || st["fwd_all_enabled1"] != tt.enabled {
			t.Errorf("forward %s said %q with the phone's settings %v; want %q, target %q, %q", tt.arg, got, st, tt.want, tt.target, tt.enabled)
		}
	}

	// At the desk the person forwards calls in the phone's menu, and
	// later switches it off: the phone reports each with its redirection
	// action URL, and the status follows.
	for _, tt := range []struct{ target, want string }{
		{"0307654321", "Calls are forwarded to 0307654321: the phone diverts every incoming call there.\n"},
		{"", "Call forwarding is off.\n"},
	} {
		sim.ForwardAtDesk(tt.target)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if got := run(forward, "status"); got == tt.want {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("after forwarding to %q at the phone, status says %q, want %q", tt.target, got, tt.want)
			}
		}
	}

	run(call, "ring")
	waitActive(t, c, "+4930901820", false)
	run(call, "answer")
	waitActive(t, c, "+4930901820", true)
	run(call, "hangup")
	waitCalls(t, c, 0)

	want := []string{"ENTER", "F_HOLD", "2", "0", "4", "ENTER", "TRANSFER", "DND", "ENTER", "CANCEL"}
	if got := sim.Keys(); !slices.Equal(got, want) {
		t.Errorf("the phone got the keys\n%v\nwant\n%v", got, want)
	}
}

// pressDND presses the DND key of the simulated phone, as the person at
// the desk does.
func pressDND(t *testing.T, sim *snom.Sim) {
	t.Helper()
	desk, err := phonehttp.New(phonehttp.OptionsFrom(phone.Settings{Address: sim.URL(), Username: brands.DemoUsername, Password: brands.DemoPassword}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Get(context.Background(), "press DND", "/command.htm", url.Values{"key": {"DND"}}); err != nil {
		t.Fatal(err)
	}
}

// TestCallCommandsSayWhatCannotBeDone: with no call, or with an operation
// the phone lacks, the command fails with one sentence (exit status 1)
// and the phone gets nothing.
func TestCallCommandsSayWhatCannotBeDone(t *testing.T) {
	r, c, _ := startCallsResident(t, demoWithInboundURL(newCRM(t).URL))
	sim := r.Phone().Simulator().(*snom.Sim)
	fail := func(want string, args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := commands.Call(context.Background(), append([]string{"--config", r.ConfigPath()}, args...), &out, &errOut)
		if err == nil || err.Error() != want {
			t.Errorf("call %v: %v, want %q", args, err, want)
		}
	}
	fail("no call is in progress that could be sent tones", "dtmf", "1")
	fail("no call is in progress that could be transferred", "transfer")
	var out bytes.Buffer
	if err := commands.Call(context.Background(), []string{"--config", r.ConfigPath(), "ring"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	waitActive(t, c, "+4930901820", false)
	if err := commands.Call(context.Background(), []string{"--config", r.ConfigPath(), "answer"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	waitActive(t, c, "+4930901820", true)
	fail("A Snom phone cannot join calls into a conference remotely", "conference")
	fail("this needs a call on hold and a second call (consult a number first)", "transfer")
	fail("A Snom phone cannot clear a call for every party remotely", "clear")
	if keys := sim.Keys(); !slices.Equal(keys, []string{"ENTER"}) || strings.Join(sim.DTMF(), "") != "" {
		t.Errorf("the phone got %v and tones %v, want only the answer", keys, sim.DTMF())
	}
}
