package snom

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
			name:  "incoming, escaped by the phone",
			event: "incoming",
			query: "call_id=3c2b6e1e41b1%40192.0.2.10&csta_id=-18&local=101%40pbx.example&display_local=Desk+101" +
				"&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller",
			want: phone.Event{
				Kind: phone.EventIncoming, Format: "snom", CallID: "3c2b6e1e41b1@192.0.2.10", CSTAID: "-18",
				Local: "101@pbx.example", LocalAlias: "Desk 101", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{
			name:  "display name with an unescaped ampersand stays whole",
			event: "connected",
			query: "call_id=7&csta_id=-2&local=101@pbx.example&display_local=&remote=42@pbx.example&display_remote=Bob&admin=1",
			want: phone.Event{
				Kind: phone.EventConnected, Format: "snom", CallID: "7", CSTAID: "-2",
				Local: "101@pbx.example", Remote: "42", RemoteAlias: "Bob&admin=1",
			},
		},
		{
			name:  "older firmware leaves $csta_id unfilled",
			event: "hold",
			query: "call_id=7&csta_id=$csta_id&local=101@pbx.example&display_local=$display_local&remote=42&display_remote=$display_remote",
			want:  phone.Event{Kind: phone.EventHold, Format: "snom", CallID: "7", Local: "101@pbx.example", Remote: "42"},
		},
		{name: "firewall test needs no call", event: "test", want: phone.Event{Kind: phone.EventTest, Format: "snom"}},
		{name: "missed", event: "missed", query: "call_id=9", want: phone.Event{Kind: phone.EventMissed, Format: "snom", CallID: "9"}},
		{name: "unhold", event: "unhold", query: "call_id=9", want: phone.Event{Kind: phone.EventUnhold, Format: "snom", CallID: "9"}},
		{name: "outgoing", event: "outgoing", query: "call_id=9&remote=0301234", want: phone.Event{Kind: phone.EventOutgoing, Format: "snom", CallID: "9", Remote: "0301234"}},
		{name: "disconnected", event: "disconnected", query: "call_id=9", want: phone.Event{Kind: phone.EventDisconnected, Format: "snom", CallID: "9"}},
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
		{"ringing", "call_id=1", `unknown phone event "ringing" from a Snom phone`, true},
		{"", "call_id=1", `unknown phone event "" from a Snom phone`, true},
		{"incoming", "remote=42", "the Snom phone sent no call id", false},
		{"incoming", "call_id=$call-id", "the Snom phone sent no call id", false},
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
	if f.Name != "snom" || len(f.Settings) != 8 {
		t.Fatalf("format %q with %d settings", f.Name, len(f.Settings))
	}
	for _, s := range f.Settings {
		if _, err := f.Parse(s.Event, "call_id=1"); err != nil {
			t.Errorf("setting %s: its own event %q does not parse: %v", s.Name, s.Event, err)
		}
		if !strings.HasPrefix(s.Name, "action_") || !strings.HasSuffix(s.Name, "_url") {
			t.Errorf("setting %q is not a Snom action URL setting", s.Name)
		}
	}
	got := f.Settings[0].URL("http://192.0.2.5:61234/phone/TOKEN/snom")
	want := "http://192.0.2.5:61234/phone/TOKEN/snom/incoming?call_id=$call-id&csta_id=$csta_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote"
	if got != want {
		t.Errorf("incoming URL\n got %s\nwant %s", got, want)
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add("incoming", "call_id=1&csta_id=-3&local=101%40pbx&remote=sip%3A42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F")
	f.Add("connected", "call_id=%zz&display_remote=&display_remote=x")
	f.Add("test", "")
	f.Fuzz(func(t *testing.T, event, query string) {
		ev, err := ParseEvent(event, query)
		if err != nil {
			return
		}
		if ev.Kind == phone.EventUnknown || (ev.Kind != phone.EventTest && ev.CallID == "") {
			t.Fatalf("accepted an event without kind or call id: %+v", ev)
		}
		if strings.Contains(ev.Remote, "@") {
			t.Fatalf("remote party %q is still a SIP address, not a number", ev.Remote)
		}
	})
}

func BenchmarkParseEvent(b *testing.B) {
	q := "call_id=3c2b6e1e41b1%40192.0.2.10&csta_id=-18&local=101%40pbx.example&display_local=Desk+101" +
		"&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEvent("incoming", q); err != nil {
			b.Fatal(err)
		}
	}
}
