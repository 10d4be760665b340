package sip

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// TestWatchReportsTheCallsOnTheLine subscribes to a phone that challenges,
// and follows a call on its line: ringing, answered by NOTIFY talk, held
// and resumed (+sip.rendering), hung up.
// Ending the watch ends the subscription (Expires: 0).
func TestWatchReportsTheCallsOnTheLine(t *testing.T) {
	s := startSim(t, SimOptions{Username: user, Password: pass})
	d := open(t, phone.Settings{Brand: Brand, Address: s.URL(), Password: pass})
	events := make(chan phone.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Watch(ctx, func(ev phone.Event) { events <- ev }) }()
	waitFor(t, s, "SUBSCRIBE")
	next := func(want phone.EventKind) phone.Event {
		t.Helper()
		select {
		case ev := <-events:
			if ev.Kind != want {
				t.Fatalf("event %v, want %v", ev.Kind, want)
			}
			return ev
		case <-time.After(5 * time.Second):
			t.Fatalf("no %v event", want)
			return phone.Event{}
		}
	}
	s.Ring()
	in := next(phone.EventIncoming)
	if in.Remote != "200" || in.RemoteAlias != "Simulated caller" || in.CallID == "" || in.Format != Brand {
		t.Errorf("incoming event %+v", in)
	}
	if err := d.Answer(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if ev := next(phone.EventConnected); ev.CallID != in.CallID {
		t.Errorf("connected call %q, want %q", ev.CallID, in.CallID)
	}
	if err := d.Hold(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	next(phone.EventHold)
	if err := d.Resume(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	next(phone.EventUnhold)
	s.HangUp()
	next(phone.EventDisconnected)
	s.Ring()
	s.HangUp()
	next(phone.EventIncoming)
	next(phone.EventMissed)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not return after cancel")
	}
	var last string
	for _, r := range method(s.Requests(), "SUBSCRIBE") {
		last = r.Header.Get("Expires")
	}
	if last != "0" {
		t.Errorf("the last SUBSCRIBE had Expires %q, want 0", last)
	}
}

func TestWatchSaysWhenThePhoneOffersNoDialogState(t *testing.T) {
	s := startSim(t, SimOptions{NoEvents: true})
	d := open(t, phone.Settings{Brand: Brand, Address: s.URL()})
	err := d.Watch(context.Background(), func(phone.Event) {})
	if phone.KindOf(err) != phone.ErrRefused || !strings.Contains(err.Error(), "SIP 489 Bad Event; the phone does not offer its dialog state") {
		t.Errorf("err = %v", err)
	}
}
