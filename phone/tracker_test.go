package phone

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateTracker = flag.Bool("update-tracker", false, "rewrite testdata/tracker/*.golden from what the scenarios produce")

// clock is a fake clock the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

var t0 = time.Date(2019, 3, 25, 10, 34, 22, 0, time.UTC)

func newTestTracker(c *clock) *Tracker {
	n := 0
	return NewTracker(TrackerOptions{
		Now:   c.now,
		Grace: time.Second,
		Local: "101@pbx.example",
		GUID: func(time.Time) string {
			n++
			return fmt.Sprintf("guid-%d", n)
		},
	})
}

// step is one thing that happens in a scenario: an event arriving, or time
// passing (wait) followed by an Expire.
type step struct {
	ev   Event
	wait time.Duration
}

func ev(kind EventKind, id string, remote ...string) step {
	e := Event{Kind: kind, CallID: id}
	if len(remote) > 0 {
		e.Remote = remote[0]
	}
	if len(remote) > 1 {
		e.RemoteAlias = remote[1]
	}
	return step{ev: e}
}

func other(s step, id string) step { s.ev.OtherCallID = id; return s }

func wait(d time.Duration) step { return step{wait: d} }

// describe renders an action compactly with the call's timestamps, as
// offsets from the scenario's start: "inbound guid-1 42 Peter at=10ms
// created=10ms". A behaviour that changes only when an action is told, or
// which time it carries, changes this line.
func describe(e CallEvent) string {
	parts := []string{string(e.Action), e.Call.GUID, e.Call.Remote}
	if e.Call.RemoteAlias != "" {
		parts = append(parts, e.Call.RemoteAlias)
	}
	if e.Action == ActionHold {
		parts = append(parts, map[bool]string{true: "on_hold", false: "off_hold"}[e.Call.OnHold])
	}
	if e.Action == ActionDisconnected {
		parts = append(parts, string(e.Call.Outcome()))
		if e.Call.TransferredTo != "" {
			parts = append(parts, "to="+e.Call.TransferredTo)
		}
	}
	if e.Call.Conference != "" {
		parts = append(parts, "conference="+e.Call.Conference)
	}
	parts = append(parts, "at="+since(e.At), "created="+since(e.Call.Created),
		"connected="+since(e.Call.Connected), "disconnected="+since(e.Call.Disconnected))
	return strings.Join(parts, " ")
}

// since is a timestamp as an offset from t0, "-" for none.
func since(at time.Time) string {
	if at.IsZero() {
		return "-"
	}
	return at.Sub(t0).String()
}

// describeStep renders what happened in a scenario: "+10ms connected 1".
func describeStep(s step, at time.Time) string {
	if s.wait > 0 {
		return fmt.Sprintf("%s expire (+%s)", since(at), s.wait)
	}
	e := s.ev
	parts := []string{since(at), e.Kind.String(), e.CallID}
	if e.Remote != "" {
		parts = append(parts, "remote="+e.Remote)
	}
	if e.RemoteAlias != "" {
		parts = append(parts, "alias="+e.RemoteAlias)
	}
	if e.OtherCallID != "" {
		parts = append(parts, "other="+e.OtherCallID)
	}
	return strings.Join(parts, " ")
}

// play runs a scenario and returns its transcript: each step, and under it
// the actions that step produced, so that an action told by the wrong
// event (a hang-up announced a tick late, an off_hold on the late
// connected instead of the resume) shows.
func play(t *testing.T, steps []step) (string, *Tracker) {
	t.Helper()
	c := &clock{t: t0}
	tr := newTestTracker(c)
	var b strings.Builder
	for _, s := range steps {
		var evs []CallEvent
		if s.wait > 0 {
			c.advance(s.wait)
			evs = tr.Expire()
		} else {
			c.advance(10 * time.Millisecond)
			evs = tr.Handle(s.ev)
		}
		b.WriteString(describeStep(s, c.now()) + "\n")
		for _, e := range evs {
			b.WriteString("  " + describe(e) + "\n")
		}
	}
	return b.String(), tr
}

// goldenName turns a scenario's sentence into a file name: its words
// joined by underscores.
func goldenName(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	return strings.Join(words, "_")
}

