package snom

import (
	"context"
	"net/http"
	"reflect"
	"strings"
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
		{"consult", func(ctx context.Context, d *Driver) error { return d.Consult(ctx, "", "204") },
			"key=F_HOLD%3B2%3B0%3B4%3BENTER", []string{"F_HOLD", "2", "0", "4", "ENTER"}, nil, nil},
		{"complete the transfer", func(ctx context.Context, d *Driver) error { return d.CompleteTransfer(ctx, "", "") },
			"key=TRANSFER", []string{"TRANSFER"}, nil, nil},
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

// TestHoldFallsBackToF_RAndRemembersIt: a phone older than firmware
// 8.7.3.7 refuses F_HOLD; the driver presses F_R instead, for the consult
// too, and from then on only F_R.
func TestHoldFallsBackToF_RAndRemembersIt(t *testing.T) {
	s := startTestSim(t, SimOptions{BeforeFHold: true})
	d := testDriver(t, s.URL(), 10*time.Second)
	ctx := context.Background()
	if err := d.Hold(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if err := d.Consult(ctx, "", "20"); err != nil {
		t.Fatal(err)
	}
	if err := d.Resume(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Keys(), []string{"F_R", "F_R", "2", "0", "ENTER", "F_R"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
}

// TestTransferTargetsWithoutAKeyAreRefused: the keypad has no "+" key, so
// a number in international form never reaches the phone as keys; the
// error says how to get the number written with the prefix instead.
func TestTransferTargetsWithoutAKeyAreRefused(t *testing.T) {
	s := startTestSim(t, SimOptions{})
	d := testDriver(t, s.URL(), 10*time.Second)
	ctx := context.Background()
	for _, run := range []func() error{
		func() error { return d.Consult(ctx, "", "+4930123") },
		func() error { return d.Transfer(ctx, "", "+4930123") },
	} {
		err := run()
		if phone.KindOf(err) != phone.ErrRefused || !strings.Contains(err.Error(), `its keypad has no "+" key: set dialing.format to "national"`) {
			t.Errorf("err = %v", err)
		}
	}
	if got := s.Keys(); len(got) != 0 {
		t.Errorf("the phone got the keys %q", got)
	}
}

// TestDoNotDisturbIsTheSetting: on and off set dnd_mode through the
// settings URL, whatever the phone showed before.
func TestDoNotDisturbIsTheSetting(t *testing.T) {
	s := startTestSim(t, SimOptions{})
	d := testDriver(t, s.URL(), 10*time.Second)
	for _, on := range []bool{true, true, false} {
		if err := d.SetDND(context.Background(), on); err != nil {
			t.Fatal(err)
		}
		if s.DND() != on {
			t.Errorf("after SetDND(%v) the phone's DND is %v", on, s.DND())
		}
	}
	q := "dnd_mode=off&settings=save"
	simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/dummy.htm", RawQuery: q})
}

// TestTheHoldKeyFollowsTheFirmwareInTheUserAgent: the version in the
// User-Agent of the phone's action URLs picks the HOLD key before any
// request; a User-Agent without one changes nothing.
func TestTheHoldKeyFollowsTheFirmwareInTheUserAgent(t *testing.T) {
	for _, tt := range []struct{ agent, want string }{
		{"Mozilla/4.0 (compatible; snom320-SIP 8.7.3.6; snom320 jffs2 v3.36; snom320 linux 3.38)", "F_R"},
		{"Mozilla/4.0 (compatible; snom D785-SIP 10.1.159.12; dialbridge simulator)", "F_HOLD"},
		{"Mozilla/4.0 (compatible; snom370-SIP 8.7.3.7)", "F_HOLD"},
		{"curl/8.0", "F_HOLD"},
	} {
		s := startTestSim(t, SimOptions{BeforeFHold: tt.want == "F_R"})
		d := testDriver(t, s.URL(), 10*time.Second)
		d.LearnFirmware(tt.agent)
		if err := d.Hold(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
		if got := s.Keys(); !reflect.DeepEqual(got, []string{tt.want}) || len(s.Requests()) != 1 {
			t.Errorf("%s: keys %q in %d requests, want [%s] in one", tt.agent, got, len(s.Requests()), tt.want)
		}
	}
}
