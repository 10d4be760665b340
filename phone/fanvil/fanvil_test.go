package fanvil

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

var login = simtest.Login{Auth: phonesim.AuthBasic, Username: "admin", Password: "s3cret"}

func startSim(t *testing.T, opts phonesim.Options) *Sim {
	t.Helper()
	login.Protect(&opts)
	return simtest.Start(t, func() (*Sim, error) { return StartSim(SimOptions{Options: opts}) })
}

func newDriver(t *testing.T, url string, timeout time.Duration) *Driver {
	t.Helper()
	return New(login.Client(t, Brand, url, timeout))
}

// TestCallSequence dials, holds, resumes and hangs up, checking each
// request and the phone's line.
func TestCallSequence(t *testing.T) {
	s := startSim(t, phonesim.Options{})
	d := newDriver(t, s.URL(), 10*time.Second)
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
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
	tests := []struct {
		name     string
		sim      phonesim.Options
		handler  http.Handler
		timeout  time.Duration
		run      func(ctx context.Context, d *Driver) error
		wantKind phone.ErrorKind
		wantMsg  string
	}{
		{name: "wrong password (401)", sim: phonesim.Options{Auth: phonesim.AuthBasic, Username: login.Username, Password: "x"}, run: dial,
			wantKind: phone.ErrAuth, wantMsg: "(HTTP 401)"},
		{name: "refused (403)", handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"), run: dial,
			wantKind: phone.ErrRefused, wantMsg: "allow action URIs"},
		{name: "no action URI (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"), run: dial,
			wantKind: phone.ErrRefused, wantMsg: "(HTTP 404)"},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"), run: dial,
			wantKind: phone.ErrProtocol, wantMsg: "(HTTP 500)"},
		{name: "timeout", sim: phonesim.Options{Delay: time.Minute},
			timeout: 50 * time.Millisecond, run: dial, wantKind: phone.ErrUnreachable, wantMsg: "did not answer in time"},
		{name: "answer", run: func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			wantKind: phone.ErrNotSupported, wantMsg: "A Fanvil phone cannot answer a call remotely"},
		{name: "DTMF", run: func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "1") },
			wantKind: phone.ErrNotSupported, wantMsg: "cannot send DTMF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := simtest.FaultOr(t, tt.handler, phonesim.Options{}, func() string { return startSim(t, tt.sim).URL() })
			timeout := simtest.Timeout(tt.timeout)
			err := tt.run(context.Background(), newDriver(t, url, timeout))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg)
		})
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{
		Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
			s := startSim(t, phonesim.Options{})
			d := newDriver(t, s.URL(), 10*time.Second)
			if state == simtest.Connected {
				_ = d.Dial(context.Background(), phone.DialOptions{Number: "200"})
			}
			return d, s, ""
		},
		StartTLS: func(t *testing.T, addr string) simtest.Phone {
			return startSim(t, phonesim.Options{TLS: true, Addr: addr})
		},
		Client: login.ClientOptions(Brand),
		Open:   func(c *phonehttp.Client) phone.Driver { return New(c) },
	})
}