func TestTrackerScenarios(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name: "inbound answered",
			steps: []step{
				ev(EventIncoming, "1", "42", "Peter"), ev(EventConnected, "1"), ev(EventDisconnected, "1"),
			},
		},
		{
			name:  "inbound missed with explicit missed event",
			steps: []step{ev(EventIncoming, "1", "42"), ev(EventMissed, "1"), ev(EventDisconnected, "1")},
		},
		{
			name:  "inbound missed, only disconnected: announced after the grace",
			steps: []step{ev(EventIncoming, "1", "42"), ev(EventDisconnected, "1"), wait(500 * time.Millisecond), wait(600 * time.Millisecond)},
		},
		{
			name:  "disconnected overtook connected: answered after all",
			steps: []step{ev(EventIncoming, "1", "42"), ev(EventDisconnected, "1"), ev(EventConnected, "1"), wait(2 * time.Second)},
		},
		{
			name:  "outbound not answered",
			steps: []step{ev(EventOutgoing, "7", "0301234"), ev(EventDisconnected, "7"), wait(2 * time.Second)},
		},
		{
			name: "hold and unhold, repeated",
			steps: []step{
				ev(EventOutgoing, "7", "0301234"), ev(EventConnected, "7"), ev(EventHold, "7"), ev(EventHold, "7"),
				ev(EventUnhold, "7"), ev(EventUnhold, "7"), ev(EventDisconnected, "7"),
			},
		},
		{
			name: "Auerswald resume is connected again",
			steps: []step{
				ev(EventIncoming, "TC@1", "42"), ev(EventConnected, "TC@1"), ev(EventHold, "TC@1"), ev(EventConnected, "TC@1"),
				ev(EventConnected, "TC@1"), ev(EventDisconnected, "TC@1"),
			},
		},
		{
			name:  "every event twice",
			steps: []step{ev(EventIncoming, "1", "42"), ev(EventIncoming, "1", "42"), ev(EventConnected, "1"), ev(EventConnected, "1"), ev(EventDisconnected, "1"), ev(EventDisconnected, "1")},
		},
		{
			name:  "connected before incoming is held back until the start",
			steps: []step{ev(EventConnected, "1"), ev(EventIncoming, "1", "42"), ev(EventDisconnected, "1")},
		},
		{
			name:  "start never arrives: taken as inbound after the grace",
			steps: []step{ev(EventConnected, "1", "42"), wait(1100 * time.Millisecond), ev(EventDisconnected, "1")},
		},
		{
			name:  "hold before connected implies the connection; the late connected is absorbed",
			steps: []step{ev(EventIncoming, "1", "42"), ev(EventHold, "1"), ev(EventConnected, "1"), ev(EventUnhold, "1"), ev(EventDisconnected, "1")},
		},
		{
			// A tick of the tracker's clock comes between the end and the
			// late events: the ended call must still be remembered then.
			name: "late events of an ended call are dropped",
			steps: []step{
				ev(EventIncoming, "1", "42"), ev(EventConnected, "1"), ev(EventDisconnected, "1"), wait(500 * time.Millisecond),
				ev(EventHold, "1"), ev(EventIncoming, "1", "42"), ev(EventConnected, "1"), ev(EventDisconnected, "1"),
			},
		},
		{
			name: "a reused call id long after the end is a new call",
			steps: []step{
				ev(EventIncoming, "TC@1", "42"), ev(EventMissed, "TC@1"), wait(5 * time.Second),
				ev(EventIncoming, "TC@1", "43"), ev(EventMissed, "TC@1"),
			},
		},
		{
			name: "two parallel calls",
			steps: []step{
				ev(EventIncoming, "1", "42"), ev(EventConnected, "1"), ev(EventIncoming, "2", "43"), ev(EventHold, "1"),
				ev(EventConnected, "2"), ev(EventDisconnected, "2"), ev(EventUnhold, "1"), ev(EventDisconnected, "1"),
			},
		},
		{
			name: "attended transfer (Auerswald)",
			steps: []step{
				ev(EventIncoming, "TC@1", "42"), ev(EventConnected, "TC@1"), ev(EventHold, "TC@1"),
				ev(EventOutgoing, "TC@2", "45"), ev(EventConnected, "TC@2"),
				other(ev(EventTransferInitiated, "TC@1"), "TC@2"),
				other(ev(EventTransferDone, "TC@1"), "TC@2"),
				ev(EventDisconnected, "TC@1"), ev(EventDisconnected, "TC@2"),
			},
		},
		{
			name: "blind transfer away and a transferred far end",
			steps: []step{
				ev(EventIncoming, "TC@1", "42", "Peter"), ev(EventConnected, "TC@1"),
				ev(EventTransferred, "TC@1", "44", "Paula"),
				ev(EventTransferDone, "TC@1", "46"), ev(EventDisconnected, "TC@1"),
			},
		},
		{
			name: "conference of two calls, then both hang up",
			steps: []step{
				ev(EventIncoming, "TC@1", "42"), ev(EventConnected, "TC@1"), ev(EventOutgoing, "TC@2", "43"), ev(EventConnected, "TC@2"),
				other(ev(EventConferenced, "TC@1"), "TC@2"), other(ev(EventUnconferenced, "TC@1"), "TC@2"),
				ev(EventDisconnected, "TC@1"), ev(EventDisconnected, "TC@2"),
			},
		},
		{
			name: "a call whose conference partner hangs up is no longer in a conference",
			steps: []step{
				ev(EventIncoming, "TC@1", "42"), ev(EventConnected, "TC@1"), ev(EventOutgoing, "TC@2", "43"), ev(EventConnected, "TC@2"),
				other(ev(EventConferenced, "TC@1"), "TC@2"), ev(EventHold, "TC@2"),
				ev(EventDisconnected, "TC@1"), ev(EventUnhold, "TC@2"), ev(EventDisconnected, "TC@2"),
			},
		},
		{
			name:  "remote update fills in the name",
			steps: []step{ev(EventOutgoing, "TC@2", "43"), ev(EventUpdate, "TC@2", "43", "Franz"), ev(EventConnected, "TC@2"), ev(EventDisconnected, "TC@2")},
		},
		{
			name:  "events without a call id and test events are ignored",
			steps: []step{ev(EventIncoming, ""), {ev: Event{Kind: EventTest}}, ev(EventUnknown, "1")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, tr := play(t, tt.steps)
			golden := filepath.Join("testdata", "tracker", goldenName(tt.name)+".golden")
			if *updateTracker {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -run TestTrackerScenarios -update-tracker writes it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs:\n--- got\n%s--- want\n%s", golden, got, want)
			}
			lines := strings.Split(strings.TrimSpace(got), "\n")
			if last := lines[len(lines)-1]; strings.HasPrefix(last, "  disconnected") {
				if a := tr.Active(); len(a) != 0 {
					t.Errorf("calls still active after the scenario: %+v", a)
				}
			}
		})
	}
}

