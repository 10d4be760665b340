package fanvil

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// bench pairs a simulated Fanvil phone and the driver with one web login.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthBasic, Username: "admin", Password: "s3cret"}, StartSim, New)

// TestCallSequence dials, holds, resumes and hangs up, checking each
// request and the phone's line.
func TestCallSequence(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	steps := []struct {
		name             string
		run              func() error
		wantQuery        string
		wantCall, wantHe bool
	}{
		{"dial", func() error { return d.Dial(ctx, phone.DialOptions{Number: "+49301234#"}) }, "key=%2B49301234%23;ENTER", true, false},
		{"hold", func() error { return d.Hold(ctx, "") }, "key=F_HOLD", true, true},
		{"resume", func() error { return d.Resume(ctx, "") }, "key=F_HOLD", true, false},
		{"hang up", func() error { return d.Hangup(ctx, "") }, "key=RELEASE", false, false},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/cgi-bin/ConfigManApp.com", RawQuery: st.wantQuery})
		if inCall, held := s.Line(); inCall != st.wantCall || held != st.wantHe {
			t.Errorf("%s: line in call %v held %v, want %v %v", st.name, inCall, held, st.wantCall, st.wantHe)
		}
	}
	if got := s.Dialed(); !reflect.DeepEqual(got, []string{"+49301234#"}) {
		t.Errorf("dialed = %q", got)
	}
}

func TestErrors(t *testing.T) {
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong password (401)", Sim: SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: bench.Login.Username, Password: "x"}}, Kind: phone.ErrAuth, Words: []string{"(HTTP 401)"}},
		{Name: "refused (403)", Handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"), Kind: phone.ErrRefused, Words: []string{"allow action URIs"}},
		{Name: "no action URI (404)", Handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"), Kind: phone.ErrRefused, Words: []string{"(HTTP 404)"}},
		{Name: "server error (500)", Handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"), Kind: phone.ErrProtocol, Words: []string{"(HTTP 500)"}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			Timeout: 50 * time.Millisecond, Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
		{Name: "answer", Run: func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			Kind: phone.ErrNotSupported, Words: []string{"A Fanvil phone cannot answer a call remotely"}},
		{Name: "DTMF", Run: func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "1") },
			Kind: phone.ErrNotSupported, Words: []string{"cannot send DTMF"}},
	}
	bench.Faults(t, tests)
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(simtest.DialIfConnected))
}
