package snom

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
)

// TestEventSimSpeaksItsOwnFormat plays calls on the simulated phone into a
// server that parses them with ParseEvent, as dialbridge does.
func TestEventSimSpeaksItsOwnFormat(t *testing.T) {
	var mu sync.Mutex
	var got []phone.Event
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event := strings.TrimPrefix(r.URL.Path, "/phone/T/snom/")
		ev, err := ParseEvent(event, r.URL.RawQuery)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}))
	defer srv.Close()
	sim := NewEventSim(EventSimOptions{Local: "101@pbx.example", LocalName: "Desk"})
	settings := map[string]string{}
	for _, s := range EventFormat().Settings {
		settings[s.Name] = s.URL(srv.URL + "/phone/T/snom")
	}
	sim.SetActionURLs(settings)
	sim.SetActionURLs(map[string]string{"action_hold_url": ""}) // cleared: not sent
	ctx := context.Background()
	if err := sim.SimulateIncoming(ctx, "+4930123456", "Bob&admin=1#x/../?", true); err != nil {
		t.Fatal(err)
	}
	if err := sim.SimulateIncoming(ctx, "42", "", false); err != nil {
		t.Fatal(err)
	}
	if err := sim.SimulateOutgoing(ctx, "0301234", "", false); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range got {
		kinds = append(kinds, ev.Kind.String())
	}
	want := "incoming connected unhold disconnected incoming missed disconnected outgoing disconnected"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("events %v, want %s", kinds, want)
	}
	first := got[0]
	if first.Remote != "+4930123456" || first.RemoteAlias != "Bob&admin=1#x/../?" || first.Local != "101@pbx.example" ||
		first.LocalAlias != "Desk" || first.CSTAID != "-1" || first.CallID == "" {
		t.Errorf("first event %+v", first)
	}
	if got[3].CallID != first.CallID || got[4].CallID == first.CallID {
		t.Errorf("call ids: %q %q %q", first.CallID, got[3].CallID, got[4].CallID)
	}
	if n := len(sim.Fired()); n != 9 {
		t.Errorf("fired %d URLs", n)
	}
}

func TestEventSimReportsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	}))
	defer srv.Close()
	sim := NewEventSim(EventSimOptions{})
	sim.SetActionURLs(map[string]string{"action_incoming_url": srv.URL + "/x?remote=$remote"})
	err := sim.SimulateIncoming(context.Background(), "42", "", true)
	if err == nil || !strings.Contains(err.Error(), "action_incoming_url was refused with HTTP 404") {
		t.Errorf("got %v", err)
	}
}
