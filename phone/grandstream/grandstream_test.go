package grandstream

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

const passcode = "s3cret&x"

// bench pairs a simulated Grandstream phone and the driver with one
// passcode. The CTI commands carry the passcode instead of a web login, so
// the harness's login stays empty.
var bench = simtest.NewHarness(Brand, simtest.Login{}, startWithPasscode,
	func(c *phonehttp.Client) *Driver { return New(c, passcode) })

func startWithPasscode(opts SimOptions) (*Sim, error) {
	if opts.Passcode == "" {
		opts.Passcode = passcode
	}
	return StartSim(opts)
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name      string
		ring      bool
		run       func(ctx context.Context, d *Driver) error
		wantPath  string
		wantQuery string // of the last request
		wantState LineState
		wantOps   []string
	}{
		{"dial", false, func(ctx context.Context, d *Driver) error {
			return d.Dial(ctx, phone.DialOptions{Number: "+4930123"})
		}, makeCallPath, "passcode=s3cret%26x&phonenumber=%2B4930123", Connected, nil},
		{"dial from an account", false, func(ctx context.Context, d *Driver) error {
			return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "1"})
		}, makeCallPath, "account=1&passcode=s3cret%26x&phonenumber=200", Connected, nil},
		{"answer", true, func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			operationPath, "cmd=acceptcall&passcode=s3cret%26x", Connected, []string{"acceptcall"}},
		{"reject a ringing call: endcall fails, cancel", true, func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "") },
			operationPath, "cmd=cancel&passcode=s3cret%26x", Idle, []string{"cancel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bench.Sim(t, SimOptions{})
			if tt.ring {
				s.Ring("200")
			}
			if err := tt.run(context.Background(), bench.Driver(t, s.URL(), 10*time.Second)); err != nil {
				t.Fatalf("err = %v", err)
			}
			simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: tt.wantPath, RawQuery: tt.wantQuery})
			if st, _ := s.Line(); st != tt.wantState {
				t.Errorf("line is %s, want %s", st, tt.wantState)
			}
			if got := s.Operations(); !reflect.DeepEqual(got, tt.wantOps) {
				t.Errorf("operations = %q, want %q", got, tt.wantOps)
			}
		})
	}
}

// TestCallSequence runs dial, hold, hang up on one line and checks every
// request.
func TestCallSequence(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	steps := []struct {
		run       func() error
		wantQuery string
		wantState LineState
	}{
		{func() error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }, "passcode=s3cret%26x&phonenumber=200", Connected},
		{func() error { return d.Hold(ctx, "") }, "cmd=holdcall&passcode=s3cret%26x", Held},
		{func() error { return d.Hangup(ctx, "") }, "cmd=endcall&passcode=s3cret%26x", Idle},
	}
	for i, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if got := simtest.Last(t, s).RawQuery; got != st.wantQuery {
			t.Errorf("step %d: query %q, want %q", i+1, got, st.wantQuery)
		}
		if got, _ := s.Line(); got != st.wantState {
			t.Errorf("step %d: line %s, want %s", i+1, got, st.wantState)
		}
	}
	if n := len(s.Requests()); n != 3 {
		t.Errorf("%d requests, want 3 (no cancel after a successful endcall)", n)
	}
}

