package yealink

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

func startSim(t *testing.T, opts SimOptions) *Sim {
	t.Helper()
	login.Protect(&opts.Options)
	return simtest.Start(t, func() (*Sim, error) { return StartSim(opts) })
}

func newDriver(t *testing.T, url string, timeout time.Duration) *Driver {
	t.Helper()
	return New(login.Client(t, Brand, url, timeout))
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(s *Sim) string
		run       func(ctx context.Context, d *Driver, id string) error
		wantQuery string
		check     func(t *testing.T, s *Sim, id string)
	}{
		{"dial", nil,
			func(ctx context.Context, d *Driver, _ string) error {
				return d.Dial(ctx, phone.DialOptions{Number: "+49301234#"})
			},
			"key=number=%2B49301234%23",
			func(t *testing.T, s *Sim, _ string) {
				if got, want := s.Dialed(), []Dialed{{Number: "+49301234#"}}; !reflect.DeepEqual(got, want) {
					t.Errorf("dialed = %+v, want %+v", got, want)
				}
			}},
		{"dial from an account", nil,
			func(ctx context.Context, d *Driver, _ string) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "4711@pbx.example"})
			},
			"key=number=200&outgoing_uri=4711%40pbx.example",
			func(t *testing.T, s *Sim, _ string) {
				if got, want := s.Dialed(), []Dialed{{Number: "200", OutgoingURI: "4711@pbx.example"}}; !reflect.DeepEqual(got, want) {
					t.Errorf("dialed = %+v, want %+v", got, want)
				}
			}},
		{"answer by id", func(s *Sim) string { s.Ring("100"); return s.Ring("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.Answer(ctx, id) },
			"key=ASW:33094", wantState(phonesim.Connected)},
		{"answer the ringing call", func(s *Sim) string { return s.Ring("200") },
			func(ctx context.Context, d *Driver, _ string) error { return d.Answer(ctx, "") },
			"key=ASW", wantState(phonesim.Connected)},
		{"hang up by id", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.Hangup(ctx, id) },
			"key=CANCEL:33093", wantGone},
		{"reject a ringing call by id", func(s *Sim) string { return s.Ring("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.Hangup(ctx, id) },
			"key=CANCEL:33093", wantGone},
		{"hang up the active call", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, _ string) error { return d.Hangup(ctx, "") },
			"key=CALLEND", wantGone},
		{"hold by id", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.Hold(ctx, id) },
			"key=HOLD:33093", wantState(phonesim.Held)},
		{"hold the active call", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, _ string) error { return d.Hold(ctx, "") },
			"key=F_HOLD", wantState(phonesim.Held)},
		{"resume by id", heldCall,
			func(ctx context.Context, d *Driver, id string) error { return d.Resume(ctx, id) },
			"key=UNHOLD:33093", wantState(phonesim.Connected)},
		{"resume the held call", heldCall,
			func(ctx context.Context, d *Driver, _ string) error { return d.Resume(ctx, "") },
			"key=F_HOLD", wantState(phonesim.Connected)},
		{"transfer", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.Transfer(ctx, id, "30*1") },
			"key=F_TRANSFER;3;0;STAR;1;F_TRANSFER",
			func(t *testing.T, s *Sim, id string) {
				wantGone(t, s, id)
				if got := s.Transferred(); !reflect.DeepEqual(got, []string{"30*1"}) {
					t.Errorf("transferred = %q, want [30*1]", got)
				}
			}},
		{"DTMF", func(s *Sim) string { return s.Connect("200") },
			func(ctx context.Context, d *Driver, id string) error { return d.SendDTMF(ctx, id, "12*#") },
			"key=1;2;STAR;POUND",
			func(t *testing.T, s *Sim, _ string) {
				if got := s.DTMF(); got != "12*#" {
					t.Errorf("DTMF = %q, want 12*#", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSim(t, SimOptions{})
			var id string
			if tt.setup != nil {
				id = tt.setup(s)
			}
			d := newDriver(t, s.URL(), 10*time.Second)
			if err := tt.run(context.Background(), d, id); err != nil {
				t.Fatalf("err = %v", err)
			}
			simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/servlet", RawQuery: tt.wantQuery})
			tt.check(t, s, id)
		})
	}
}

func heldCall(s *Sim) string {
	id := s.Connect("200")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.Get(id).State = phonesim.Held
	return id
}

