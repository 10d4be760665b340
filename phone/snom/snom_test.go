package snom

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

// bench pairs a simulated Snom phone and the driver with one web login.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret"}, StartSim, New)

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
			"key=TRANSFER;2;%2A;1;ENTER", []string{"TRANSFER", "2", "*", "1", "ENTER"}, nil, nil},
		{"consult", func(ctx context.Context, d *Driver) error { return d.Consult(ctx, "", "204") },
			"key=F_HOLD;2;0;4;ENTER", []string{"F_HOLD", "2", "0", "4", "ENTER"}, nil, nil},
		{"complete the transfer", func(ctx context.Context, d *Driver) error { return d.CompleteTransfer(ctx, "", "") },
			"key=TRANSFER", []string{"TRANSFER"}, nil, nil},
		{"DTMF", func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "12#") },
			"key_dtmf=12%23", nil, nil, []string{"12#"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, d := bench.Pair(t, SimOptions{})
			if err := tt.run(context.Background(), d); err != nil {
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
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong password (401)", Password: "x",
			Kind: phone.ErrAuth, Words: []string{"(HTTP 401)"}},
		{Name: "D8xx without command.htm (404)", Sim: SimOptions{NoCommandPage: true},
			Kind: phone.ErrRefused, Words: []string{`pair it as "snom-csta"`}},
		{Name: "forbidden (403)", Handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"),
			Kind: phone.ErrRefused, Words: []string{"remote control over HTTP"}},
		{Name: "server error (500)", Handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"),
			Kind: phone.ErrProtocol, Words: []string{"(HTTP 500)"}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			Timeout: 50 * time.Millisecond, Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
	}
	bench.Faults(t, tests)
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(nil))
}

func TestParseEvent(t *testing.T) {
	tests := []simtest.EventCase{
		{
			Name:  "incoming, escaped by the phone",
			Event: "incoming",
			Query: "call_id=3c2b6e1e41b1%40192.0.2.10&csta_id=-18&local=101%40pbx.example&display_local=Desk+101" +
				"&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller",
			Want: phone.Event{
				Kind: phone.EventIncoming, Format: "snom", CallID: "3c2b6e1e41b1@192.0.2.10", CSTAID: "-18",
				Local: "101@pbx.example", LocalAlias: "Desk 101", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{
			Name:  "display name with an unescaped ampersand stays whole",
			Event: "connected",
			Query: "call_id=7&csta_id=-2&local=101@pbx.example&display_local=&remote=42@pbx.example&display_remote=Bob&admin=1",
			Want: phone.Event{
				Kind: phone.EventConnected, Format: "snom", CallID: "7", CSTAID: "-2",
				Local: "101@pbx.example", Remote: "42", RemoteAlias: "Bob&admin=1",
			},
		},
		{
			Name:  "older firmware leaves $csta_id unfilled",
			Event: "hold",
			Query: "call_id=7&csta_id=$csta_id&local=101@pbx.example&display_local=$display_local&remote=42&display_remote=$display_remote",
			Want:  phone.Event{Kind: phone.EventHold, Format: "snom", CallID: "7", Local: "101@pbx.example", Remote: "42"},
		},
		{Name: "firewall test needs no call", Event: "test", Want: phone.Event{Kind: phone.EventTest, Format: "snom"}},
		{Name: "outgoing", Event: "outgoing", Query: "call_id=9&remote=0301234", Want: phone.Event{Kind: phone.EventOutgoing, Format: "snom", CallID: "9", Remote: "0301234"}},
		{Name: "do not disturb on", Event: "dnd_on", Query: "", Want: phone.Event{Kind: phone.EventDNDOn, Format: "snom"}},
		{Name: "do not disturb off", Event: "dnd_off", Query: "", Want: phone.Event{Kind: phone.EventDNDOff, Format: "snom"}},
		{Name: "forwarding on names its target", Event: "forward_on", Query: "remote=0307654321", Want: phone.Event{Kind: phone.EventForwardOn, Format: "snom", Remote: "0307654321"}},
		{Name: "forwarding off", Event: "forward_off", Query: "", Want: phone.Event{Kind: phone.EventForwardOff, Format: "snom"}},
	}
	simtest.ParseCases(t, ParseEvent, tests)
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "ringing", Query: "call_id=1", Want: `unknown phone event "ringing" from a Snom phone`, Unknown: true},
		{Event: "", Query: "call_id=1", Want: `unknown phone event "" from a Snom phone`, Unknown: true},
		{Event: "incoming", Query: "remote=42", Want: "the Snom phone sent no call id", Unknown: false},
		{Event: "incoming", Query: "call_id=$call-id", Want: "the Snom phone sent no call id", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	f := EventFormat()
	simtest.PerEventSettings(t, f, "snom", 12, func(s phone.EventSetting) bool {
		return strings.HasPrefix(s.Name, "action_") && strings.HasSuffix(s.Name, "_url")
	})
	got := f.Settings[0].URL("http://192.0.2.5:61234/phone/TOKEN/snom")
	want := "http://192.0.2.5:61234/phone/TOKEN/snom/incoming?call_id=$call-id&csta_id=$csta_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote"
	if got != want {
		t.Errorf("incoming URL\n got %s\nwant %s", got, want)
	}
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, simtest.Parsed,
		[2]string{"incoming", "call_id=1&csta_id=-3&local=101%40pbx&remote=sip%3A42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F"},
		[2]string{"connected", "call_id=%zz&display_remote=&display_remote=x"},
		[2]string{"test", ""},
		[2]string{"dnd_off", "call_id=1"},
		[2]string{"forward_on", "remote=0301234%26x"})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "incoming", "call_id=3c2b6e1e41b1%40192.0.2.10&csta_id=-18&local=101%40pbx.example"+
		"&display_local=Desk+101&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller")
}

// TestHoldFallsBackToF_RAndRemembersIt: a phone older than firmware
// 8.7.3.7 refuses F_HOLD; the driver presses F_R instead, for the consult
// too, and from then on only F_R.
func TestHoldFallsBackToF_RAndRemembersIt(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{BeforeFHold: true})
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
	s, d := bench.Pair(t, SimOptions{})
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
	s, d := bench.Pair(t, SimOptions{})
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

// TestForwardingIsTheAlwaysSetting: a target writes the first identity's
// "Forward to" and switches its forwarding "always" on; off switches it
// off and leaves the target, as the phone's menu does.
func TestForwardingIsTheAlwaysSetting(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	for _, tt := range []struct{ target, query, enabled string }{
		{"0301234567", "fwd_all_enabled1=on&fwd_all_target1=0301234567&settings=save", "on"},
		{"", "fwd_all_enabled1=off&settings=save", "off"},
	} {
		if err := d.SetForward(context.Background(), tt.target); err != nil {
			t.Fatal(err)
		}
		simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/dummy.htm", RawQuery: tt.query})
		if got := s.Settings(); got["fwd_all_enabled1"] != tt.enabled || got["fwd_all_target1"] != "0301234567" {
			t.Errorf("SetForward(%q): the phone has %v", tt.target, got)
		}
	}
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
		s, d := bench.Pair(t, SimOptions{BeforeFHold: tt.want == "F_R"})
		d.LearnFirmware(tt.agent)
		if err := d.Hold(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
		if got := s.Keys(); !reflect.DeepEqual(got, []string{tt.want}) || len(s.Requests()) != 1 {
			t.Errorf("%s: keys %q in %d requests, want [%s] in one", tt.agent, got, len(s.Requests()), tt.want)
		}
	}
}
