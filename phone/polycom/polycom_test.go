package polycom

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

// bench pairs a simulated Polycom phone and the driver with one REST API login.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthDigest, Username: "Polycom", Password: "789"}, StartSim, New)

func jsonPost(path, body string) simtest.Want {
	return simtest.Want{Method: http.MethodPost, Path: path, Header: map[string]string{"Content-Type": "application/json"}, Body: body}
}

func TestOperations(t *testing.T) {
	const first = "0x2b4ee550"
	tests := []struct {
		name  string
		setup func(s *Sim)
		run   func(ctx context.Context, d *Driver) error
		want  simtest.Want
		check func(t *testing.T, s *Sim)
	}{
		{"dial", nil,
			func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "+4930123"}) },
			jsonPost("/api/v1/callctrl/dial", `{"data":{"Dest":"+4930123","Line":"1","Type":"TEL"}}`),
			wantCalls(SimCall{Handle: first, Remote: "+4930123", Line: "1", State: Connected})},
		{"dial on line 2", nil,
			func(ctx context.Context, d *Driver) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "2"})
			},
			jsonPost("/api/v1/callctrl/dial", `{"data":{"Dest":"200","Line":"2","Type":"TEL"}}`),
			wantCalls(SimCall{Handle: first, Remote: "200", Line: "2", State: Connected})},
		{"answer by handle", func(s *Sim) { s.Ring("200") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, first) },
			jsonPost("/api/v1/callctrl/answerCall", `{"data":{"Ref":"0x2b4ee550"}}`),
			wantCalls(SimCall{Handle: first, Remote: "200", Line: "1", State: Connected})},
		{"answer the current call", func(s *Sim) { s.Ring("200") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			jsonPost("/api/v1/callctrl/answerCall", `{"data":{"Ref":"0x2b4ee550"}}`),
			func(t *testing.T, s *Sim) {
				reqs := s.Requests()
				if len(reqs) != 2 || reqs[0].Method != http.MethodGet || reqs[0].Path != callStatusPath {
					t.Errorf("requests = %+v, want callStatus then answerCall", reqs)
				}
				wantCalls(SimCall{Handle: first, Remote: "200", Line: "1", State: Connected})(t, s)
			}},
		{"hang up", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, first) },
			jsonPost("/api/v1/callctrl/endCall", `{"data":{"Ref":"0x2b4ee550"}}`), wantCalls()},
		{"hold", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.Hold(ctx, first) },
			jsonPost("/api/v1/callctrl/holdCall", `{"data":{"Ref":"0x2b4ee550"}}`),
			wantCalls(SimCall{Handle: first, Remote: "200", Line: "1", State: Held})},
		{"resume", func(s *Sim) { h := s.Connect("200"); s.mu.Lock(); s.calls.Get(h).State = Held; s.mu.Unlock() },
			func(ctx context.Context, d *Driver) error { return d.Resume(ctx, first) },
			jsonPost("/api/v1/callctrl/resumeCall", `{"data":{"Ref":"0x2b4ee550"}}`),
			wantCalls(SimCall{Handle: first, Remote: "200", Line: "1", State: Connected})},
		{"transfer", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.Transfer(ctx, first, "300") },
			jsonPost("/api/v1/callctrl/transferCall", `{"data":{"Ref":"0x2b4ee550","TransferDest":"300"}}`),
			func(t *testing.T, s *Sim) {
				wantCalls()(t, s)
				if got := s.Transferred(); !reflect.DeepEqual(got, []string{"300"}) {
					t.Errorf("transferred = %q", got)
				}
			}},
		{"DTMF", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, first, "12*#") },
			jsonPost("/api/v1/callctrl/sendDTMF", `{"data":{"Digits":"12*#"}}`),
			func(t *testing.T, s *Sim) {
				if got := s.DTMF(); got != "12*#" {
					t.Errorf("DTMF = %q", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bench.Sim(t, SimOptions{Lines: 2})
			if tt.setup != nil {
				tt.setup(s)
			}
			if err := tt.run(context.Background(), bench.Driver(t, s.URL(), 10*time.Second)); err != nil {
				t.Fatalf("err = %v", err)
			}
			simtest.Request(t, simtest.Last(t, s), tt.want)
			tt.check(t, s)
		})
	}
}

// wantCalls checks the simulator's calls after an operation.
func wantCalls(want ...SimCall) func(t *testing.T, s *Sim) { return simtest.WantCalls[*Sim](want...) }

