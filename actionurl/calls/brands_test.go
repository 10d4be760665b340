package calls

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/auerswald"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/polycom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// brandRig is a scenario rig whose call operations reach the simulator
// start makes, paired as brand with the given identity.
func brandRig(t *testing.T, brand, identity string, start func(user, password string) (phone.Simulator, error)) (*scenarioRig, phone.Simulator) {
	t.Helper()
	rig := newScenarioRig(t, everyAction)
	sim, settings, err := brands.Simulate(brand, "admin", "s3cret", start)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	settings.Identity = identity
	drv, err := brands.Open(settings)
	if err != nil {
		t.Fatal(err)
	}
	rig.s.o.Driver = func() phone.Driver { return drv }
	rig.s.o.Read = config.Default().Dialing.Rules().Read
	cfg := rig.s.o.Config()
	cfg.Phone.Brand = brand
	rig.s.o.Config = func() config.Config { return cfg }
	return rig, sim
}

// do runs op through Control on the call the command line would pick
// (Target), and fails the test on an error.
func do(t *testing.T, rig *scenarioRig, op string, cmd control.CallCommand) {
	t.Helper()
	call, ok := Target(op, rig.s.Active())
	if !ok {
		t.Fatalf("%s: no call to act on in %+v", op, rig.s.Active())
	}
	if err := rig.s.Control(context.Background(), call.GUID, op, cmd); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
}

// cannot checks that op fails with a sentence saying the brand cannot.
func cannot(t *testing.T, rig *scenarioRig, op, want string, cmd control.CallCommand) {
	t.Helper()
	call, _ := Target(op, rig.s.Active())
	err := rig.s.Control(context.Background(), call.GUID, op, cmd)
	if phone.KindOf(err) != phone.ErrNotSupported || err.Error() != want {
		t.Errorf("%s: %v, want %q", op, err, want)
	}
}

// TestCSTACallControl: over CSTA, consult holds the call (HoldCall) and
// calls the target as a SIP URI in the identity's domain (MakeCall);
// transfer without a number sends TransferCall(held, active); clear sends
// ClearCall; do not disturb is the dnd_mode setting; tones are not there.
func TestCSTACallControl(t *testing.T) {
	rig, s := brandRig(t, snomcsta.Brand, "101@pbx.example", func(user, password string) (phone.Simulator, error) {
		return snomcsta.StartSim(snomcsta.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: password}, Identities: []string{"101"}})
	})
	sim := s.(*snomcsta.Sim)
	first := sim.Connect("42")
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=c1&csta_id="+first+"&remote=42\n+1s GET /phone/TOKEN/snom/connected?call_id=c1&csta_id="+first+"&remote=42\n")

	cannot(t, rig, "dtmf", "A Snom phone cannot send DTMF remotely", control.CallCommand{Digits: "1"})
	do(t, rig, "consult", control.CallCommand{Target: "204"})
	calls := sim.Calls()
	if len(calls) != 2 || calls[0].Remote != "sip:204@pbx.example" || calls[1].State != phonesim.Held {
		t.Fatalf("after consult the phone has %+v", calls)
	}
	second := calls[0].ID
	rig.play(t, "+1s GET /phone/TOKEN/snom/hold?call_id=c1&csta_id="+first+"&remote=42\n"+
		"+0s GET /phone/TOKEN/snom/outgoing?call_id=c2&csta_id="+second+"&remote=204\n"+
		"+2s GET /phone/TOKEN/snom/connected?call_id=c2&csta_id="+second+"&remote=204\n")
	do(t, rig, "transfer", control.CallCommand{})
	if calls := sim.Calls(); len(calls) != 0 {
		t.Errorf("after the transfer the phone still has %+v", calls)
	}

	third := sim.Connect("43")
	rig.play(t, "+5s GET /phone/TOKEN/snom/incoming?call_id=c3&csta_id="+third+"&remote=43\n+1s GET /phone/TOKEN/snom/connected?call_id=c3&csta_id="+third+"&remote=43\n")
	do(t, rig, "clear", control.CallCommand{})
	if d, err := rig.s.SetDND(context.Background(), true); err != nil || !d.On || sim.Settings()["dnd_mode"] != "on" {
		t.Errorf("SetDND(true) = %+v, %v; the phone's dnd_mode is %q", d, err, sim.Settings()["dnd_mode"])
	}
	// Forwarding goes through the dialing rules, like a transfer target.
	if f, err := rig.s.SetForward(context.Background(), "+49 30 1234567"); err != nil || f.Target != "0301234567" ||
		sim.Settings()["fwd_all_target1"] != "0301234567" || sim.Settings()["fwd_all_enabled1"] != "on" {
		t.Errorf("SetForward = %+v, %v; the phone has %v", f, err, sim.Settings())
	}
	if f, err := rig.s.SetForward(context.Background(), ""); err != nil || f != (control.Forward{Known: true}) || sim.Settings()["fwd_all_enabled1"] != "off" {
		t.Errorf("SetForward off = %+v, %v; the phone has %v", f, err, sim.Settings())
	}
	want := []string{"HoldCall", "MakeCall", "TransferCall", "ClearCall", "SetSettings", "SetSettings", "SetSettings"}
	if got := sim.Handled(); !slices.Equal(got, want) {
		t.Errorf("the phone carried out %v, want %v", got, want)
	}
}

