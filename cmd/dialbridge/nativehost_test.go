package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/nativemsg"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

func TestIsNativeHostKnowsHowBrowsersStartIt(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"native-host"}, true},
		{[]string{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/"}, true},
		{[]string{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "--parent-window=1234"}, true},
		{[]string{"/home/ann/.mozilla/native-messaging-hosts/org.dialbridge.host.json", nativehost.FirefoxAddonID}, true},
		{[]string{"/tmp/x.json", "someone-else@example.org"}, false},
		{[]string{"serve"}, false},
		{[]string{"tel:+4930123"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := isNativeHost(tt.args); got != tt.want {
			t.Errorf("isNativeHost(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// residentRig is the resident's control API as the host reaches it: the
// real listener, dial service and German dialing rules in front of a
// simulated Snom phone, with the control file where reach looks for it.
// No one is at the screen, so a page that is not allowed is refused.
type residentRig struct {
	sim brandsim.Dialer
}

// recentCalls is the journal the rig's resident answers with.
var recentCalls = []control.CallEntry{{GUID: "g1", CallID: "c1", Direction: "outbound", Remote: "+49301234567",
	Created: time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC), Outcome: "answered", DurationSeconds: 61}}

func newResidentRig(t *testing.T) *residentRig {
	t.Helper()
	sim, settings, err := brandsim.StartDialer("snom", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	settings.Timeout = 5 * time.Second
	drv, err := brands.Open(settings)
	if err != nil {
		t.Fatal(err)
	}
	rules := config.Dialing{Country: "DE", AreaCode: "30"}.Rules()
	ds := &actionurl.DialService{
		Phone:   func() phone.Driver { return drv },
		Prepare: actionurl.PrepareWith(func() dialplan.Rules { return rules }),
	}
	token := control.NewToken()
	ctl := actionurl.NewControl(token, map[string]http.Handler{
		control.RouteDial: actionurl.DialHandler(ds),
		control.RouteState: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			actionurl.WriteJSON(w, http.StatusOK, control.State{Phone: "snom", Paired: true, Country: "DE"})
		}),
		control.RouteJournal: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("limit") != fmt.Sprint(recentLimit) {
				http.Error(w, "limit", http.StatusBadRequest)
				return
			}
			actionurl.WriteJSON(w, http.StatusOK, control.CallList{Calls: recentCalls})
		}),
	})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	policy, err := actionurl.NewPolicy(port, nil, []string{"https://crm.example"}, actionurl.ConfirmUntrusted, "", "")
	if err != nil {
		t.Fatal(err)
	}
	l := actionurl.NewListener(actionurl.ListenerOptions{Policy: policy, Switches: actionurl.Switches{Enabled: true, MakeCall: true}, Dial: ds, Control: ctl})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = l.Serve(ctx, []net.Listener{ln}); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DIALBRIDGE_CONFIG", cfg)
	data, _ := json.Marshal(control.File{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: token, PID: os.Getpid()})
	if err := os.WriteFile(control.FilePath(cfg), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &residentRig{sim: sim}
}

func frames(msgs ...string) *bytes.Reader {
	var b []byte
	for _, m := range msgs {
		b = binary.NativeEndian.AppendUint32(b, uint32(len(m)))
		b = append(b, m...)
	}
	return bytes.NewReader(b)
}

// The host forwards each message to the resident; a page's number is
// judged with the page's origin, never as typed, so the blocked numbers
// and the listener's policy decide exactly as for the page's own request.
func TestNativeHostForwardsToTheResident(t *testing.T) {
	rig := newResidentRig(t)
	tests := []struct {
		name, msg string
		want      string // fields of the answer, as JSON
	}{
		{"a number from an allowed page dials",
			`{"id":1,"type":"dial","number":"+49 (0)30 1234-567","origin":"https://crm.example"}`,
			`{"id":1,"ok":true,"dialed":"0301234567"}`},
		{"a premium number from an allowed page is refused",
			`{"id":2,"type":"dial","number":"0900 1234567","origin":"https://crm.example"}`,
			`{"id":2,"ok":false,"status":403}`},
		{"another page needs the person, and no one is at the screen",
			`{"id":3,"type":"dial","number":"030 7654321","origin":"https://shop.example"}`,
			`{"id":3,"ok":false,"status":403}`},
		{"a page cannot make its number typed",
			`{"id":4,"type":"dial","number":"0900 1234567","origin":"https://crm.example","typed":true}`,
			`{"id":4,"ok":false,"status":403}`},
		{"the popup's number is a local program's, blocked numbers still apply",
			`{"id":5,"type":"dial","number":"0900 1234567"}`,
			`{"id":5,"ok":false,"status":403}`},
		{"the state", `{"id":"s","type":"state"}`,
			`{"id":"s","ok":true,"state":{"phone":"snom","paired":true,"country":"DE"}}`},
		{"the recent calls", `{"id":6,"type":"recent"}`,
			`{"id":6,"ok":true,"calls":[{"guid":"g1","call_id":"c1","direction":"outbound","remote":"+49301234567","created":"2026-05-04T09:30:00Z","outcome":"answered","duration_seconds":61}]}`},
		{"an unknown request", `{"id":7,"type":"hangup"}`, `{"id":7,"ok":false}`},
		{"a message that is not JSON", `dial 0301234`, `{"ok":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(rig.sim.Dialed())
			var out bytes.Buffer
			if err := serveNativeHost(context.Background(), frames(tt.msg), &out, reachResident); err != nil {
				t.Fatal(err)
			}
			msg, err := nativemsg.Read(&out)
			if err != nil {
				t.Fatal(err)
			}
			var got, want map[string]any
			_ = json.Unmarshal(msg, &got)
			_ = json.Unmarshal([]byte(tt.want), &want)
			for k, v := range want {
				if fmt.Sprint(got[k]) != fmt.Sprint(v) {
					t.Errorf("%s = %v, want %v (answer %s)", k, got[k], v, msg)
				}
			}
			if got["ok"] == false && got["error"] == "" {
				t.Errorf("a failed answer without a sentence: %s", msg)
			}
			dialed := len(rig.sim.Dialed()) - before
			if wantDial := strings.Contains(tt.want, `"dialed"`); (dialed == 1) != wantDial || dialed > 1 {
				t.Errorf("the phone dialed %d times", dialed)
			}
		})
	}
}

// Several messages in one session are all answered, each with its id.
func TestNativeHostAnswersEveryMessage(t *testing.T) {
	newResidentRig(t)
	var out bytes.Buffer
	if err := serveNativeHost(context.Background(), frames(`{"id":1,"type":"state"}`, `{"id":2,"type":"recent"}`, `{"id":3,"type":"state"}`), &out, reachResident); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for {
		msg, err := nativemsg.Read(&out)
		if err != nil {
			break
		}
		var r hostReply
		_ = json.Unmarshal(msg, &r)
		if !r.OK {
			t.Errorf("answer %s", msg)
		}
		seen[string(r.ID)] = true
	}
	if len(seen) != 3 {
		t.Errorf("answers for %v, want ids 1, 2 and 3", seen)
	}
}
