package snom

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// eventRig is a simulated Snom phone whose action URLs point at a server
// that parses them with ParseEvent, as dialbridge does, driven through the
// real Driver.
type eventRig struct {
	ev  *EventSim
	drv *Driver
	mu  sync.Mutex
	got []phone.Event
}

func newEventRig(t *testing.T, o EventSimOptions) *eventRig {
	t.Helper()
	r := &eventRig{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		event := strings.TrimPrefix(req.URL.Path, "/phone/T/snom/")
		ev, err := ParseEvent(event, req.URL.RawQuery)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.got = append(r.got, ev)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r.ev = NewEventSim(o)
	t.Cleanup(r.ev.Close)
	settings := map[string]string{}
	for _, s := range EventFormat().Settings {
		settings[s.Name] = s.URL(srv.URL + "/phone/T/snom")
	}
	r.ev.SetActionURLs(settings)
	sim := bench.Sim(t, SimOptions{Events: r.ev})
	r.drv = bench.Driver(t, sim.URL(), 5*time.Second)
	return r
}

// wait waits until the server has seen the events kinds (space-separated)
// and returns them.
func (r *eventRig) wait(t *testing.T, kinds string) []phone.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		var seen []string
		for _, ev := range r.got {
			seen = append(seen, ev.Kind.String())
		}
		got := append([]phone.Event(nil), r.got...)
		r.mu.Unlock()
		if strings.Join(seen, " ") == kinds {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %v, want %s", seen, kinds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestEventSimWaitsForThePerson: an incoming call rings until the driver
// answers it, stays connected through hold and resume until the driver
// hangs up; the phone reports each step in its own format.
func TestEventSimWaitsForThePerson(t *testing.T) {
	r := newEventRig(t, EventSimOptions{Local: "101@pbx.example", LocalName: "Desk", RingTimeout: time.Hour})
	ctx := context.Background()
	r.ev.Ring("+4930123456", "Bob&admin=1#x/../?")
	r.wait(t, "incoming")
	time.Sleep(100 * time.Millisecond)
	r.wait(t, "incoming") // still ringing: nobody answered
	steps := []struct {
		do   func() error
		want string
	}{
		{func() error { return r.drv.Answer(ctx, "") }, "incoming connected"},
		{func() error { return r.drv.Hold(ctx, "") }, "incoming connected hold"},
		{func() error { return r.drv.Resume(ctx, "") }, "incoming connected hold unhold"},
		{func() error { return r.drv.Hangup(ctx, "") }, "incoming connected hold unhold disconnected"},
	}
	var got []phone.Event
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatal(err)
		}
		got = r.wait(t, st.want)
	}
	first := got[0]
	if first.Remote != "+4930123456" || first.RemoteAlias != "Bob&admin=1#x/../?" || first.Local != "101@pbx.example" ||
		first.LocalAlias != "Desk" || first.CSTAID != "-1" || first.CallID == "" {
		t.Errorf("first event %+v", first)
	}
	for _, ev := range got[1:] {
		if ev.CallID != first.CallID {
			t.Errorf("%s has call id %q, want %q", ev.Kind, ev.CallID, first.CallID)
		}
	}
	// The phone counts a request once it has read the answer.
	for deadline := time.Now().Add(5 * time.Second); len(r.ev.Fired()) < 5 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(r.ev.Fired()); n != 5 {
		t.Errorf("fired %d URLs, want 5", n)
	}
}

func TestEventSimEndsCalls(t *testing.T) {
	tests := []struct {
		name string
		ring time.Duration
		play func(ctx context.Context, t *testing.T, r *eventRig) error
		want string
	}{
		{"nobody answers: missed after the ring time-out", 50 * time.Millisecond, func(ctx context.Context, t *testing.T, r *eventRig) error {
			r.ev.Ring("42", "")
			return nil
		}, "incoming missed disconnected"},
		{"rejected while ringing", time.Hour, func(ctx context.Context, t *testing.T, r *eventRig) error {
			r.ev.Ring("42", "")
			r.wait(t, "incoming")
			return r.drv.Hangup(ctx, "")
		}, "incoming disconnected"},
		{"dialed: the far end picks up, then hung up", time.Hour, func(ctx context.Context, t *testing.T, r *eventRig) error {
			if err := r.drv.Dial(ctx, phone.DialOptions{Number: "0301234"}); err != nil {
				return err
			}
			r.wait(t, "outgoing connected")
			return r.drv.Hangup(ctx, "")
		}, "outgoing connected disconnected"},
		{"transferred", time.Hour, func(ctx context.Context, t *testing.T, r *eventRig) error {
			r.ev.Ring("42", "")
			r.wait(t, "incoming")
			if err := r.drv.Answer(ctx, ""); err != nil {
				return err
			}
			r.wait(t, "incoming connected")
			return r.drv.Transfer(ctx, "", "205")
		}, "incoming connected disconnected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newEventRig(t, EventSimOptions{RingTimeout: tt.ring, Pause: 10 * time.Millisecond})
			if err := tt.play(context.Background(), t, r); err != nil {
				t.Fatal(err)
			}
			r.wait(t, tt.want)
		})
	}
}

func TestEventSimReportsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	}))
	defer srv.Close()
	errs := make(chan error, 1)
	sim := NewEventSim(EventSimOptions{OnError: func(err error) { errs <- err }})
	defer sim.Close()
	sim.SetActionURLs(map[string]string{"action_incoming_url": srv.URL + "/x?remote=$remote"})
	sim.Ring("42", "")
	select {
	case err := <-errs:
		if !strings.Contains(err.Error(), "action_incoming_url was refused with HTTP 404") {
			t.Errorf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the refusal was not reported")
	}
}
