package yealink

import (
	"errors"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name, event, query string
		want               phone.Event
	}{
		{
			name:  "incoming call",
			event: "incoming",
			query: "call_id=25&local=101%40pbx.example&display_local=Reception&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller",
			want: phone.Event{
				Kind: phone.EventIncoming, Format: "yealink", CallID: "25",
				Local: "101@pbx.example", LocalAlias: "Reception", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{
			name:  "call established",
			event: "connected",
			query: "call_id=25&local=101@pbx.example&display_local=&remote=0301234&display_remote=",
			want:  phone.Event{Kind: phone.EventConnected, Format: "yealink", CallID: "25", Local: "101@pbx.example", Remote: "0301234"},
		},
		{name: "call terminated", event: "disconnected", query: "call_id=25", want: phone.Event{Kind: phone.EventDisconnected, Format: "yealink", CallID: "25"}},
		{name: "missed call", event: "missed", query: "call_id=25", want: phone.Event{Kind: phone.EventMissed, Format: "yealink", CallID: "25"}},
		{name: "outgoing call", event: "outgoing", query: "call_id=26&remote=42", want: phone.Event{Kind: phone.EventOutgoing, Format: "yealink", CallID: "26", Remote: "42"}},
		{name: "hold", event: "hold", query: "call_id=26", want: phone.Event{Kind: phone.EventHold, Format: "yealink", CallID: "26"}},
		{name: "unhold", event: "unhold", query: "call_id=26", want: phone.Event{Kind: phone.EventUnhold, Format: "yealink", CallID: "26"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEvent(tt.event, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []struct {
		event, query, want string
		unknown            bool
	}{
		{"test", "call_id=1", `unknown phone event "test" from a Yealink phone`, true},
		{"incoming", "call_id=$call_id&remote=42", "the Yealink phone sent no call id", false},
	}
	for _, tt := range tests {
		_, err := ParseEvent(tt.event, tt.query)
		if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, phone.ErrUnknownEvent) != tt.unknown {
			t.Errorf("ParseEvent(%q, %q) = %v, want %q (unknown %v)", tt.event, tt.query, err, tt.want, tt.unknown)
		}
	}
}

func TestEventFormatSettings(t *testing.T) {
	f := EventFormat()
	if f.Name != "yealink" || len(f.Settings) != 7 {
		t.Fatalf("format %q with %d settings", f.Name, len(f.Settings))
	}
	for _, s := range f.Settings {
		if !strings.HasPrefix(s.Name, "action_url.") {
			t.Errorf("setting %q is not a Yealink action_url setting", s.Name)
		}
		if _, err := f.Parse(s.Event, "call_id=1"); err != nil {
			t.Errorf("setting %s: its own event %q does not parse: %v", s.Name, s.Event, err)
		}
		if !strings.Contains(s.Query, "call_id=$call_id") || !strings.HasSuffix(s.Query, "display_remote=$display_remote") {
			t.Errorf("setting %s carries %q", s.Name, s.Query)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add("incoming", "call_id=25&local=101%40pbx&remote=42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F")
	f.Add("connected", "call_id=&call_id=2&display_remote=%")
	f.Fuzz(func(t *testing.T, event, query string) {
		ev, err := ParseEvent(event, query)
		if err != nil {
			return
		}
		if ev.Kind == phone.EventUnknown || ev.CallID == "" {
			t.Fatalf("accepted an event without kind or call id: %+v", ev)
		}
		if strings.Contains(ev.Remote, "@") {
			t.Fatalf("remote party %q is still a SIP address, not a number", ev.Remote)
		}
	})
}

func BenchmarkParseEvent(b *testing.B) {
	q := "call_id=25&local=101%40pbx.example&display_local=Reception&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEvent("incoming", q); err != nil {
			b.Fatal(err)
		}
	}
}