func TestTrackerCallRecord(t *testing.T) {
	c := &clock{t: t0}
	tr := newTestTracker(c)
	tr.Handle(Event{Kind: EventIncoming, CallID: "1", Remote: "42", RemoteAlias: "Peter", CSTAID: "-3"})
	c.advance(5 * time.Second)
	tr.Handle(Event{Kind: EventConnected, CallID: "1"})
	c.advance(12 * time.Second)
	if got, ok := tr.Lookup("guid-1"); !ok || got.ID != "1" || got.CSTAID != "-3" {
		t.Errorf("Lookup by GUID = %+v, %v", got, ok)
	}
	if got := tr.Active(); len(got) != 1 || got[0].Duration(c.now()) != 12*time.Second {
		t.Errorf("Active = %+v", got)
	}
	evs := tr.Handle(Event{Kind: EventDisconnected, CallID: "1"})
	if len(evs) != 1 {
		t.Fatalf("got %d actions, want 1", len(evs))
	}
	got := evs[0].Call
	want := Call{
		ID: "1", CSTAID: "-3", GUID: "guid-1", Direction: Inbound, Local: "101@pbx.example",
		Remote: "42", RemoteAlias: "Peter",
		Created: t0, Connected: t0.Add(5 * time.Second), Disconnected: t0.Add(17 * time.Second),
	}
	if got != want {
		t.Errorf("call:\n got %+v\nwant %+v", got, want)
	}
	if evs[0].At != want.Disconnected || got.Outcome() != OutcomeAnswered || got.Duration(time.Time{}) != 12*time.Second {
		t.Errorf("at %v, outcome %q, duration %v", evs[0].At, got.Outcome(), got.Duration(time.Time{}))
	}
	if _, ok := tr.Lookup("1"); ok {
		t.Error("an ended call is still found")
	}
}

