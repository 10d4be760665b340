package simtest

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
)

// Parser is a brand's event parser (phone.EventFormat.Parse).
type Parser func(event, rawQuery string) (phone.Event, error)

// EventCase is one request from the phone and the event it must give.
type EventCase struct {
	Name, Event, Query string
	Want               phone.Event
}

// ParseCases checks that parse turns every case's request into its event.
func ParseCases(t *testing.T, parse Parser, cases []EventCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			got, err := parse(tt.Event, tt.Query)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.Want {
				t.Errorf("got  %+v\nwant %+v", got, tt.Want)
			}
		})
	}
}

// callEvents are the seven call events of the per-event phones, by the
// path segment dialbridge puts in their settings, written out here rather
// than read from package phone so that a renamed kind shows.
var callEvents = map[string]phone.EventKind{
	"incoming": phone.EventIncoming, "outgoing": phone.EventOutgoing, "connected": phone.EventConnected,
	"disconnected": phone.EventDisconnected, "missed": phone.EventMissed, "hold": phone.EventHold, "unhold": phone.EventUnhold,
}

// onlyCallID checks the request a per-event phone sends most: a call
// event whose URL carries nothing but the call id (the phone left its
// other variables out or empty). Format f must have a setting for each of
// the seven call events, and each must give an event of its kind, in f's
// format, with callID and nothing else.
func onlyCallID(t *testing.T, f phone.EventFormat, callID string) {
	t.Helper()
	seen := 0
	for _, s := range f.Settings {
		kind, ok := callEvents[s.Event]
		if !ok {
			continue
		}
		seen++
		got, err := f.Parse(s.Event, "call_id="+url.QueryEscape(callID))
		want := phone.Event{Kind: kind, Format: f.Name, CallID: callID}
		if err != nil || got != want {
			t.Errorf("%s with only a call id: got %+v, %v\nwant %+v", s.Event, got, err, want)
		}
	}
	if seen != len(callEvents) {
		t.Errorf("format %q has settings for %d of the %d call events", f.Name, seen, len(callEvents))
	}
}

// EventError is a request the parser must refuse, with the words its
// error must contain and whether it is an unknown event (answered 404).
type EventError struct {
	Event, Query, Want string
	Unknown            bool
}

// ParseErrors checks that parse refuses every case as it should.
func ParseErrors(t *testing.T, parse Parser, cases []EventError) {
	t.Helper()
	for _, tt := range cases {
		_, err := parse(tt.Event, tt.Query)
		if err == nil || !strings.Contains(err.Error(), tt.Want) || errors.Is(err, phone.ErrUnknownEvent) != tt.Unknown {
			t.Errorf("parse(%q, %q) = %v, want %q (unknown %v)", tt.Event, tt.Query, err, tt.Want, tt.Unknown)
		}
	}
}

// CheckParsed fails t when a parser accepted an event that the tracker
// could not use: one without a kind, or without a call id (the firewall
// test aside), or with a SIP address for a number.
func CheckParsed(t *testing.T, ev phone.Event) {
	t.Helper()
	if ev.Kind == phone.EventUnknown || (!ev.Kind.CallLess() && ev.CallID == "") {
		t.Fatalf("accepted an event without kind or call id: %+v", ev)
	}
	if strings.Contains(ev.Remote, "@") {
		t.Fatalf("remote party %q is still a SIP address, not a number", ev.Remote)
	}
}

// FuzzParse feeds parse what the fuzzer makes of the seeds, each an event
// and a query, and hands every event parse accepts to check (CheckParsed
// for the per-event phones): a parser must never panic, and what it
// accepts the tracker must be able to use.
func FuzzParse(f *testing.F, parse Parser, check func(t *testing.T, event string, ev phone.Event), seeds ...[2]string) {
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, event, query string) {
		ev, err := parse(event, query)
		if err != nil {
			return
		}
		check(t, event, ev)
	})
}

// Parsed is CheckParsed as FuzzParse's check.
func Parsed(t *testing.T, _ string, ev phone.Event) { CheckParsed(t, ev) }

// BenchParse measures parse on one request the phone sends.
func BenchParse(b *testing.B, parse Parser, event, query string) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(event, query); err != nil {
			b.Fatal(err)
		}
	}
}

// FormatSettings checks the basics of a brand's event format: its name,
// how many settings it has, and that every setting passes isOwn (the
// brand's naming of its settings) and its own event parses with query.
func FormatSettings(t *testing.T, f phone.EventFormat, name string, count int, query string, isOwn func(s phone.EventSetting) bool) {
	t.Helper()
	if f.Name != name || len(f.Settings) != count {
		t.Fatalf("format %q with %d settings, want %q with %d", f.Name, len(f.Settings), name, count)
	}
	for _, s := range f.Settings {
		if !isOwn(s) {
			t.Errorf("setting %q is not a %s action URL setting", s.Name, name)
		}
		if _, err := f.Parse(s.Event, query); err != nil {
			t.Errorf("setting %s: its own event %q does not parse: %v", s.Name, s.Event, err)
		}
	}
}

// PerEventSettings is FormatSettings for a phone that calls one action URL
// per event (Snom, Yealink, Grandstream): besides the basics, each of the
// seven call events must read the call id alone, as the phone sends it
// when its other variables are empty.
func PerEventSettings(t *testing.T, f phone.EventFormat, name string, count int, isOwn func(s phone.EventSetting) bool) {
	t.Helper()
	FormatSettings(t, f, name, count, "call_id=1", isOwn)
	onlyCallID(t, f, "1")
}
