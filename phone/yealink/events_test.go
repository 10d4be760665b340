package yealink

import (
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

func TestParseEvent(t *testing.T) {
	tests := []simtest.EventCase{
		{
			Name:  "incoming call",
			Event: "incoming",
			Query: "call_id=25&local=101%40pbx.example&display_local=Reception&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller",
			Want: phone.Event{
				Kind: phone.EventIncoming, Format: "yealink", CallID: "25",
				Local: "101@pbx.example", LocalAlias: "Reception", Remote: "+4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{
			Name:  "call established",
			Event: "connected",
			Query: "call_id=25&local=101@pbx.example&display_local=&remote=0301234&display_remote=",
			Want:  phone.Event{Kind: phone.EventConnected, Format: "yealink", CallID: "25", Local: "101@pbx.example", Remote: "0301234"},
		},
		{Name: "call terminated", Event: "disconnected", Query: "call_id=25", Want: phone.Event{Kind: phone.EventDisconnected, Format: "yealink", CallID: "25"}},
		{Name: "missed call", Event: "missed", Query: "call_id=25", Want: phone.Event{Kind: phone.EventMissed, Format: "yealink", CallID: "25"}},
		{Name: "outgoing call", Event: "outgoing", Query: "call_id=26&remote=42", Want: phone.Event{Kind: phone.EventOutgoing, Format: "yealink", CallID: "26", Remote: "42"}},
		{Name: "hold", Event: "hold", Query: "call_id=26", Want: phone.Event{Kind: phone.EventHold, Format: "yealink", CallID: "26"}},
		{Name: "unhold", Event: "unhold", Query: "call_id=26", Want: phone.Event{Kind: phone.EventUnhold, Format: "yealink", CallID: "26"}},
	}
	simtest.ParseCases(t, ParseEvent, tests)
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "test", Query: "call_id=1", Want: `unknown phone event "test" from a Yealink phone`, Unknown: true},
		{Event: "incoming", Query: "call_id=$call_id&remote=42", Want: "the Yealink phone sent no call id", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	simtest.FormatSettings(t, EventFormat(), "yealink", 7, "call_id=1", func(s phone.EventSetting) bool {
		return strings.HasPrefix(s.Name, "action_url.") &&
			strings.Contains(s.Query, "call_id=$call_id") && strings.HasSuffix(s.Query, "display_remote=$display_remote")
	})
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, simtest.Parsed,
		[2]string{"incoming", "call_id=25&local=101%40pbx&remote=42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F"},
		[2]string{"connected", "call_id=&call_id=2&display_remote=%"})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "incoming", "call_id=25&local=101%40pbx.example&display_local=Reception"+
		"&remote=%2B4930123456%40pbx.example&display_remote=Peter%20M%C3%BCller")
}
