package grandstream

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
			query: "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office&remote=4930123456&display_remote=Peter+M%C3%BCller",
			want: phone.Event{
				Kind: phone.EventIncoming, Format: "grandstream", CallID: "1a2b3c@192.0.2.20",
				Local: "2000", LocalAlias: "Office", Remote: "4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{name: "established call", event: "connected", query: "call_id=1a2b3c", want: phone.Event{Kind: phone.EventConnected, Format: "grandstream", CallID: "1a2b3c"}},
		{name: "terminated call", event: "disconnected", query: "call_id=1a2b3c", want: phone.Event{Kind: phone.EventDisconnected, Format: "grandstream", CallID: "1a2b3c"}},
		{name: "missed call", event: "missed", query: "call_id=1a2b3c", want: phone.Event{Kind: phone.EventMissed, Format: "grandstream", CallID: "1a2b3c"}},
		{name: "hold call", event: "hold", query: "call_id=1a2b3c", want: phone.Event{Kind: phone.EventHold, Format: "grandstream", CallID: "1a2b3c"}},
		{name: "unhold call", event: "unhold", query: "call_id=1a2b3c", want: phone.Event{Kind: phone.EventUnhold, Format: "grandstream", CallID: "1a2b3c"}},
		{name: "outgoing call", event: "outgoing", query: "call_id=9&remote=42&display_remote=", want: phone.Event{Kind: phone.EventOutgoing, Format: "grandstream", CallID: "9", Remote: "42"}},
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
		{"blind_transfer", "call_id=1", `unknown phone event "blind_transfer" from a Grandstream phone`, true},
		{"incoming", "remote=42", "the Grandstream phone sent no call id", false},
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
	if f.Name != "grandstream" || len(f.Settings) != 7 {
		t.Fatalf("format %q with %d settings", f.Name, len(f.Settings))
	}
	seen := map[string]bool{}
	for _, s := range f.Settings {
		if !strings.HasPrefix(s.Name, "P83") || seen[s.Name] {
			t.Errorf("setting %q is not a distinct Grandstream action URL P-code", s.Name)
		}
		seen[s.Name] = true
		if _, err := f.Parse(s.Event, "call_id=1"); err != nil {
			t.Errorf("setting %s: its own event %q does not parse: %v", s.Name, s.Event, err)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add("incoming", "call_id=1a2b&remote=42&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F")
	f.Add("hold", "call_id=%%%&remote=<sip:1@x>")
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
	q := "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office&remote=4930123456&display_remote=Peter+M%C3%BCller"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEvent("incoming", q); err != nil {
			b.Fatal(err)
		}
	}
}
