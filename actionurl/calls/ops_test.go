package calls

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// openSim takes what starts a simulated phone (brands.StartDemo,
// brands.Simulate), stops the phone after the test and returns it with a
// driver paired with it.
func openSim(t *testing.T) func(phone.Simulator, brands.Settings, error) (phone.Simulator, phone.Driver) {
	return func(sim phone.Simulator, settings brands.Settings, err error) (phone.Simulator, phone.Driver) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sim.Close() })
		drv, err := brands.Open(settings)
		if err != nil {
			t.Fatal(err)
		}
		return sim, drv
	}
}

// opsRig is a scenario rig whose call operations reach the demo phone,
// with the control API's call routes served by the HTTP adapter.
func opsRig(t *testing.T) (*scenarioRig, *httptest.Server) {
	rig := newScenarioRig(t, everyAction)
	_, drv := openSim(t)(brands.StartDemo(nil))
	rig.s.o.Driver = func() phone.Driver { return drv }
	rig.s.o.Read = config.Default().Dialing.Rules().Read
	h := HTTP{S: rig.s}
	mux := http.NewServeMux()
	mux.HandleFunc(control.RouteCall, h.Call)
	mux.HandleFunc(control.RouteJournal, h.Journal)
	mux.HandleFunc(control.RouteDemoIncoming, h.DemoIncoming)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return rig, srv
}

// post sends body to path and returns the status and the reply's error.
func post(t *testing.T, method, url string, body any) (int, string) {
	t.Helper()
	var in bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&in).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var reply control.Reply
	_ = json.NewDecoder(res.Body).Decode(&reply)
	return res.StatusCode, reply.Error
}

// TestEveryEntryGetsTheSameAnswer: each call operation gives the same
// answer in-process (the tray) and through the control API (the windows,
// the command line), and the API's status follows the refusal's kind.
func TestEveryEntryGetsTheSameAnswer(t *testing.T) {
	rig, srv := opsRig(t)
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=c1&csta_id=-7&remote=42\n+1s GET /phone/TOKEN/snom/connected?call_id=c1&csta_id=-7&remote=42\n")
	active := rig.s.Active()
	if len(active) != 1 || active[0].Remote != "42" || active[0].Connected == nil {
		t.Fatalf("active calls: %+v", active)
	}
	guid := active[0].GUID
	tests := []struct {
		name, id, op string
		cmd          control.CallCommand
		kind         Kind // 0: done
		status       int
	}{
		{"hold by the journal's id", guid, "hold", control.CallCommand{}, 0, http.StatusOK},
		{"resume by the phone's id", "c1", "resume", control.CallCommand{}, 0, http.StatusOK},
		{"tones", guid, "dtmf", control.CallCommand{Digits: "12#"}, 0, http.StatusOK},
		{"tones that are not tones", guid, "dtmf", control.CallCommand{Digits: "12; rm"}, Invalid, http.StatusBadRequest},
		{"completing a transfer with one call", guid, "transfer", control.CallCommand{Target: " "}, Conflict, http.StatusConflict},
		{"a consultation of nobody", guid, "consult", control.CallCommand{Target: " "}, Invalid, http.StatusBadRequest},
		{"a transfer to words", guid, "transfer", control.CallCommand{Target: "call me"}, Invalid, http.StatusBadRequest},
		{"a call that is not there", "nope", "answer", control.CallCommand{}, NotFound, http.StatusNotFound},
		{"an operation that is not there", guid, "explode", control.CallCommand{}, NotFound, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rig.s.Control(context.Background(), tt.id, tt.op, tt.cmd)
			var e *Error
			switch {
			case tt.kind == 0 && err != nil:
				t.Fatalf("in-process: %v", err)
			case tt.kind != 0 && (!errors.As(err, &e) || e.Kind != tt.kind):
				t.Fatalf("in-process: %v, want a refusal of kind %d", err, tt.kind)
			}
			var body any
			if tt.cmd != (control.CallCommand{}) {
				body = tt.cmd
			}
			status, msg := post(t, "POST", fmt.Sprintf("%s/api/v1/call/%s/%s", srv.URL, tt.id, tt.op), body)
			want := ""
			if err != nil {
				want = err.Error()
			}
			if status != tt.status || msg != want {
				t.Errorf("control API: %d %q, want %d %q", status, msg, tt.status, want)
			}
		})
	}

	// The journal's and the demo's refusals take the same two ways.
	_, err := rig.s.Journal(context.Background(), control.JournalQuery{Since: "whenever"})
	if status, msg := post(t, "GET", srv.URL+"/api/v1/journal?since=whenever", nil); err == nil || status != http.StatusBadRequest || msg != err.Error() {
		t.Errorf("a bad since: in-process %v, control API %d %q", err, status, msg)
	}
	err = rig.s.DemoIncoming(context.Background(), control.DemoCall{})
	if status, msg := post(t, "POST", srv.URL+"/api/v1/demo/incoming", control.DemoCall{}); err == nil || status != http.StatusConflict || msg != err.Error() {
		t.Errorf("a demo call without the demo phone: in-process %v, control API %d %q", err, status, msg)
	}
	err = rig.s.DemoIncoming(context.Background(), control.DemoCall{Number: "hello"})
	if status, msg := post(t, "POST", srv.URL+"/api/v1/demo/incoming", control.DemoCall{Number: "hello"}); err == nil || status != http.StatusBadRequest || msg != err.Error() || !strings.Contains(msg, "hello") {
		t.Errorf("a demo call from no number: in-process %v, control API %d %q", err, status, msg)
	}
}