func TestTrackerRestoreContinuesACall(t *testing.T) {
	c := &clock{t: t0}
	tr := newTestTracker(c)
	tr.Restore([]Call{{ID: "1", GUID: "from-journal", Remote: "42", Created: t0.Add(-time.Minute), Connected: t0.Add(-50 * time.Second)}})
	evs := tr.Handle(Event{Kind: EventDisconnected, CallID: "1"})
	if len(evs) != 1 || describe(evs[0]) != "disconnected from-journal 42 answered at=0s created=-1m0s connected=-50s disconnected=0s" {
		t.Errorf("got %v", evs)
	}
}

func TestTrackerStaleCallEnds(t *testing.T) {
	c := &clock{t: t0}
	tr := NewTracker(TrackerOptions{Now: c.now, Stale: time.Hour})
	tr.Handle(Event{Kind: EventIncoming, CallID: "1"})
	tr.Handle(Event{Kind: EventConnected, CallID: "1"})
	c.advance(30 * time.Minute)
	if evs := tr.Expire(); len(evs) != 0 {
		t.Fatalf("ended too early: %v", evs)
	}
	c.advance(31 * time.Minute)
	evs := tr.Expire()
	if len(evs) != 1 || evs[0].Action != ActionDisconnected || !evs[0].Call.Disconnected.Equal(t0) {
		t.Errorf("got %+v", evs)
	}
}

// FuzzTracker feeds arbitrary event sequences and checks the promises the
// tracker makes whatever the phone sends: one start per call, connected at
// most once and before the end, the end exactly once and last.
func FuzzTracker(f *testing.F) {
	f.Add([]byte{1, 0, 4, 0, 5, 0, 6, 0, 7, 0})
	f.Add([]byte{4, 1, 1, 1, 7, 1, 4, 1, 8, 1})
	f.Add([]byte{2, 0, 2, 1, 4, 0, 4, 1, 13, 0, 7, 1, 255, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &clock{t: t0}
		tr := NewTracker(TrackerOptions{Now: c.now, Grace: time.Second})
		type seen struct {
			started, connected, ended bool
		}
		calls := map[string]*seen{}
		check := func(evs []CallEvent) {
			for _, e := range evs {
				s := calls[e.Call.GUID]
				if s == nil {
					s = &seen{}
					calls[e.Call.GUID] = s
				}
				if s.ended {
					t.Fatalf("%s after the end of %s", e.Action, e.Call.GUID)
				}
				switch e.Action {
				case ActionInbound, ActionOutbound:
					if s.started {
						t.Fatalf("second start of %s", e.Call.GUID)
					}
					s.started = true
				case ActionConnected:
					if s.connected {
						t.Fatalf("second connected of %s", e.Call.GUID)
					}
					s.connected = true
				case ActionDisconnected:
					s.ended = true
					if e.Call.Disconnected.Before(e.Call.Created) {
						t.Fatalf("ended before it began: %+v", e.Call)
					}
				}
				if !s.started {
					t.Fatalf("%s before the start of %s", e.Action, e.Call.GUID)
				}
			}
		}
		for i := 0; i+1 < len(data); i += 2 {
			if data[i] == 255 {
				c.advance(time.Duration(data[i+1]) * 100 * time.Millisecond)
				check(tr.Expire())
				continue
			}
			e := Event{Kind: EventKind(data[i] % 16), CallID: fmt.Sprint(data[i+1] % 3), OtherCallID: fmt.Sprint((data[i+1] + 1) % 3)}
			c.advance(time.Millisecond)
			check(tr.Handle(e))
		}
		c.advance(time.Hour)
		check(tr.Expire())
		c.advance(24 * time.Hour)
		check(tr.Expire())
		for guid, s := range calls {
			if !s.ended {
				t.Fatalf("call %s never ended", guid)
			}
		}
	})
}
