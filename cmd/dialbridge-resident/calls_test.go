package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/journal"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

var updateCalls = flag.Bool("update-calls", false, "rewrite testdata/calls/*.golden from what the scenarios produce")

const callsToken = "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7"

// callsClock is the scenarios' clock; it moves only when told.
type callsClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *callsClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *callsClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// callsCRM is a CRM test server on 127.0.0.1 that records every request.
type callsCRM struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	down bool
}

func newCallsCRM(t testing.TB) *callsCRM {
	c := &callsCRM{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.got = append(c.got, r)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *callsCRM) requests() []*http.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// miaTemplate uses every placeholder of Mia CSTA's outgoing action URLs
// (docs/protocols.md).
const miaTemplate = "/call/<$action>?guid=<$call_guid>&dir=<$call_direction>&dirint=<$call_direction_as_int>" +
	"&local=<$local_party>&lalias=<$local_alias>&remote=<$remote_party>&name=<$remote_alias>&hold=<$hold_state>" +
	"&dur=<$call_duration_seconds>&created=<$call_created_time>&connected=<$call_connected_time>&ended=<$call_disconnected_time>"

// scenarioRig is a call service as the resident runs it, with a fake
// clock, repeatable GUIDs and a CRM that records.
type scenarioRig struct {
	start   time.Time // the clock at the recording's start
	s       *callService
	clock   *callsClock
	crm     *callsCRM
	srv     *httptest.Server
	mu      sync.Mutex
	actions []phone.CallEvent
	final   chan outgoing.Delivery
	// steps are the recording's lines as played, each with the number of
	// actions told once it was handled.
	steps []playedStep
}

// playedStep is one line of a recording and how many actions had been
// told when it was handled: the actions since the previous step are the
// ones it produced.
type playedStep struct {
	line    int
	text    string
	actions int
}

func newScenarioRig(t testing.TB, outs func(crm string) []config.Outgoing) *scenarioRig {
	start := time.Date(2019, 3, 25, 10, 34, 22, 0, time.UTC)
	rig := &scenarioRig{
		start: start,
		clock: &callsClock{t: start},
		crm:   newCallsCRM(t),
		final: make(chan outgoing.Delivery, 100000),
	}
	cfg := config.Default()
	cfg.Phone.Identity = "101@pbx.example"
	cfg.Outgoing = outs(rig.crm.URL)
	n := 0
	s, err := openCalls(callOptions{
		journalPath: filepath.Join(t.TempDir(), journal.FileName),
		config:      func() config.Config { return cfg },
		token:       func() string { return callsToken },
		publish: func(ev phone.CallEvent) {
			rig.mu.Lock()
			rig.actions = append(rig.actions, ev)
			rig.mu.Unlock()
		},
		now: rig.clock.now,
		guid: func(at time.Time) string {
			n++
			g, err := phone.GUIDFrom(at, bytes.NewReader(bytes.Repeat([]byte{byte(n)}, 10)))
			if err != nil {
				panic(err)
			}
			return g
		},
		loc:     time.UTC,
		backoff: func(int) time.Duration { return time.Millisecond },
		onFinal: func(d outgoing.Delivery) { rig.final <- d },
	})
	if err != nil {
		t.Fatal(err)
	}
	// The outbox runs; the tracker's ticker does not: the scenario says
	// when time passes ("expire"), so that the result is repeatable.
	s.outbox.Start()
	rig.s = s
	rig.srv = httptest.NewServer(s.events)
	t.Cleanup(func() {
		rig.srv.Close()
		s.close()
	})
	return rig
}

func everyAction(crm string) []config.Outgoing {
	var outs []config.Outgoing
	for _, ev := range config.Events {
		outs = append(outs, config.Outgoing{Event: ev, URL: crm + miaTemplate, Enabled: true})
	}
	return outs
}

// waitDeliveries waits until n deliveries reached their final state.
func (rig *scenarioRig) waitDeliveries(t testing.TB, n int) []outgoing.Delivery {
	t.Helper()
	var out []outgoing.Delivery
	deadline := time.After(60 * time.Second)
	for len(out) < n {
		select {
		case d := <-rig.final:
			out = append(out, d)
		case <-deadline:
			t.Fatalf("only %d of %d deliveries finished", len(out), n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// play runs one recording: lines "+DELAY GET PATH" or "+DELAY expire".
func (rig *scenarioRig) play(t *testing.T, recording string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(recording))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		d, err := time.ParseDuration(strings.TrimPrefix(fields[0], "+"))
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		rig.clock.advance(d)
		switch {
		case len(fields) == 2 && fields[1] == "expire":
			rig.s.expire()
		case len(fields) == 3 && fields[1] == "GET":
			target := strings.Replace(fields[2], "TOKEN", callsToken, 1)
			res, err := http.Get(rig.srv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("line %d: %d %s", line, res.StatusCode, body)
			}
		default:
			t.Fatalf("line %d: cannot read %q", line, text)
		}
		rig.mu.Lock()
		rig.steps = append(rig.steps, playedStep{line: line, text: text, actions: len(rig.actions)})
		rig.mu.Unlock()
	}
}

// TestCallScenarios plays the recorded event sequences of each brand and
// compares the Mia events and the exact URLs the CRM received with the
// golden files.
func TestCallScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "calls", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			recording, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rig := newScenarioRig(t, everyAction)
			rig.play(t, string(recording))
			rig.mu.Lock()
			actions := slices.Clone(rig.actions)
			rig.mu.Unlock()
			ds := rig.waitDeliveries(t, len(actions))

			var b strings.Builder
			b.WriteString("# Mia events, in order, each under the line of the recording that produced it;\n")
			b.WriteString("# times are offsets from the recording's start\n")
			told := 0
			for _, st := range rig.steps {
				fmt.Fprintf(&b, "line %d: %s\n", st.line, st.text)
				for _, a := range actions[told:st.actions] {
					b.WriteString("  " + describeAction(a, rig.start) + "\n")
				}
				told = st.actions
			}
			b.WriteString("\n# URLs fired, in the order of the events\n")
			for _, d := range ds {
				if d.Status != outgoing.StatusDelivered {
					t.Errorf("delivery %d: %s %s", d.ID, d.Status, d.LastError)
				}
				b.WriteString(strings.TrimPrefix(d.URL, rig.crm.URL) + "\n")
			}
			// The CRM got exactly these, each once, each call's in order.
			var got []string
			for _, r := range rig.crm.requests() {
				got = append(got, r.URL.RequestURI())
			}
			var want []string
			for _, d := range ds {
				want = append(want, strings.TrimPrefix(d.URL, rig.crm.URL))
			}
			if !sameMultiset(got, want) {
				t.Errorf("the CRM received\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			checkPerCallOrder(t, got, want)

			golden := filepath.Join("testdata", "calls", name+".golden")
			if *updateCalls {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantGolden, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestCallScenarios -update-calls to create it)", err)
			}
			if b.String() != string(wantGolden) {
				t.Errorf("%s differs:\n--- got\n%s--- want\n%s", golden, b.String(), wantGolden)
			}
		})
	}
}

