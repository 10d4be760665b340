package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
)

// These tests run the call service wired into a resident: the control
// API's call routes, the demo phone, the LAN socket and a restart. The
// service itself is tested in actionurl/calls.

// pairingToken is the pairing token of the configs that name one.
const pairingToken = "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7"

// newCRM is a CRM test server on 127.0.0.1 that answers every request.
func newCRM(t testing.TB) *httptest.Server {
	crm := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(crm.Close)
	return crm
}

// demoWithInboundURL is the config body of a demo phone whose inbound
// calls are reported to crmURL + "/in?nr=NUMBER".
func demoWithInboundURL(crmURL string) string {
	return fmt.Sprintf(`
[phone]
brand = "demo"

[[outgoing]]
event = "inbound"
url = "%s/in?nr=<$remote_party>"
enabled = true
`, crmURL)
}

// startCallsResident runs a resident in this process on a free port with
// the given config body (the port is added).
func startCallsResident(t *testing.T, body string) (*resident.App, *control.Client, int) {
	t.Helper()
	r, port, _ := startResidentWith(t, body, nil)
	return r, control.NewClient(r.ControlFile(), nil), port
}

// startResidentWith runs a resident in this process on a free port with
// the given config body (the port is added); adjust, when not nil, changes
// it before it serves. It returns the port and the config file's path.
func startResidentWith(t testing.TB, body string, adjust func(*resident.App)) (*resident.App, int, string) {
	t.Helper()
	port := configtest.FreePort(t)
	cfgPath := configtest.Write(t, t.TempDir(), fmt.Sprintf("[listener]\nport = %d\n%s", port, body))
	r, err := resident.Start(residentOptions(resident.Options{ConfigPath: cfgPath, Log: commands.NewLogger(io.Discard)}))
	if err != nil {
		t.Fatal(err)
	}
	if adjust != nil {
		adjust(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Serve(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return r, port, cfgPath
}

// TestControlAPICalls drives the call endpoints the tray and the windows
// use: a demo call, the active calls, call control through the driver,
// the journal and the deliveries.
func TestControlAPICalls(t *testing.T) {
	crm := newCRM(t)
	r, c, port := startCallsResident(t, demoWithInboundURL(crm.URL))
	ctx := context.Background()
	token := r.Config().Phone.PairingToken
	base := fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/", port, token)
	for _, ev := range []string{"incoming", "connected"} {
		if status, body := get(t, base+ev+"?call_id=c1&csta_id=-7&remote=42&display_remote=Peter"); status != 200 {
			t.Fatalf("%s: %d %s", ev, status, body)
		}
	}
	var active control.CallList
	if err := c.Do(ctx, "GET", "/api/v1/calls", nil, &active); err != nil {
		t.Fatal(err)
	}
	if len(active.Calls) != 1 || active.Calls[0].Remote != "42" || active.Calls[0].Connected == nil || active.Calls[0].Outcome != "active" {
		t.Fatalf("active calls: %+v", active)
	}
	guid := active.Calls[0].GUID
	if err := c.Do(ctx, "POST", "/api/v1/call/"+guid+"/hold", nil, nil); err != nil {
		t.Errorf("hold: %v", err)
	}
	if err := c.Do(ctx, "POST", "/api/v1/call/c1/dtmf", control.CallCommand{Digits: "12#"}, nil); err != nil {
		t.Errorf("dtmf: %v", err)
	}
	err := c.Do(ctx, "POST", "/api/v1/call/"+guid+"/dtmf", control.CallCommand{Digits: "12; rm"}, nil)
	var de *control.DialError
	if !asDialError(err, &de) || de.Status != 400 {
		t.Errorf("bad dtmf: %v", err)
	}
	if err := c.Do(ctx, "POST", "/api/v1/call/nope/answer", nil, nil); !asDialError(err, &de) || de.Status != 404 {
		t.Errorf("unknown call: %v", err)
	}
	if err := c.Do(ctx, "POST", "/api/v1/call/"+guid+"/explode", nil, nil); !asDialError(err, &de) || de.Status != 404 {
		t.Errorf("unknown operation: %v", err)
	}

	// A simulated call through the demo phone rings until it is rejected
	// (Hang up on a ringing call, as the tray and the command line do);
	// never connected, it is missed.
	if err := c.Do(ctx, "POST", "/api/v1/demo/incoming", control.DemoCall{Number: "0301234567", Name: "Demo"}, nil); err != nil {
		t.Fatal(err)
	}
	ringing := waitActive(t, c, "0301234567", false)
	time.Sleep(200 * time.Millisecond)
	waitActive(t, c, "0301234567", false) // still ringing: it waits for the person
	if err := c.Do(ctx, "POST", "/api/v1/call/"+ringing.GUID+"/hangup", nil, nil); err != nil {
		t.Fatalf("reject: %v", err)
	}
	list := poll(t, 60*time.Second, journalOf(c, "since=1h&limit=10"),
		func(list []control.CallEntry) bool { return len(list) == 2 && list[0].Outcome == "missed" },
		"the demo call did not end up in the journal")
	if got := list[0]; got.Remote != "0301234567" || got.RemoteAlias != "Demo" || len(got.Deliveries) != 1 {
		t.Errorf("demo call: %+v", got)
	}
	ds := poll(t, 60*time.Second, deliveriesOf(c, "status=delivered"),
		func(ds []control.DeliveryEntry) bool { return len(ds) == 2 }, "the two deliveries were not delivered")
	if ds[0].URL != crm.URL+"/in?nr=0301234567" {
		t.Errorf("deliveries: %+v", ds)
	}
	var seen control.PhoneSeen
	if err := c.Do(ctx, "GET", "/api/v1/phone/seen", nil, &seen); err != nil || seen.Format != "snom" || seen.From != "127.0.0.1" {
		t.Errorf("seen: %+v %v", seen, err)
	}
	if err := c.Do(ctx, "GET", "/api/v1/journal?since=whenever", nil, nil); !asDialError(err, &de) || de.Status != 400 {
		t.Errorf("bad since: %v", err)
	}
}

// waitActive waits until the call with remote is in progress, connected
// or not, and returns it.
func waitActive(t *testing.T, c *control.Client, remote string, connected bool) control.CallEntry {
	t.Helper()
	return waitCall(t, c, func(call control.CallEntry) bool {
		return call.Remote == remote && (call.Connected != nil) == connected
	})
}

// waitCall waits until a call in progress satisfies shows and returns it.
func waitCall(t *testing.T, c *control.Client, shows func(control.CallEntry) bool) control.CallEntry {
	t.Helper()
	active := poll(t, 20*time.Second, activeOf(c), func(active []control.CallEntry) bool { return slices.ContainsFunc(active, shows) },
		"no call in progress showed what was expected")
	return active[slices.IndexFunc(active, shows)]
}

// poll asks get every 50 ms until done accepts its answer, and returns
// that answer; after within, the test fails with why and the last answer.
func poll[T any](t *testing.T, within time.Duration, get func() (T, error), done func(T) bool, why string) T {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		v, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if done(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %+v", why, v)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// activeOf is poll's get for the calls in progress.
func activeOf(c *control.Client) func() ([]control.CallEntry, error) {
	return func() ([]control.CallEntry, error) { return c.Calls(context.Background()) }
}

// journalOf is poll's get for the journal as GET /api/v1/journal?query
// answers.
func journalOf(c *control.Client, query string) func() ([]control.CallEntry, error) {
	return func() ([]control.CallEntry, error) {
		var list control.CallList
		err := c.Do(context.Background(), "GET", "/api/v1/journal?"+query, nil, &list)
		return list.Calls, err
	}
}

// deliveriesOf is poll's get for the outgoing action URLs as GET
// /api/v1/deliveries?query answers.
func deliveriesOf(c *control.Client, query string) func() ([]control.DeliveryEntry, error) {
	return func() ([]control.DeliveryEntry, error) {
		var list control.DeliveryList
		err := c.Do(context.Background(), "GET", "/api/v1/deliveries?"+query, nil, &list)
		return list.Deliveries, err
	}
}

// TestDemoPhoneReportsDialedCalls: what the demo phone is told to dial it
// reports as a real phone does (outgoing, connected when the far end picks
// up, hung up), so the journal and the outbound URLs fill without hardware.
func TestDemoPhoneReportsDialedCalls(t *testing.T) {
	crm := newCRM(t)
	_, c, _ := startCallsResident(t, demoWithInboundURL(crm.URL)+`
[[outgoing]]
event = "outbound"
url = "`+crm.URL+`/out?nr=<$remote_party>"
enabled = true
`)
	ctx := context.Background()
	var reply control.Reply
	if err := c.Do(ctx, "POST", "/api/v1/dial", control.DialCommand{Number: "030 1234567", Typed: true}, &reply); err != nil {
		t.Fatal(err)
	}
	call := waitActive(t, c, reply.Dialed, true)
	if call.Direction != "outbound" {
		t.Errorf("the dialed call is %q, want outbound", call.Direction)
	}
	if err := c.Do(ctx, "POST", "/api/v1/call/"+call.GUID+"/hangup", nil, nil); err != nil {
		t.Fatalf("hang up: %v", err)
	}
	type seen struct {
		calls     []control.CallEntry
		delivered []control.DeliveryEntry
	}
	poll(t, 30*time.Second, func() (seen, error) {
		calls, err := journalOf(c, "since=1h")()
		if err != nil {
			return seen{}, err
		}
		ds, err := deliveriesOf(c, "status=delivered")()
		return seen{calls, ds}, err
	}, func(s seen) bool {
		return len(s.calls) == 1 && s.calls[0].Outcome == "answered" && len(s.delivered) == 1 &&
			s.delivered[0].URL == crm.URL+"/out?nr="+reply.Dialed
	}, "the dialed call did not reach the journal and the CRM")
}

func asDialError(err error, target **control.DialError) bool {
	de, ok := err.(*control.DialError)
	if ok {
		*target = de
	}
	return ok
}

// TestPhoneEventsOnTheLANSocket: with phone_events_address (the old name
// of lan_address) set and allow_ips empty, a second socket takes the
// phone's events, refuses dial requests naming allow_ips, and has no
// control API.
func TestPhoneEventsOnTheLANSocket(t *testing.T) {
	if ln, err := net.Listen("tcp4", "127.0.0.2:0"); err != nil {
		t.Skipf("this machine cannot bind 127.0.0.2 (%v)", err)
	} else {
		ln.Close()
	}
	r, _, port := startCallsResident(t, `
phone_events_address = "127.0.0.2"

[phone]
brand = "snom"
address = "http://127.0.0.3"
`)
	token := r.Config().Phone.PairingToken
	phoneClient := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")},
	}).DialContext}}
	lan := fmt.Sprintf("http://127.0.0.2:%d", port)
	tests := []struct {
		path   string
		status int
	}{
		{"/phone/" + token + "/snom/incoming?call_id=L1&remote=42", 200},
		{"/phone/" + strings.Repeat("0", 32) + "/snom/incoming?call_id=L1&remote=42", 404},
		{"/?action=make_call&target=42", 403},
		{"/api/v1/ping", 404},
	}
	for _, tt := range tests {
		res, err := phoneClient.Get(lan + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.path, res.StatusCode, body, tt.status)
		}
	}
	if calls := r.Calls().Active(); len(calls) != 1 || calls[0].Remote != "42" {
		t.Errorf("active calls: %+v", calls)
	}
}