// TestAuerswaldCallControl: an Auerswald phone sends tones (dtmf), holds
// and calls for a consultation (hold, call), completes the transfer by
// joining the two calls and joins them into a conference; it has no do
// not disturb command.
func TestAuerswaldCallControl(t *testing.T) {
	rig, s := brandRig(t, auerswald.Brand, "", auerswald.Simulated)
	sim := s.(*auerswald.Sim)
	ev := func(q string) string { return "GET /phone/TOKEN/auerswald?" + q + "\n" }
	one := sim.Connect("42")
	rig.play(t, "+0s "+ev("event=incoming&callId="+one+"&number=42")+"+1s "+ev("event=connected&callId="+one))
	do(t, rig, "dtmf", control.CallCommand{Digits: "12#"})
	do(t, rig, "consult", control.CallCommand{Target: "204"})
	calls := sim.Calls()
	if len(calls) != 2 {
		t.Fatalf("after consult the phone has %+v", calls)
	}
	two := calls[1].ID
	rig.play(t, "+1s "+ev("event=holding&callId="+one)+"+0s "+ev("event=outgoing&callId="+two+"&number=204")+"+2s "+ev("event=connected&callId="+two))
	do(t, rig, "conference", control.CallCommand{})
	do(t, rig, "transfer", control.CallCommand{})
	if got := sim.Calls(); len(got) != 0 {
		t.Errorf("after the transfer the phone has %+v", got)
	}
	if _, err := rig.s.SetDND(context.Background(), true); phone.KindOf(err) != phone.ErrNotSupported {
		t.Errorf("SetDND: %v", err)
	}
	var got []string
	for _, c := range sim.Commands() {
		if !strings.HasPrefix(c, "?") {
			got = append(got, c)
		}
	}
	want := []string{"dtmf", "hold", "call", "conference", "join"}
	if !slices.Equal(got, want) || sim.DTMF() != "12#" {
		t.Errorf("the phone got %v and the tones %q, want %v and 12#", got, sim.DTMF(), want)
	}
}

// TestYealinkTonesAndWhatItLacks: a Yealink phone sends tones as its
// digit keys (STAR and POUND for * and #); it has no documented attended
// transfer, conference or do not disturb, and says so.
func TestYealinkTonesAndWhatItLacks(t *testing.T) {
	rig, s := brandRig(t, yealink.Brand, "", yealink.Simulated)
	sim := s.(*yealink.Sim)
	sim.AllowRemoteControl()
	id := sim.Connect("42")
	rig.play(t, "+0s GET /phone/TOKEN/yealink/incoming?call_id="+id+"&remote=42\n+1s GET /phone/TOKEN/yealink/connected?call_id="+id+"&remote=42\n")
	do(t, rig, "dtmf", control.CallCommand{Digits: "1*#"})
	if got := sim.DTMF(); got != "1*#" {
		t.Errorf("the phone sent the tones %q, want 1*#", got)
	}
	cannot(t, rig, "consult", "A Yealink phone cannot hold a call and call a transfer target remotely", control.CallCommand{Target: "204"})
	cannot(t, rig, "conference", "A Yealink phone cannot join calls into a conference remotely", control.CallCommand{})
	if _, err := rig.s.SetDND(context.Background(), true); err == nil || err.Error() != "A Yealink phone cannot switch do not disturb remotely" {
		t.Errorf("SetDND: %v", err)
	}
	if _, err := rig.s.SetForward(context.Background(), "204"); err == nil || err.Error() != "A Yealink phone cannot forward calls remotely" {
		t.Errorf("SetForward: %v", err)
	}
}

// TestPolycomActsOnThePhonesCurrentCall: a Polycom phone reports no calls
// to dialbridge, so the command line names the phone's current call
// (CurrentCall) over the control API, and the driver finds it on the
// phone: tones go to sendDTMF, hang up to endCall with the call's
// handle. A phone that reports its calls refuses CurrentCall like any
// call that is not in progress.
func TestPolycomActsOnThePhonesCurrentCall(t *testing.T) {
	rig, s := brandRig(t, polycom.Brand, "", polycom.Simulated)
	sim := s.(*polycom.Sim)
	mux := http.NewServeMux()
	mux.HandleFunc(control.RouteCall, HTTP{S: rig.s}.Call)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := control.NewClient(control.File{URL: srv.URL}, nil)
	ctx := context.Background()

	if err := c.Call(ctx, CurrentCall, "dtmf", control.CallCommand{Digits: "12#"}); err == nil || !strings.Contains(err.Error(), "That call no longer exists on the phone") {
		t.Errorf("tones without a call: %v", err)
	}
	sim.Connect("42")
	if err := c.Call(ctx, CurrentCall, "dtmf", control.CallCommand{Digits: "12#"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(ctx, CurrentCall, "consult", control.CallCommand{Target: "204"}); err == nil || err.Error() != "A Polycom phone cannot hold a call and call a transfer target remotely" {
		t.Errorf("consult: %v", err)
	}
	if err := c.Call(ctx, CurrentCall, "hangup", control.CallCommand{}); err != nil {
		t.Fatal(err)
	}
	if sim.DTMF() != "12#" || len(sim.Calls()) != 0 {
		t.Errorf("the phone sent %q and has the calls %+v", sim.DTMF(), sim.Calls())
	}

	snomRig, _ := brandRig(t, snomcsta.Brand, "", snomcsta.Simulated)
	err := snomRig.s.Control(ctx, CurrentCall, "hangup", control.CallCommand{})
	if err == nil || err.Error() != NotInProgress {
		t.Errorf("CurrentCall on a phone that reports its calls: %v", err)
	}
}