// describeAction renders a Mia event with the call's state and
// timestamps (offsets from start, "-" for none), so that an event told
// late, early or with the wrong time changes the golden file.
func describeAction(a phone.CallEvent, start time.Time) string {
	c := a.Call
	since := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Sub(start).String()
	}
	out := fmt.Sprintf("%-12s %s  %s %s %q hold=%v outcome=%q", a.Action, c.GUID, c.Direction, c.Remote, c.RemoteAlias, c.OnHold, c.Outcome())
	if c.TransferredTo != "" {
		out += " to=" + c.TransferredTo
	}
	return out + fmt.Sprintf(" at=%s created=%s connected=%s disconnected=%s",
		since(a.At), since(c.Created), since(c.Connected), since(c.Disconnected))
}

func sameMultiset(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// checkPerCallOrder: the requests of one call (same guid) reached the CRM
// in the order of its events.
func checkPerCallOrder(t *testing.T, got, want []string) {
	t.Helper()
	byCall := func(list []string) map[string][]string {
		m := map[string][]string{}
		for _, u := range list {
			q, _ := url.ParseQuery(u[strings.IndexByte(u, '?')+1:])
			m[q.Get("guid")] = append(m[q.Get("guid")], u)
		}
		return m
	}
	g, w := byCall(got), byCall(want)
	for guid, seq := range w {
		if !slices.Equal(g[guid], seq) {
			t.Errorf("call %s reached the CRM as\n%s\nwant\n%s", guid, strings.Join(g[guid], "\n"), strings.Join(seq, "\n"))
		}
	}
}

// TestCallerNameCannotInject: a caller name full of URL syntax arrives at
// the CRM as one parameter value, in the query and in the path alike.
func TestCallerNameCannotInject(t *testing.T) {
	const evil = "Bob&admin=1#x/../?"
	rig := newScenarioRig(t, func(crm string) []config.Outgoing {
		return []config.Outgoing{
			{Event: "inbound", URL: crm + "/popup?name=<$remote_alias>&nr=<$remote_party>", Enabled: true},
			{Event: "inbound", URL: crm + "/people/<$remote_alias>/calls?nr=<$remote_party>", Enabled: true},
		}
	})
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=1&remote=%2B4930123&display_remote="+url.QueryEscape(evil)+"\n"+
		"+0s GET /phone/TOKEN/auerswald?event=incoming&callId=TC@9&number=42&name=Bob%26admin%3D1%23x%2F..%2F%3F\n"+
		// A phone that does not escape its variables: the name is last.
		"+0s GET /phone/TOKEN/yealink/incoming?call_id=2&remote=43&display_remote=Bob&admin=1\n")
	rig.waitDeliveries(t, 6)
	names := map[string]int{}
	for _, r := range rig.crm.requests() {
		q := r.URL.Query()
		want := 1 // nr
		if r.URL.Path == "/popup" {
			want = 2 // name and nr
		}
		if len(q) != want {
			t.Errorf("%s: the name added parameters: %v", r.URL.RequestURI(), q)
		}
		switch {
		case r.URL.Path == "/popup":
			names[q.Get("name")]++
		case strings.HasPrefix(r.URL.Path, "/people/") && strings.HasSuffix(r.URL.Path, "/calls"):
			names[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/people/"), "/calls")]++
		default:
			t.Errorf("the name moved the request to %s", r.URL.Path)
		}
		if r.URL.Fragment != "" {
			t.Errorf("a fragment reached the CRM: %s", r.URL.Fragment)
		}
	}
	if names[evil] != 4 || names["Bob&admin=1"] != 2 {
		t.Errorf("names as the CRM saw them: %v", names)
	}
}

// TestActionURLsSwitchedOff: with listener.enabled = false (Mia 1) the
// calls are still tracked and journaled, but no URL is fired.
func TestActionURLsSwitchedOff(t *testing.T) {
	rig := newScenarioRig(t, everyAction)
	cfg := rig.s.o.config()
	cfg.Listener.Enabled = false
	rig.s.o.config = func() config.Config { return cfg }
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=1&remote=42\n+1s GET /phone/TOKEN/snom/missed?call_id=1\n")
	if err := rig.s.journal.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls, err := rig.s.journal.Calls(context.Background(), journal.Query{})
	if err != nil || len(calls) != 1 || calls[0].Outcome != "missed" || len(calls[0].Deliveries) != 0 {
		t.Errorf("journal: %+v %v", calls, err)
	}
	if n := len(rig.crm.requests()); n != 0 {
		t.Errorf("%d URLs fired while switched off", n)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Time{
		"":                     {},
		"24h":                  now.Add(-24 * time.Hour),
		"90m":                  now.Add(-90 * time.Minute),
		"7d":                   now.AddDate(0, 0, -7),
		"2024-05-01":           time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		"2024-05-01T09:30":     time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC),
		"2024-05-01T09:30:00Z": time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC),
	}
	for in, want := range tests {
		got, err := parseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-5h", "2024-13-01"} {
		if _, err := parseSince(bad, now); err == nil {
			t.Errorf("parseSince(%q) succeeded", bad)
		}
	}
}

