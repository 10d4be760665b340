package auerswald

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

const token = "abcdefg"

// bench pairs a simulated Auerswald phone and the driver (in its default
// options) with one access token.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthBearer, Password: token}, StartSim,
	func(c *phonehttp.Client) *Driver { return New(c, Options{}) })

func TestOperations(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(s *Sim)
		run       func(ctx context.Context, d *Driver) error
		wantQuery string
		check     func(t *testing.T, s *Sim)
	}{
		{"dial", nil,
			func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "+4930123"}) },
			"action=call&number=%2B4930123",
			wantCalls(SimCall{ID: "TC@1", Remote: "+4930123", State: phonesim.Connected})},
		{"answer by id", func(s *Sim) { s.Ring("42"); s.Ring("43") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "TC@2") },
			"action=accept&callId=TC%402",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Ringing}, SimCall{ID: "TC@2", Remote: "43", State: phonesim.Connected})},
		{"answer the ringing call", func(s *Sim) { s.Ring("42") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			"action=accept",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected})},
		{"hang up", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "TC@1") },
			"action=terminate&callId=TC%401", wantCalls()},
		{"hold", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "TC@1") },
			"action=hold&callId=TC%401", wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Held})},
		{"resume", func(s *Sim) { s.Connect("42"); hold(s, "TC@1") },
			func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "TC@1") },
			"action=resume&callId=TC%401", wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected})},
		{"transfer", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Transfer(ctx, "TC@1", "45") },
			"action=transfer&callId=TC%401&number=45",
			func(t *testing.T, s *Sim) {
				wantCalls()(t, s)
				if got := s.Transferred(); !reflect.DeepEqual(got, []string{"45"}) {
					t.Errorf("transferred = %q", got)
				}
			}},
		{"DTMF", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "TC@1", "12*#") },
			"action=dtmf&callId=TC%401&digits=12%2A%23",
			func(t *testing.T, s *Sim) {
				if got := s.DTMF(); got != "12*#" {
					t.Errorf("DTMF = %q", got)
				}
			}},
		{"join", func(s *Sim) { s.Connect("42"); s.Connect("46") },
			func(ctx context.Context, d *Driver) error { return d.Join(ctx, "TC@1", "TC@2") },
			"action=join&callId=TC%401&callId2=TC%402", wantCalls()},
		{"conference", func(s *Sim) { s.Connect("42"); s.Connect("46"); hold(s, "TC@1") },
			func(ctx context.Context, d *Driver) error { return d.Conference(ctx, "TC@1", "TC@2") },
			"action=conference&callId=TC%401&callId2=TC%402",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected, Conference: "TC@2"},
				SimCall{ID: "TC@2", Remote: "46", State: phonesim.Connected, Conference: "TC@1"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bench.Sim(t, SimOptions{})
			if tt.setup != nil {
				tt.setup(s)
			}
			d := bench.Driver(t, s.URL(), 10*time.Second)
			if err := tt.run(context.Background(), d); err != nil {
				t.Fatalf("err = %v", err)
			}
			got := simtest.Last(t, s)
			simtest.Request(t, got, simtest.Want{
				Method: http.MethodGet, Path: CommandPath, RawQuery: tt.wantQuery,
				Header: map[string]string{"Authorization": "Bearer " + token},
			})
			tt.check(t, s)
		})
	}
}

func hold(s *Sim, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.Get(id).State = phonesim.Held
}

// wantCalls checks the simulator's calls after an operation.
func wantCalls(want ...SimCall) func(t *testing.T, s *Sim) { return simtest.WantCalls[*Sim](want...) }

