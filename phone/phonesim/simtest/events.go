package simtest

import (
	"errors"
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
	if ev.Kind == phone.EventUnknown || (ev.Kind != phone.EventTest && ev.CallID == "") {
		t.Fatalf("accepted an event without kind or call id: %+v", ev)
	}
	if strings.Contains(ev.Remote, "@") {
		t.Fatalf("remote party %q is still a SIP address, not a number", ev.Remote)
	}
}