// TestPairingURLsPrintsTheLANDialURLAndFingerprint: with the LAN socket
// open to other computers over HTTPS, pairing-urls gives the phone https
// URLs, the dial URL for the other computers and the SHA-256 of the
// certificate it made beside the config (the one the resident serves).
func TestPairingURLsPrintsTheLANDialURLAndFingerprint(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, `
[listener]
port = 61234
lan_address = "192.0.2.5"
allow_ips = ["192.0.2.20"]
username = "crm"
lan_tls = true

[phone]
brand = "yealink"
address = "http://192.0.2.10"
`)
	var out, errOut bytes.Buffer
	if err := runPairingURLs(context.Background(), []string{"--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	fp, ok, err := lancert.Fingerprint(cfgPath)
	if err != nil || !ok {
		t.Fatalf("no certificate beside the config: %v", err)
	}
	text := out.String()
	for _, want := range []string{
		"action_url.incoming_call = https://192.0.2.5:61234/phone/",
		"dial_request_url = https://192.0.2.5:61234/?action=make_call&target=NUMBER\n",
		"lan_tls_sha256 = " + fp + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("pairing-urls printed\n%s\nwant a line with %q", text, want)
		}
	}
}

func TestPairingURLsCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, `
[listener]
port = 61234
phone_events_address = "192.0.2.5"

[phone]
brand = "yealink"
address = "http://192.0.2.10"
`)
	var out, errOut bytes.Buffer
	if err := runPairingURLs(context.Background(), []string{"--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	saved, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	token := saved.Phone.PairingToken
	if len(token) != 32 {
		t.Fatalf("the pairing token %q was not saved", token)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	vars := "?call_id=$call_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote"
	base := "http://192.0.2.5:61234/phone/" + token + "/yealink/"
	want := []string{
		"action_url.incoming_call = " + base + "incoming" + vars,
		"action_url.outgoing_call = " + base + "outgoing" + vars,
		"action_url.call_established = " + base + "connected" + vars,
		"action_url.call_terminated = " + base + "disconnected" + vars,
		"action_url.missed_call = " + base + "missed" + vars,
		"action_url.hold = " + base + "hold" + vars,
		"action_url.unhold = " + base + "unhold" + vars,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// A second run prints the same: the token is kept.
	var again bytes.Buffer
	if err := runPairingURLs(context.Background(), []string{"--config", cfgPath}, &again, io.Discard); err != nil {
		t.Fatal(err)
	}
	if again.String() != out.String() {
		t.Errorf("second run differs:\n%s", again.String())
	}

	// The demo phone is reached on loopback; Snom's hidden firewall-test
	// URL is for automatic pairing only.
	demo := writeConfig(t, t.TempDir(), "[listener]\nport = 40000\n")
	out.Reset()
	if err := runPairingURLs(context.Background(), []string{"--config", demo}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "action_incoming_url = http://127.0.0.1:40000/phone/") || strings.Contains(out.String(), "fwtest") {
		t.Errorf("demo:\n%s", out.String())
	}
	if n := strings.Count(out.String(), "\n"); n != 7 {
		t.Errorf("demo: %d lines", n)
	}
}

func TestJournalCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, "")
	var out bytes.Buffer
	if err := runJournal(context.Background(), []string{"--config", cfgPath}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "No calls recorded yet") {
		t.Errorf("empty journal: %q", out.String())
	}
	j, err := journal.Open(journal.PathFor(cfgPath))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	j.RecordCall(phone.Call{ID: "1", GUID: "g1", Direction: phone.Inbound, Remote: "42", RemoteAlias: "Peter",
		Created: at, Connected: at.Add(3 * time.Second), Disconnected: at.Add(68 * time.Second)}, nil)
	j.RecordCall(phone.Call{ID: "2", GUID: "g2", Direction: phone.Inbound, Remote: "43",
		Created: at.Add(-48 * time.Hour), Disconnected: at.Add(-48*time.Hour + 20*time.Second)}, nil)
	j.AddDeliveries([]outgoing.Delivery{
		{ID: 1, CallGUID: "g1", Action: phone.ActionInbound, URL: "https://crm.example/in?nr=42", Mode: outgoing.ModeBackground,
			Status: outgoing.StatusDelivered, HTTPStatus: 200, Attempts: 1, Created: at},
		{ID: 2, CallGUID: "g1", Action: phone.ActionDisconnected, URL: "https://crm.example/end?nr=42", Mode: outgoing.ModeBackground,
			Status: outgoing.StatusPending, Attempts: 2, Created: at, NextAttempt: at.Add(2 * time.Hour),
			LastError: "crm.example:443 cannot be reached: connection refused"},
	}, nil)
	if err := j.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runJournal(context.Background(), []string{"--config", cfgPath, "--since", "24h"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		at.Local().Format("2006-01-02 15:04:05") + "  inbound   answered      42 (Peter)  1:05",
		"    inbound      delivered (HTTP 200) https://crm.example/in?nr=42",
		"    disconnected pending            https://crm.example/end?nr=42  attempt 3, next at ",
		"crm.example:443 cannot be reached: connection refused",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("journal output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "missed") {
		t.Errorf("--since 24h showed an older call:\n%s", text)
	}
	out.Reset()
	if err := runJournal(context.Background(), []string{"--config", cfgPath, "--since", "10m"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "No calls since "+time.Now().Add(-10*time.Minute).Format("2006-01-02")) || !strings.HasSuffix(got, " (--since 10m).\n") {
		t.Errorf("nothing in the last 10 minutes: %q, want the time searched", got)
	}
	out.Reset()
	if err := runJournal(context.Background(), []string{"--config", cfgPath, "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var list control.CallList
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list.Calls) != 2 || list.Calls[1].Outcome != "missed" {
		t.Errorf("--json: %v %+v", err, list)
	}
	j.Close()
	if err := runJournal(context.Background(), []string{"--config", cfgPath, "--since", "soon"}, io.Discard, io.Discard); err == nil {
		t.Error("a bad --since was accepted")
	}
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
func startCallsResident(t *testing.T, body string) (*resident, *control.Client, int) {
	t.Helper()
	r, port, _ := startResidentWith(t, body, nil)
	return r, control.NewClient(r.ctlFile, nil), port
}

// startResidentWith runs a resident in this process on a free port with
// the given config body (the port is added); adjust, when not nil, changes
// it before it serves. It returns the port and the config file's path.
func startResidentWith(t testing.TB, body string, adjust func(*resident)) (*resident, int, string) {
	t.Helper()
	port := freePort(t)
	cfgPath := writeConfig(t, t.TempDir(), fmt.Sprintf("[listener]\nport = %d\n%s", port, body))
	r, err := startResident(residentOptions{configPath: cfgPath, log: newLogger(io.Discard)})
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
		_ = r.serve(ctx)
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
	crm := newCallsCRM(t)
	r, c, port := startCallsResident(t, demoWithInboundURL(crm.URL))
	ctx := context.Background()
	token := r.config().Phone.PairingToken
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
	deadline := time.Now().Add(60 * time.Second)
	var list control.CallList
	for {
		if err := c.Do(ctx, "GET", "/api/v1/journal?since=1h&limit=10", nil, &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Calls) == 2 && list.Calls[0].Outcome == "missed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo call did not end up in the journal: %+v", list)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := list.Calls[0]; got.Remote != "0301234567" || got.RemoteAlias != "Demo" || len(got.Deliveries) != 1 {
		t.Errorf("demo call: %+v", got)
	}
	var ds control.DeliveryList
	for {
		if err := c.Do(ctx, "GET", "/api/v1/deliveries?status=delivered", nil, &ds); err != nil {
			t.Fatal(err)
		}
		if len(ds.Deliveries) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(ds.Deliveries) != 2 || ds.Deliveries[0].URL != crm.URL+"/in?nr=0301234567" {
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
	deadline := time.Now().Add(20 * time.Second)
	for {
		active, err := c.Calls(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range active {
			if shows(call) {
				return call
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no call in progress showed what was expected: %+v", active)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDemoPhoneReportsDialedCalls: what the demo phone is told to dial it
// reports as a real phone does (outgoing, connected when the far end picks
// up, hung up), so the journal and the outbound URLs fill without hardware.
func TestDemoPhoneReportsDialedCalls(t *testing.T) {
	crm := newCallsCRM(t)
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
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list control.CallList
		if err := c.Do(ctx, "GET", "/api/v1/journal?since=1h", nil, &list); err != nil {
			t.Fatal(err)
		}
		var ds control.DeliveryList
		if err := c.Do(ctx, "GET", "/api/v1/deliveries?status=delivered", nil, &ds); err != nil {
			t.Fatal(err)
		}
		if len(list.Calls) == 1 && list.Calls[0].Outcome == "answered" && len(ds.Deliveries) == 1 &&
			ds.Deliveries[0].URL == crm.URL+"/out?nr="+reply.Dialed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dialed call did not reach the journal and the CRM: %+v %+v", list.Calls, ds.Deliveries)
		}
		time.Sleep(100 * time.Millisecond)
	}
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
	token := r.config().Phone.PairingToken
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
	if calls := r.calls.tracker.Active(); len(calls) != 1 || calls[0].Remote != "42" {
		t.Errorf("active calls: %+v", calls)
	}
}

// TestDurabilityAcrossSIGKILL is the outbox's promise end to end: the CRM
// is down, the resident is killed with SIGKILL, started again, the CRM
// comes back, and every pending delivery arrives exactly once.
func TestDurabilityAcrossSIGKILL(t *testing.T) {
	dir := t.TempDir()
	port, crmPort := freePort(t), freePort(t) // nothing listens on crmPort yet
	cfgPath := writeConfig(t, dir, fmt.Sprintf(`
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
`, port, callsToken, crmPort, crmPort, crmPort))

	p := startServe(t, cfgPath)
	base := fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/", port, callsToken)
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
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p)
	return float64(s[i]) / float64(time.Millisecond)
}
