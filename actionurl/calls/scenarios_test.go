package calls

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/internal/fakeclock"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/golden"
)

var updateCalls = flag.Bool("update-calls", false, "rewrite testdata/calls/*.golden from what the scenarios produce")

const callsToken = "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7"

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
	s       *Service
	clock   *fakeclock.Clock
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
		clock: fakeclock.New(start),
		crm:   newCallsCRM(t),
		final: make(chan outgoing.Delivery, 100000),
	}
	cfg := config.Default()
	cfg.Phone.Identity = "101@pbx.example"
	cfg.Outgoing = outs(rig.crm.URL)
	n := 0
	s, err := Open(Options{
		JournalPath: filepath.Join(t.TempDir(), journal.FileName),
		Config:      func() config.Config { return cfg },
		Token:       func() string { return callsToken },
		Publish: func(ev phone.CallEvent) {
			rig.mu.Lock()
			rig.actions = append(rig.actions, ev)
			rig.mu.Unlock()
		},
		Now: rig.clock.Now,
		GUID: func(at time.Time) string {
			n++
			g, err := phone.GUIDFrom(at, bytes.NewReader(bytes.Repeat([]byte{byte(n)}, 10)))
			if err != nil {
				panic(err)
			}
			return g
		},
		Loc:     time.UTC,
		Backoff: func(int) time.Duration { return time.Millisecond },
		OnFinal: func(d outgoing.Delivery) { rig.final <- d },
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
		s.Close()
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
		rig.clock.Advance(d)
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

			golden.Check(t, filepath.Join("testdata", "calls", name+".golden"), b.String(), *updateCalls, "-run TestCallScenarios -update-calls")
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
	cfg := rig.s.o.Config()
	cfg.Listener.Enabled = false
	rig.s.o.Config = func() config.Config { return cfg }
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
		got, err := ParseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-5h", "2024-13-01"} {
		if _, err := ParseSince(bad, now); err == nil {
			t.Errorf("ParseSince(%q) succeeded", bad)
		}
	}
}

func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p)
	return float64(s[i]) / float64(time.Millisecond)
}
