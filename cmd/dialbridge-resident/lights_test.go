package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// demoWithLights is a demo phone (a simulated Snom D785: P1 is its light
// 5, P2 its light 6) with P1 showing missed calls and P2 the call.
const demoWithLights = `
[phone]
brand = "demo"
keys = [
  {key = 1, label = "Missed", action = "callback_missed", led = "missed_calls"},
  {key = 2, label = "Call", action = "hangup", led = "in_call"},
]
`

// waitLEDs waits until the demo phone's lights are want.
func waitLEDs(t *testing.T, r *resident.App, step string, want map[int]snom.SimLED) {
	t.Helper()
	sim, ok := r.Phone().Simulator().(interface{ LEDs() map[int]snom.SimLED })
	if !ok {
		t.Fatalf("the demo phone keeps no lights: %T", r.Phone().Simulator())
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := sim.LEDs()
		if maps.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the phone shows %v, want %v (%s)", step, got, want, r.LightsProblem())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAMissedCallLightsP1PressingP1CallsBackAndPutsItOutAndQuittingClearsTheLights
// runs a resident with the demo phone: P1 blinks once a call was missed
// and goes out when P1 (callback_missed) is pressed and the phone calls
// the number back, P2 shows the ringing and the call, and quitting turns
// every light off.
func TestAMissedCallLightsP1PressingP1CallsBackAndPutsItOutAndQuittingClearsTheLights(t *testing.T) {
	port := configtest.FreePort(t)
	cfgPath := configtest.Write(t, t.TempDir(), fmt.Sprintf("[listener]\nport = %d\n%s", port, demoWithLights))
	r, err := resident.Start(residentOptions(resident.Options{ConfigPath: cfgPath, Log: commands.NewLogger(io.Discard)}))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- r.Serve(context.Background()) }()
	t.Cleanup(func() { r.Stop() })
	c := control.NewClient(r.ControlFile(), nil)
	ctx := context.Background()

	off := func(color string) snom.SimLED { return snom.SimLED{State: "Off", Color: color} }
	lights := map[int]snom.SimLED{5: off("red"), 6: off("green")}
	waitLEDs(t, r, "at start", lights)

	if err := c.DemoIncoming(ctx, control.DemoCall{Number: "0301234567", Name: "Demo"}); err != nil {
		t.Fatal(err)
	}
	ringing := waitActive(t, c, "0301234567", false)
	lights[6] = snom.SimLED{State: "Blink", Color: "green"}
	waitLEDs(t, r, "ringing", lights)

	if err := c.Call(ctx, ringing.GUID, "hangup", control.CallCommand{}); err != nil {
		t.Fatalf("reject: %v", err)
	}
	lights[5], lights[6] = snom.SimLED{State: "Blink", Color: "red"}, off("green")
	waitLEDs(t, r, "missed", lights)

	// P1 is bound to callback_missed: pressing it on the phone dials the
	// caller back.
	presser, ok := r.Phone().Simulator().(interface {
		PressFunctionKey(ctx context.Context, n int) (string, error)
	})
	if !ok {
		t.Fatal("the demo phone has no function keys to press")
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, err := presser.PressFunctionKey(ctx, 1)
		if err == nil && status == "200 OK" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pressing P1: %q, %v", status, err)
		}
		time.Sleep(50 * time.Millisecond) // the keys are written into the phone at start
	}
	waitCall(t, c, func(call control.CallEntry) bool { return call.Remote == "0301234567" && call.Direction == "outbound" })
	lights[5] = off("red")
	delete(lights, 6)
	waitLEDsWith(t, r, "called back", func(got map[int]snom.SimLED) bool {
		return got[5] == lights[5] && got[6].State != "Off" && got[6].State != ""
	})

	// The demo phone stops with the resident: keep hold of it to look.
	sim := r.Phone().Simulator().(interface{ LEDs() map[int]snom.SimLED })
	r.Stop()
	select {
	case <-served:
	case <-time.After(20 * time.Second):
		t.Fatal("the resident did not quit")
	}
	got := sim.LEDs()
	if want := map[int]snom.SimLED{5: off("red"), 6: off("green")}; !reflect.DeepEqual(got, want) {
		t.Errorf("after quitting the phone shows %v, want every light off: %v", got, want)
	}
}

// waitLEDsWith waits until the demo phone's lights satisfy ok.
func waitLEDsWith(t *testing.T, r *resident.App, step string, ok func(map[int]snom.SimLED) bool) {
	t.Helper()
	sim := r.Phone().Simulator().(interface{ LEDs() map[int]snom.SimLED })
	deadline := time.Now().Add(20 * time.Second)
	for !ok(sim.LEDs()) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the phone shows %v (%s)", step, sim.LEDs(), r.LightsProblem())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAnUnknownModelLeavesTheLightsAloneAndSaysWhy: with phone.model a
// Snom whose light numbers dialbridge does not know, no light is set and
// the reason names the model, in the log's line, the keys' status and
// `dialbridge function-keys status`.
func TestAnUnknownModelLeavesTheLightsAloneAndSaysWhy(t *testing.T) {
	r, _, _ := startResidentWith(t, strings.Replace(demoWithLights, `brand = "demo"`, "brand = \"demo\"\nmodel = \"D717\"", 1), nil)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.LightsProblem(), "Snom D717") {
		if time.Now().After(deadline) {
			t.Fatalf("LightsProblem = %q, want a sentence naming the D717", r.LightsProblem())
		}
		time.Sleep(50 * time.Millisecond)
	}
	sim := r.Phone().Simulator().(interface{ LEDs() map[int]snom.SimLED })
	if got := sim.LEDs(); len(got) != 0 {
		t.Errorf("the phone shows %v, want no light set", got)
	}
	// The Settings page's Phone keys status says it too.
	st, err := control.NewClient(r.ControlFile(), nil).Keys(context.Background())
	if err != nil || st.Lights != r.LightsProblem() {
		t.Errorf("the keys' status says %q (%v), want %q", st.Lights, err, r.LightsProblem())
	}
	// And `dialbridge function-keys status`, which prints that status.
	var out bytes.Buffer
	commands.PrintFunctionKeys(&out, st)
	if want := "The keys' lights: " + r.LightsProblem(); !strings.Contains(out.String(), want) {
		t.Errorf("function-keys status printed\n%s\nwant a line %q", out.String(), want)
	}
}
