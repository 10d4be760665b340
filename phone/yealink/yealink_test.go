package yealink

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// bench pairs a simulated Yealink phone and the driver with one web login.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthBasic, Username: "admin", Password: "s3cret"}, StartSim, New)

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
			s := bench.Sim(t, SimOptions{})
			var id string
			if tt.setup != nil {
				id = tt.setup(s)
			}
			d := bench.Driver(t, s.URL(), 10*time.Second)
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
		simtest.WantState(t, s.Calls(), id, st, func(c SimCall) (string, phonesim.CallState) { return c.ID, c.State })
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
	nothingDialed := func(t *testing.T, s *Sim) {
		if len(s.Dialed()) != 0 {
			t.Errorf("the phone dialed %+v although it refused", s.Dialed())
		}
	}
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong password (401)", Password: "other",
			Kind: phone.ErrAuth, Words: []string{"(HTTP 401)"}},
		{Name: "not on the allow list (403)", Sim: SimOptions{AllowIPs: []string{"192.0.2.*"}},
			Kind: phone.ErrRefused, Words: []string{"refused to dial (HTTP 403)", `"Action URI Allow IP List"`, `"Allow remote control?"`},
			Check: nothingDialed},
		{Name: "waiting for the prompt (403)", Sim: SimOptions{AllowIPs: []string{"127.0.0.*"}, ConfirmPrompt: true},
			Kind: phone.ErrRefused, Words: []string{`"Allow remote control?"`},
			Check: nothingDialed},
		{Name: "old firmware (404)", Handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"),
			Kind: phone.ErrRefused, Words: []string{"(HTTP 404)", "/cgi-bin/ConfigManApp.com"}},
		{Name: "server error (500)", Handler: simtest.Status(http.StatusInternalServerError, "text/html", "error"),
			Kind: phone.ErrProtocol, Words: []string{"unexpected answer to dial (HTTP 500)"}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			Timeout: 50 * time.Millisecond, Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
		{Name: "call id with a key in it",
			Run:  func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "1;CALLEND") },
			Kind: phone.ErrNoSuchCall, Words: []string{"not a Yealink call id"},
			Check: nothingDialed},
		{Name: "DTMF letter",
			Run:  func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "12A") },
			Kind: phone.ErrNotSupported, Words: []string{`A Yealink phone cannot send DTMF with the character "A" remotely`},
			Check: nothingDialed},
	}
	bench.Faults(t, tests)
}

func TestConfirmPrompt(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{ConfirmPrompt: true})
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
	simtest.Run(t, bench.Conformance(simtest.RingOrConnect))
}

func TestParseEvent(t *testing.T) {
	tests := []simtest.EventCase{
		{
			Name:  "incoming call",
			Event: "incoming",
			Query: "call_id=25&local=101%40pbx.example&display_local=Reception&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller",
			Want: phone.Event{
				Kind: phone.EventIncoming, Format: "yealink", CallID: "25",
				Local: "101@pbx.example", LocalAlias: "Reception", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{
			Name:  "call established",
			Event: "connected",
			Query: "call_id=25&local=101@pbx.example&display_local=&remote=0301234&display_remote=",
			Want:  phone.Event{Kind: phone.EventConnected, Format: "yealink", CallID: "25", Local: "101@pbx.example", Remote: "0301234"},
		},
		{Name: "outgoing call", Event: "outgoing", Query: "call_id=26&remote=42", Want: phone.Event{Kind: phone.EventOutgoing, Format: "yealink", CallID: "26", Remote: "42"}},
	}
	simtest.ParseCases(t, ParseEvent, tests)
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "test", Query: "call_id=1", Want: `unknown phone event "test" from a Yealink phone`, Unknown: true},
		{Event: "incoming", Query: "call_id=$call_id&remote=42", Want: "the Yealink phone sent no call id", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	simtest.PerEventSettings(t, EventFormat(), "yealink", 7, func(s phone.EventSetting) bool {
		return strings.HasPrefix(s.Name, "action_url.") &&
			strings.Contains(s.Query, "call_id=$call_id") && strings.HasSuffix(s.Query, "display_remote=$display_remote")
	})
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, simtest.Parsed,
		[2]string{"incoming", "call_id=25&local=101%40pbx&remote=42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F"},
		[2]string{"connected", "call_id=&call_id=2&display_remote=%"})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "incoming", "call_id=25&local=101%40pbx.example&display_local=Reception"+
		"&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller")
}