// TestTargetIsTheCallAPersonMeans: without a call named, answer takes the
// newest ringing incoming call, hold and resume the newest connected one,
// hang up the newest of any.
func TestTargetIsTheCallAPersonMeans(t *testing.T) {
	now := time.Now()
	ringingIn := control.CallEntry{GUID: "ring-in", Direction: "inbound"}
	ringingOut := control.CallEntry{GUID: "ring-out", Direction: "outbound"}
	connected := control.CallEntry{GUID: "talk", Direction: "outbound", Connected: &now}
	held := control.CallEntry{GUID: "held", Direction: "inbound", Connected: &now, OnHold: true}
	tests := []struct {
		op     string
		active []control.CallEntry
		want   string // "" for none
	}{
		{"answer", []control.CallEntry{ringingIn, connected}, "ring-in"},
		{"answer", []control.CallEntry{ringingOut, connected}, ""},
		{"hold", []control.CallEntry{connected, ringingIn}, "talk"},
		{"resume", []control.CallEntry{ringingIn}, ""},
		{"hangup", []control.CallEntry{connected, ringingOut}, "ring-out"},
		{"hangup", nil, ""},
		{"resume", []control.CallEntry{held, connected}, "held"},
		{"transfer", []control.CallEntry{connected, held}, "talk"},
		{"dtmf", []control.CallEntry{held}, ""},
		{"clear", []control.CallEntry{connected, ringingOut}, "ring-out"},
	}
	for _, tt := range tests {
		got, ok := Target(tt.op, tt.active)
		if ok != (tt.want != "") || got.GUID != tt.want {
			t.Errorf("Target(%s, %d calls) = %q, %v; want %q", tt.op, len(tt.active), got.GUID, ok, tt.want)
		}
	}
}

// TestDialSaysInTheLogWhetherThePersonTypedTheNumber: the tray's
// clipboard item and the hotkey pass text another program holds
// (Typed false); the log must not call it typed by the person.
func TestDialSaysInTheLogWhetherThePersonTypedTheNumber(t *testing.T) {
	rules := config.Default().Dialing.Rules()
	for _, tc := range []struct {
		typed bool
		want  string
	}{
		{true, `trust="typed by the person"`},
		{false, `trust="local application"`},
	} {
		rig, _ := opsRig(t)
		var log bytes.Buffer
		rig.s.o.Dialer = &actionurl.DialService{
			Phone:   rig.s.o.Driver,
			Prepare: actionurl.PrepareWith(func() dialplan.Rules { return rules }),
			Log:     slog.New(slog.NewTextHandler(&log, nil)),
		}
		if _, err := rig.s.Dial(context.Background(), control.DialCommand{Number: "030 1234567", Typed: tc.typed, Source: "hotkey: selection"}); err != nil {
			t.Fatalf("typed %v: %v", tc.typed, err)
		}
		if got := log.String(); !strings.Contains(got, tc.want) {
			t.Errorf("typed %v: the log says %q; want %s", tc.typed, got, tc.want)
		}
	}
}