func TestErrors(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
	tests := []struct {
		name     string
		handler  http.Handler
		pw       string
		delay    time.Duration
		run      func(ctx context.Context, d *Driver) error
		wantKind phone.ErrorKind
		wantMsg  []string
	}{
		{name: "wrong passcode", pw: "nope", run: dial, wantKind: phone.ErrAuth, wantMsg: []string{"refused the passcode"}},
		{name: "nothing to answer", run: func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			wantKind: phone.ErrRefused, wantMsg: []string{"refused to answer a call", `answered "false"`, "Action URI Allowed IP List"}},
		{name: "blocked by the phone (403)", handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"),
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{"(HTTP 403)", "Remote Control"}},
		{name: "no CTI (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"),
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{"(HTTP 404)", "CTI"}},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "text/html", "oops"),
			run: dial, wantKind: phone.ErrProtocol, wantMsg: []string{"(HTTP 500)"}},
		{name: "not JSON", handler: simtest.Status(http.StatusOK, "text/html", "<html>login</html>"),
			run: dial, wantKind: phone.ErrProtocol, wantMsg: []string{"unexpected answer to dial"}},
		{name: "timeout", delay: time.Minute, run: dial, wantKind: phone.ErrUnreachable, wantMsg: []string{"did not answer in time"}},
		{name: "resume", run: func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "") },
			wantKind: phone.ErrNotSupported, wantMsg: []string{"A Grandstream phone cannot resume a held call remotely"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := simtest.FaultOr(t, tt.handler, phonesim.Options{}, func() string {
				return bench.Sim(t, SimOptions{Options: phonesim.Options{Delay: tt.delay}}).URL()
			})
			timeout := 10 * time.Second
			if tt.delay > 0 {
				timeout = 50 * time.Millisecond
			}
			pw := tt.pw
			if pw == "" {
				pw = passcode
			}
			err := tt.run(context.Background(), New(bench.Login.Client(t, Brand, url, timeout), pw))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg...)
			if strings.Contains(err.Error(), pw) {
				t.Errorf("error %q shows the passcode", err)
			}
		})
	}
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		body    string
		want    Reply
		wantErr bool
	}{
		{`{"response":"success", "body": true}`, Reply{Success: true, Body: "true"}, false},
		{`{"response":"success", "body": "complete"}`, Reply{Success: true, Body: "complete"}, false},
		{`{"response":"error", "body": "failed"}`, Reply{Body: "failed"}, false},
		{`{"response":"error", "body": false}`, Reply{Body: "false"}, false},
		{`{"response":"success", "body": [{"line": 1, "state": "idle"}]}`, Reply{Success: true, Body: `[{"line":1,"state":"idle"}]`}, false},
		{`{"response":"error", "body": "two\nlines"}`, Reply{Body: "twolines"}, false},
		{`{"response":"maybe"}`, Reply{}, true},
		{`{"body":"x"}`, Reply{}, true},
		{`Response=Success`, Reply{}, true},
		{``, Reply{}, true},
	}
	for _, tt := range tests {
		got, err := ParseReply([]byte(tt.body))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseReply(%q) = %+v, %v; want %+v, error %v", tt.body, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseReply(f *testing.F) {
	f.Add([]byte(`{"response":"success", "body": true}`))
	f.Add([]byte(`{"response":"error", "body": "failed"}`))
	f.Add([]byte(`{"response":"success", "body": [{"line": 1, "state": "idle", "acct": "", "remotename": "", "remotenumber": "", "active": 0}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseReply(body)
		if err != nil {
			return
		}
		if len(r.Body) > maxBody+len("…") || strings.ContainsAny(r.Body, "\r\n") {
			t.Fatalf("body %q is not one short line", r.Body)
		}
	})
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(func(s *Sim, d *Driver, state simtest.CallState) string {
		ring := func(remote string) string { s.Ring(remote); return "" }
		answered := func(remote string) string { s.Ring(remote); _ = d.Answer(context.Background(), ""); return "" }
		return simtest.Prepare(state, ring, answered)
	}))
}

func TestParseEvent(t *testing.T) {
	tests := []simtest.EventCase{
		{
			Name:  "incoming call",
			Event: "incoming",
			Query: "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office&remote=4930123456&display_remote=Peter+M%C3%BCller",
			Want: phone.Event{
				Kind: phone.EventIncoming, Format: "grandstream", CallID: "1a2b3c@192.0.2.20",
				Local: "2000", LocalAlias: "Office", Remote: "4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{Name: "outgoing call", Event: "outgoing", Query: "call_id=9&remote=42&display_remote=", Want: phone.Event{Kind: phone.EventOutgoing, Format: "grandstream", CallID: "9", Remote: "42"}},
	}
	simtest.ParseCases(t, ParseEvent, tests)
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "blind_transfer", Query: "call_id=1", Want: `unknown phone event "blind_transfer" from a Grandstream phone`, Unknown: true},
		{Event: "incoming", Query: "remote=42", Want: "the Grandstream phone sent no call id", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	seen := map[string]bool{}
	simtest.PerEventSettings(t, EventFormat(), "grandstream", 7, func(s phone.EventSetting) bool {
		distinct := !seen[s.Name]
		seen[s.Name] = true
		return strings.HasPrefix(s.Name, "P83") && distinct
	})
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, simtest.Parsed,
		[2]string{"incoming", "call_id=1a2b&remote=42&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F"},
		[2]string{"hold", "call_id=%%%&remote=<sip:1@x>"})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "incoming", "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office"+
		"&remote=4930123456&display_remote=Peter+M%C3%BCller")
}