// TestCapabilitiesFollowFirmware checks the lazy cache: one action=?
// look-up, capabilities from its answer, and no request for a command the
// firmware lacks.
func TestCapabilitiesFollowFirmware(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{Actions: []string{"call", "accept", "terminate", "log"}})
	want := phone.CanDial | phone.CanAnswer | phone.CanHangup
	for i := 0; i < 3; i++ {
		if got := d.Capabilities(); got != want {
			t.Fatalf("Capabilities() = %v, want %v", got, want)
		}
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("the phone was asked %d times, want once", n)
	}
	simtest.Request(t, s.Requests()[0], simtest.Want{Method: http.MethodGet, Path: CommandPath, RawQuery: "action=%3F",
		Header: map[string]string{"Authorization": "Bearer " + token}})
	err := d.Hold(context.Background(), "TC@1")
	if phone.KindOf(err) != phone.ErrNotSupported || !strings.Contains(err.Error(), `no "hold" command`) {
		t.Fatalf("Hold on firmware without hold: err = %v", err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("an unsupported command reached the phone (%d requests)", n)
	}
	list, err := d.Learn(context.Background())
	if err != nil || !reflect.DeepEqual(list, []string{"accept", "call", "log", "terminate"}) {
		t.Errorf("Learn() = %q, %v", list, err)
	}
}

// TestCapabilitiesRetry: a failed look-up assumes firmware 1.4 and is
// retried only after RetryAfter on the injected clock.
func TestCapabilitiesRetry(t *testing.T) {
	var mu sync.Mutex
	broken := true
	srv, err := phonesim.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if broken {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("call, terminate"))
	}), phonesim.Options{Auth: phonesim.AuthBearer, Password: token})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	now := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	d := New(bench.Login.Client(t, Brand, srv.URL(), 10*time.Second), Options{Now: func() time.Time { return now }})
	if got, want := d.Capabilities(), capabilities(Firmware14); got != want {
		t.Fatalf("while the phone fails: %v, want the firmware 1.4 set %v", got, want)
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	now = now.Add(RetryAfter / 2)
	d.Capabilities()
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("asked %d times before RetryAfter, want 1", n)
	}
	now = now.Add(RetryAfter)
	if got, want := d.Capabilities(), phone.CanDial|phone.CanHangup; got != want {
		t.Fatalf("after RetryAfter: %v, want %v", got, want)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("asked %d times, want 2", n)
	}
}

func TestErrors(t *testing.T) {
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong token (401)", Password: "wrong", Kind: phone.ErrAuth,
			Words: []string{"(HTTP 401)", "access token"}},
		{Name: "action URLs off (403)", Sim: SimOptions{Disabled: true}, Kind: phone.ErrRefused,
			Words: []string{"refused to dial (HTTP 403)", "Settings > Access"}},
		{Name: "old firmware (404)", Handler: simtest.Status(http.StatusNotFound, "text/html", "<h1>Not Found</h1>"),
			Kind: phone.ErrRefused, Words: []string{"(HTTP 404)", "firmware 1.4A"}},
		{Name: "unknown call (404)", Run: func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "TC@9") },
			Kind: phone.ErrNoSuchCall, Words: []string{"That call no longer exists on the phone", "TC@9"}},
		{Name: "unknown command (400)", Sim: SimOptions{Actions: []string{"accept"}},
			Kind: phone.ErrNotSupported, Words: []string{"An Auerswald phone cannot dial remotely", "unknown action 'call'"}},
		{Name: "wrong state (400)", Run: func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "") },
			Kind: phone.ErrNoSuchCall, Words: []string{"no call to resume"}},
		{Name: "server error (500)", Handler: simtest.Status(http.StatusInternalServerError, "application/json", `{"error":"internal error"}`),
			Kind: phone.ErrProtocol, Words: []string{"(HTTP 500)", `"internal error"`}},
		{Name: "200 saying error", Handler: simtest.Status(http.StatusOK, "application/json", `{"success":false,"message":"line busy"}`),
			Kind: phone.ErrRefused, Words: []string{"refused to dial", `"line busy"`}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}}, Timeout: 50 * time.Millisecond,
			Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
	}
	bench.Faults(t, tests)
}