func wantState(st phonesim.CallState) func(t *testing.T, s *Sim, id string) {
	return func(t *testing.T, s *Sim, id string) {
		t.Helper()
		for _, c := range s.Calls() {
			if c.ID == id {
				if c.State != st {
					t.Errorf("call %s is %s, want %s", id, c.State, st)
				}
				return
			}
		}
		t.Errorf("call %s is gone, want it %s", id, st)
	}
}

func wantGone(t *testing.T, s *Sim, id string) {
	t.Helper()
	for _, c := range s.Calls() {
		if c.ID == id {
			t.Errorf("call %s is still %s, want it gone", id, c.State)
		}
	}
}

func TestErrors(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
	tests := []struct {
		name     string
		sim      SimOptions
		handler  http.Handler
		timeout  time.Duration
		run      func(ctx context.Context, d *Driver) error
		wantKind phone.ErrorKind
		wantMsg  []string
	}{
		{name: "wrong password (401)", sim: SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: login.Username, Password: "other"}},
			run: dial, wantKind: phone.ErrAuth, wantMsg: []string{"(HTTP 401)"}},
		{name: "not on the allow list (403)", sim: SimOptions{AllowIPs: []string{"192.0.2.*"}},
			run: dial, wantKind: phone.ErrRefused,
			wantMsg: []string{"refused to dial (HTTP 403)", `"Action URI Allow IP List"`, `"Allow remote control?"`}},
		{name: "waiting for the prompt (403)", sim: SimOptions{AllowIPs: []string{"127.0.0.*"}, ConfirmPrompt: true},
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{`"Allow remote control?"`}},
		{name: "old firmware (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"),
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{"(HTTP 404)", "/cgi-bin/ConfigManApp.com"}},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "text/html", "error"),
			run: dial, wantKind: phone.ErrProtocol, wantMsg: []string{"unexpected answer to dial (HTTP 500)"}},
		{name: "timeout", sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			timeout: 50 * time.Millisecond, run: dial, wantKind: phone.ErrUnreachable, wantMsg: []string{"did not answer in time"}},
		{name: "call id with a key in it",
			run:      func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "1;CALLEND") },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"not a Yealink call id"}},
		{name: "DTMF letter",
			run:      func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "12A") },
			wantKind: phone.ErrNotSupported, wantMsg: []string{`A Yealink phone cannot send DTMF with the character "A" remotely`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *Sim
			url := simtest.FaultOr(t, tt.handler, login.Options(), func() string {
				s = startSim(t, tt.sim)
				return s.URL()
			})
			timeout := simtest.Timeout(tt.timeout)
			err := tt.run(context.Background(), newDriver(t, url, timeout))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg...)
			if s != nil && tt.wantKind != phone.ErrUnreachable && tt.wantKind != phone.ErrAuth && len(s.Dialed()) != 0 {
				t.Errorf("the phone dialed %+v although it refused", s.Dialed())
			}
		})
	}
}

func TestConfirmPrompt(t *testing.T) {
	s := startSim(t, SimOptions{ConfirmPrompt: true})
	d := newDriver(t, s.URL(), 10*time.Second)
	ctx := context.Background()
	if err := d.Dial(ctx, phone.DialOptions{Number: "200"}); phone.KindOf(err) != phone.ErrRefused {
		t.Fatalf("before OK: err = %v, want ErrRefused", err)
	}
	s.AllowRemoteControl()
	if err := d.Dial(ctx, phone.DialOptions{Number: "200"}); err != nil {
		t.Fatalf("after OK: err = %v", err)
	}
	if got := len(s.Dialed()); got != 1 {
		t.Errorf("dialed %d times, want 1", got)
	}
}

func TestCapabilities(t *testing.T) {
	want := phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume | phone.CanTransfer | phone.CanDTMF
	if got := New(nil).Capabilities(); got != want {
		t.Errorf("Capabilities() = %v, want %v", got, want)
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{
		Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
			s := startSim(t, SimOptions{})
			return newDriver(t, s.URL(), 10*time.Second), s, simtest.Prepare(state, s.Ring, s.Connect)
		},
		StartTLS: func(t *testing.T, addr string) simtest.Phone {
			return startSim(t, SimOptions{Options: phonesim.Options{TLS: true, Addr: addr}})
		},
		Client: login.ClientOptions(Brand),
		Open:   func(c *phonehttp.Client) phone.Driver { return New(c) },
	})
}