// TestDurabilityAcrossSIGKILL is the outbox's promise end to end: the CRM
// is down, the resident is killed with SIGKILL, started again, the CRM
// comes back, and every pending delivery arrives exactly once.
func TestDurabilityAcrossSIGKILL(t *testing.T) {
	dir := t.TempDir()
	port, crmPort := configtest.FreePort(t), configtest.FreePort(t) // nothing listens on crmPort yet
	cfgPath := configtest.Write(t, dir, fmt.Sprintf(`
[listener]
port = %d

[phone]
brand = "demo"
pairing_token = %q

[[outgoing]]
event = "inbound"
url = "http://127.0.0.1:%d/e/<$action>?guid=<$call_guid>&nr=<$remote_party>"
enabled = true

[[outgoing]]
event = "connected"
url = "http://127.0.0.1:%d/e/<$action>?guid=<$call_guid>&nr=<$remote_party>"
enabled = true

[[outgoing]]
event = "disconnected"
url = "http://127.0.0.1:%d/e/<$action>?guid=<$call_guid>&nr=<$remote_party>&dur=<$call_duration_seconds>"
enabled = true
`, port, pairingToken, crmPort, crmPort, crmPort))

	p := startServe(t, cfgPath)
	base := fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/", port, pairingToken)
	for i := range 3 {
		q := fmt.Sprintf("?call_id=k%d&remote=%d", i, 4200+i)
		for _, ev := range []string{"incoming", "connected", "disconnected"} {
			if status, body := get(t, base+ev+q); status != 200 {
				t.Fatalf("%s: %d %s", ev, status, body)
			}
		}
	}
	// Every 200 above means the event and its URLs were on disk.
	p.kill(t)

	var mu sync.Mutex
	got := map[string]int{}
	crm := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.RequestURI()]++
		mu.Unlock()
	}))
	ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", crmPort))
	if err != nil {
		t.Skipf("the CRM's port was taken meanwhile: %v", err)
	}
	crm.Listener = ln
	crm.Start()
	defer crm.Close()

	p = startServe(t, cfgPath)
	jpath := journal.PathFor(cfgPath)
	deadline := time.Now().Add(90 * time.Second)
	for {
		ds := readDeliveries(t, jpath)
		delivered := 0
		for _, d := range ds {
			if d.Status == "delivered" {
				delivered++
			}
		}
		if len(ds) != 9 {
			t.Fatalf("the journal holds %d deliveries, want 9", len(ds))
		}
		if delivered == 9 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 9 delivered:\n%s", delivered, p.stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.stop(t)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 9 {
		t.Errorf("the CRM got %d distinct requests, want 9: %v", len(got), got)
	}
	for u, n := range got {
		if n != 1 {
			t.Errorf("%s arrived %d times", u, n)
		}
	}
	out, err := exec.Command(binary, "journal", "--config", cfgPath).CombinedOutput()
	if err != nil || strings.Count(string(out), "delivered (HTTP 200)") != 9 {
		t.Errorf("dialbridge journal: %v\n%s", err, out)
	}
}

func readDeliveries(t *testing.T, path string) []control.DeliveryEntry {
	t.Helper()
	j, err := journal.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ds, err := j.Deliveries(context.Background(), journal.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// percentile returns the p-th percentile of ds in milliseconds.
