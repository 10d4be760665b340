package snom

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

var login = simtest.Login{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret"}

func startTestSim(t *testing.T, opts SimOptions) *Sim {
	t.Helper()
	login.Protect(&opts.Options)
	return simtest.Start(t, func() (*Sim, error) { return StartSim(opts) })
}

func testDriver(t *testing.T, url string, timeout time.Duration) *Driver {
	t.Helper()
	return New(login.Client(t, Brand, url, timeout))
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name      string
		run       func(ctx context.Context, d *Driver) error
		wantQuery string
		wantKeys  []string
		wantDial  []Dialed
		wantDTMF  []string
	}{
		{"dial", func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "+4930123#"}) },
			"number=%2B4930123%23", nil, []Dialed{{Number: "+4930123#"}}, nil},
		{"dial from an identity", func(ctx context.Context, d *Driver) error {
			return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "123@domain1"})
		}, "number=200&outgoing_uri=123%40domain1", nil, []Dialed{{Number: "200", Identity: "123@domain1"}}, nil},
		{"answer", func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") }, "key=ENTER", []string{"ENTER"}, nil, nil},
		{"hang up", func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "") }, "key=CANCEL", []string{"CANCEL"}, nil, nil},
		{"hold", func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "") }, "key=F_HOLD", []string{"F_HOLD"}, nil, nil},
		{"resume", func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "") }, "key=F_HOLD", []string{"F_HOLD"}, nil, nil},
		{"transfer", func(ctx context.Context, d *Driver) error { return d.Transfer(ctx, "", "2*1") },
			"key=TRANSFER%3B2%3B%2A%3B1%3BENTER", []string{"TRANSFER", "2", "*", "1", "ENTER"}, nil, nil},
		{"DTMF", func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "12#") },
			"key_dtmf=12%23", nil, nil, []string{"12#"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startTestSim(t, SimOptions{})
			if err := tt.run(context.Background(), testDriver(t, s.URL(), 10*time.Second)); err != nil {
				t.Fatalf("err = %v", err)
			}
			simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/command.htm", RawQuery: tt.wantQuery})
			if got := s.Keys(); !reflect.DeepEqual(got, tt.wantKeys) {
				t.Errorf("keys = %q, want %q", got, tt.wantKeys)
			}
			if got := s.Dialed(); !reflect.DeepEqual(got, tt.wantDial) {
				t.Errorf("dialed = %+v, want %+v", got, tt.wantDial)
			}
			if got := s.DTMF(); !reflect.DeepEqual(got, tt.wantDTMF) {
				t.Errorf("DTMF = %q, want %q", got, tt.wantDTMF)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
	tests := []struct {
		name     string
		sim      SimOptions
		handler  http.Handler
		timeout  time.Duration
		wantKind phone.ErrorKind
		wantMsg  string
	}{
		{name: "wrong password (401)", sim: SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: login.Username, Password: "x"}},
			wantKind: phone.ErrAuth, wantMsg: "(HTTP 401)"},
		{name: "D8xx without command.htm (404)", sim: SimOptions{NoCommandPage: true},
			wantKind: phone.ErrRefused, wantMsg: `pair it as "snom-csta"`},
		{name: "forbidden (403)", handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"),
			wantKind: phone.ErrRefused, wantMsg: "remote control over HTTP"},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"),
			wantKind: phone.ErrProtocol, wantMsg: "(HTTP 500)"},
		{name: "timeout", sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			timeout: 50 * time.Millisecond, wantKind: phone.ErrUnreachable, wantMsg: "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := simtest.FaultOr(t, tt.handler, phonesim.Options{}, func() string { return startTestSim(t, tt.sim).URL() })
			timeout := simtest.Timeout(tt.timeout)
			err := dial(context.Background(), testDriver(t, url, timeout))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg)
		})
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{
		Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
			s := startTestSim(t, SimOptions{})
			return testDriver(t, s.URL(), 10*time.Second), s, ""
		},
		StartTLS: func(t *testing.T, addr string) simtest.Phone {
			return startTestSim(t, SimOptions{Options: phonesim.Options{TLS: true, Addr: addr}})
		},
		Client: login.ClientOptions(Brand),
		Open:   func(c *phonehttp.Client) phone.Driver { return New(c) },
	})
}
