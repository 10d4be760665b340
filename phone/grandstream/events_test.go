package grandstream

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
			Query: "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office&remote=4930123456&display_remote=Peter+M%C3%BCller",
			Want: phone.Event{
				Kind: phone.EventIncoming, Format: "grandstream", CallID: "1a2b3c@192.0.2.20",
				Local: "2000", LocalAlias: "Office", Remote: "4930123456", RemoteAlias: "Peter Müller",
			},
		},
		{Name: "established call", Event: "connected", Query: "call_id=1a2b3c", Want: phone.Event{Kind: phone.EventConnected, Format: "grandstream", CallID: "1a2b3c"}},
		{Name: "terminated call", Event: "disconnected", Query: "call_id=1a2b3c", Want: phone.Event{Kind: phone.EventDisconnected, Format: "grandstream", CallID: "1a2b3c"}},
		{Name: "missed call", Event: "missed", Query: "call_id=1a2b3c", Want: phone.Event{Kind: phone.EventMissed, Format: "grandstream", CallID: "1a2b3c"}},
		{Name: "hold call", Event: "hold", Query: "call_id=1a2b3c", Want: phone.Event{Kind: phone.EventHold, Format: "grandstream", CallID: "1a2b3c"}},
		{Name: "unhold call", Event: "unhold", Query: "call_id=1a2b3c", Want: phone.Event{Kind: phone.EventUnhold, Format: "grandstream", CallID: "1a2b3c"}},
		{Name: "outgoing call", Event: "outgoing", Query: "call_id=9&remote=42&display_remote=", Want: phone.Event{Kind: phone.EventOutgoing, Format: "grandstream", CallID: "9", Remote: "42"}},
	}
	simtest.ParseCases(t, ParseEvent, tests)
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "blind_transfer", Query: "call_id=1", Want: `unknown phone event "blind_transfer" from a Grandstream phone`, Unknown: true},
		{Event: "incoming", Query: "remote=42", Want: "the Grandstream phone sent no call id", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	seen := map[string]bool{}
	simtest.FormatSettings(t, EventFormat(), "grandstream", 7, "call_id=1", func(s phone.EventSetting) bool {
		distinct := !seen[s.Name]
		seen[s.Name] = true
		return strings.HasPrefix(s.Name, "P83") && distinct
	})
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, simtest.Parsed,
		[2]string{"incoming", "call_id=1a2b&remote=42&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F"},
		[2]string{"hold", "call_id=%%%&remote=<sip:1@x>"})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "incoming", "call_id=1a2b3c%40192.0.2.20&local=2000&display_local=Office"+
		"&remote=4930123456&display_remote=Peter+M%C3%BCller")
}