func TestErrors(t *testing.T) {
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong password (401)", Password: "other",
			Kind: phone.ErrAuth, Words: []string{"(HTTP 401)"}},
		{Name: "REST API off (404)", Sim: SimOptions{RestDisabled: true}, Kind: phone.ErrRefused, Words: []string{"(HTTP 404)", "apps.restapi.enabled = 1"}},
		{Name: "forbidden (403)", Handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"), Kind: phone.ErrRefused, Words: []string{"(HTTP 403)"}},
		{Name: "call does not exist (4007)", Run: func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "0x00000001") },
			Kind: phone.ErrNoSuchCall, Words: []string{"That call no longer exists on the phone", "4007 (Call does not exist)"}},
		{Name: "no current call", Run: func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "") },
			Kind: phone.ErrNoSuchCall, Words: []string{"no call right now"}},
		{Name: "nothing to resume", Run: func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "") },
			Kind: phone.ErrNoSuchCall},
		{Name: "no such line (4005)", Run: func(ctx context.Context, d *Driver) error {
			return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "7"})
		}, Kind: phone.ErrRefused, Words: []string{"no such line"}},
		{Name: "default password (4010)", Handler: simtest.Status(http.StatusForbidden, "application/json", `{"Status":"4010"}`),
			Kind: phone.ErrRefused, Words: []string{"default admin password"}},
		{Name: "failed (5000)", Handler: simtest.Status(http.StatusInternalServerError, "application/json", `{"Status":5000}`),
			Kind: phone.ErrProtocol, Words: []string{"5000 (Failed to process request)"}},
		{Name: "500 without JSON", Handler: simtest.Status(http.StatusInternalServerError, "text/html", "<h1>oops</h1>"),
			Kind: phone.ErrProtocol, Words: []string{"(HTTP 500)"}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}}, Timeout: 50 * time.Millisecond, Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
	}
	bench.Faults(t, tests)
}

// TestSimIsStrict sends what a careless driver would and expects the
// phone's refusals.
func TestSimIsStrict(t *testing.T) {
	s := bench.Sim(t, SimOptions{})
	c := bench.Login.Client(t, Brand, s.URL(), 10*time.Second)
	ctx := context.Background()
	tests := []struct {
		name, path, ctype, body string
		get                     bool
		wantStatus              int
		wantCode                string
	}{
		{name: "form body", path: "/api/v1/callctrl/dial", ctype: "application/x-www-form-urlencoded", body: "Dest=200", wantStatus: 400, wantCode: "4000"},
		{name: "no data wrapper", path: "/api/v1/callctrl/dial", ctype: "application/json", body: `{"Dest":"200"}`, wantStatus: 400, wantCode: "4000"},
		{name: "missing Ref", path: "/api/v1/callctrl/endCall", ctype: "application/json", body: `{"data":{}}`, wantStatus: 400, wantCode: "4000"},
		{name: "GET on callctrl", path: "/api/v1/callctrl/dial", get: true, wantStatus: 405},
		{name: "unknown endpoint", path: "/api/v1/callctrl/explode", ctype: "application/json", body: `{"data":{}}`, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res *phonehttp.Response
			var err error
			if tt.get {
				res, err = c.Get(ctx, "probe", tt.path, nil)
			} else {
				res, err = c.Post(ctx, "probe", tt.path, nil, tt.ctype, []byte(tt.body))
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.wantStatus {
				t.Errorf("status %d, want %d", res.Status, tt.wantStatus)
			}
			if tt.wantCode != "" {
				if code, _ := ParseStatus(res.Body); code != tt.wantCode {
					t.Errorf("Status %q, want %q", code, tt.wantCode)
				}
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		body, want string
		wantErr    bool
	}{
		{`{"Status":"2000"}`, "2000", false},
		{`{"Status":4007}`, "4007", false},
		{`{"data":{},"Status":"2000"}`, "2000", false},
		{`{"Status":"ok"}`, "", true},
		{`{"Status":20000}`, "", true},
		{`{"status":"2000"}`, "2000", false}, // encoding/json matches keys case-insensitively
		{`{}`, "", true},
		{`<html/>`, "", true},
	}
	for _, tt := range tests {
		got, err := ParseStatus([]byte(tt.body))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseStatus(%s) = %q, %v; want %q, error %v", tt.body, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseCallStatus(t *testing.T) {
	tests := []struct {
		body    string
		want    []Call
		wantErr bool
	}{
		{`{"data":{"CallHandle":"2b4ee540","CallState":"Connected"},"Status":"2000"}`, []Call{{"0x2b4ee540", "Connected"}}, false},
		{`{"data":[{"CallHandle":"0x1","State":"Ringing"},{"CallHandle":"0x2"}],"Status":"2000"}`, []Call{{"0x1", "Ringing"}, {"0x2", ""}}, false},
		{`{"data":{},"Status":"2000"}`, nil, false},
		{`{"Status":"2000"}`, nil, false},
		{`{"data":[{"CallState":"Connected"}]}`, []Call{}, false},
		{`{"data":"x"}`, nil, true},
		{`nope`, nil, true},
	}
	for _, tt := range tests {
		got, err := ParseCallStatus([]byte(tt.body))
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseCallStatus(%s) = %+v, %v; want %+v, error %v", tt.body, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(`{"Status":"2000"}`))
	f.Add([]byte(`{"Status":4007}`))
	f.Add([]byte(`{"data":{"CallHandle":"2b4ee540"},"Status":"2000"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		code, err := ParseStatus(body)
		if err == nil && (len(code) != 4 || strings.Trim(code, "0123456789") != "") {
			t.Fatalf("code %q", code)
		}
	})
}

func FuzzParseCallStatus(f *testing.F) {
	f.Add([]byte(`{"data":{"CallHandle":"2b4ee540","CallState":"Connected"},"Status":"2000"}`))
	f.Add([]byte(`{"data":[{"CallHandle":"0x1","State":"Ringing"}],"Status":"2000"}`))
	f.Add([]byte(`{"data":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		calls, err := ParseCallStatus(body)
		if err != nil {
			return
		}
		for _, c := range calls {
			if c.Handle == "" || len(c.Handle) > 34 {
				t.Fatalf("handle %q", c.Handle)
			}
		}
	})
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(simtest.RingOrConnect))
}