func TestTokenNeverInURL(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	if err := d.Dial(context.Background(), phone.DialOptions{Number: "42"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if strings.Contains(r.RawQuery, token) {
			t.Errorf("the token is in the query %q", r.RawQuery)
		}
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(simtest.RingOrConnect))
}

// TestParseEvent plays every example of Auerswald's "Action Urls" page, as
// the phone sends them (with its MAC address, which it always adds).
func TestParseEvent(t *testing.T) {
	const mac = "&mac=000fd40a1b2c"
	tests := []struct {
		query string
		want  phone.Event
	}{
		{"event=incoming&callId=TC@1&accountId=1&number=42&name=Peter" + mac,
			phone.Event{Kind: phone.EventIncoming, CallID: "TC@1", Account: "1", Remote: "42", RemoteAlias: "Peter"}},
		{"event=outgoing&callId=TC@2&accountId=1&number=43" + mac,
			phone.Event{Kind: phone.EventOutgoing, CallID: "TC@2", Account: "1", Remote: "43"}},
		{"event=remoteUpdate&callId=TC@2&number=43&name=Franz" + mac,
			phone.Event{Kind: phone.EventUpdate, CallID: "TC@2", Remote: "43", RemoteAlias: "Franz"}},
		{"event=connected&callId=TC@2" + mac, phone.Event{Kind: phone.EventConnected, CallID: "TC@2"}},
		{"event=holding&callId=TC@2" + mac, phone.Event{Kind: phone.EventHold, CallID: "TC@2"}},
		{"event=disconnected&callId=TC@1" + mac, phone.Event{Kind: phone.EventDisconnected, CallID: "TC@1"}},
		{"event=conferenced&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventConferenced, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=unconferenced&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventUnconferenced, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transferred&callId=TC@1&number=45" + mac, phone.Event{Kind: phone.EventTransferred, CallID: "TC@1", Remote: "45"}},
		{"event=transfer_done&callId=TC@1&number=46" + mac, phone.Event{Kind: phone.EventTransferDone, CallID: "TC@1", Remote: "46"}},
		{"event=transfer_initiated&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferInitiated, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transfer_failed&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferFailed, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transfer_done&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferDone, CallID: "TC@1", OtherCallID: "TC@2"}},
		// A name the phone escaped, with characters that matter in a URL.
		{"event=incoming&callId=TC%403&accountId=2&number=%2B4930123&name=Bob%26admin%3D1%23x%2F..%2F%3F" + mac,
			phone.Event{Kind: phone.EventIncoming, CallID: "TC@3", Account: "2", Remote: "+4930123", RemoteAlias: "Bob&admin=1#x/../?"}},
	}
	for _, tt := range tests {
		got, err := ParseEvent("", tt.query)
		if err != nil {
			t.Errorf("ParseEvent(%q): %v", tt.query, err)
			continue
		}
		tt.want.Format = "auerswald"
		tt.want.MAC = "000fd40a1b2c"
		if got != tt.want {
			t.Errorf("ParseEvent(%q)\n got  %+v\nwant %+v", tt.query, got, tt.want)
		}
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "", Query: "event=ringing&callId=TC@1", Want: `unknown phone event "ringing" from an Auerswald phone`, Unknown: true},
		{Event: "incoming", Query: "event=incoming&callId=TC@1", Want: "every event to the same URL", Unknown: true},
		{Event: "", Query: "callId=TC@1", Want: "has no event parameter", Unknown: false},
		{Event: "", Query: "event=connected", Want: "connected event has no callId", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	f := EventFormat()
	simtest.FormatSettings(t, f, "auerswald", 1, "event=connected&callId=TC@1", func(s phone.EventSetting) bool {
		return s.Name == "action URL server"
	})
	if got, want := f.Settings[0].URL("http://192.0.2.5:61234/phone/T/auerswald"), "http://192.0.2.5:61234/phone/T/auerswald"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, func(t *testing.T, event string, ev phone.Event) {
		if ev.Kind == phone.EventUnknown || ev.CallID == "" || event != "" {
			t.Fatalf("accepted %q as %+v", event, ev)
		}
	},
		[2]string{"", "event=incoming&callId=TC@1&accountId=1&number=42&name=Peter&mac=000fd40a1b2c"},
		[2]string{"", "event=transfer_done&callId=TC@1&callId2=TC@2"},
		[2]string{"x", "event=%zz&callId="})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "", "event=incoming&callId=TC@1&accountId=1&number=%2B4930123456&name=Peter+M%C3%BCller&mac=000fd40a1b2c")
}
