package auerswald

import (
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// TestParseEvent plays every example of Auerswald's "Action Urls" page, as
// the phone sends them (with its MAC address, which it always adds).
func TestParseEvent(t *testing.T) {
	const mac = "&mac=000fd40a1b2c"
	tests := []struct {
		query string
		want  phone.Event
	}{
		{"event=incoming&callId=TC@1&accountId=1&number=42&name=Peter" + mac,
			phone.Event{Kind: phone.EventIncoming, CallID: "TC@1", Account: "1", Remote: "42", RemoteAlias: "Peter"}},
		{"event=outgoing&callId=TC@2&accountId=1&number=43" + mac,
			phone.Event{Kind: phone.EventOutgoing, CallID: "TC@2", Account: "1", Remote: "43"}},
		{"event=remoteUpdate&callId=TC@2&number=43&name=Franz" + mac,
			phone.Event{Kind: phone.EventUpdate, CallID: "TC@2", Remote: "43", RemoteAlias: "Franz"}},
		{"event=connected&callId=TC@2" + mac, phone.Event{Kind: phone.EventConnected, CallID: "TC@2"}},
		{"event=holding&callId=TC@2" + mac, phone.Event{Kind: phone.EventHold, CallID: "TC@2"}},
		{"event=disconnected&callId=TC@1" + mac, phone.Event{Kind: phone.EventDisconnected, CallID: "TC@1"}},
		{"event=conferenced&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventConferenced, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=unconferenced&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventUnconferenced, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transferred&callId=TC@1&number=45" + mac, phone.Event{Kind: phone.EventTransferred, CallID: "TC@1", Remote: "45"}},
		{"event=transfer_done&callId=TC@1&number=46" + mac, phone.Event{Kind: phone.EventTransferDone, CallID: "TC@1", Remote: "46"}},
		{"event=transfer_initiated&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferInitiated, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transfer_failed&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferFailed, CallID: "TC@1", OtherCallID: "TC@2"}},
		{"event=transfer_done&callId=TC@1&callId2=TC@2" + mac,
			phone.Event{Kind: phone.EventTransferDone, CallID: "TC@1", OtherCallID: "TC@2"}},
		// A name the phone escaped, with characters that matter in a URL.
		{"event=incoming&callId=TC%403&accountId=2&number=%2B4930123&name=Bob%26admin%3D1%23x%2F..%2F%3F" + mac,
			phone.Event{Kind: phone.EventIncoming, CallID: "TC@3", Account: "2", Remote: "+4930123", RemoteAlias: "Bob&admin=1#x/../?"}},
	}
	for _, tt := range tests {
		got, err := ParseEvent("", tt.query)
		if err != nil {
			t.Errorf("ParseEvent(%q): %v", tt.query, err)
			continue
		}
		tt.want.Format = "auerswald"
		tt.want.MAC = "000fd40a1b2c"
		if got != tt.want {
			t.Errorf("ParseEvent(%q)\n got  %+v\nwant %+v", tt.query, got, tt.want)
		}
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []simtest.EventError{
		{Event: "", Query: "event=ringing&callId=TC@1", Want: `unknown phone event "ringing" from an Auerswald phone`, Unknown: true},
		{Event: "incoming", Query: "event=incoming&callId=TC@1", Want: "every event to the same URL", Unknown: true},
		{Event: "", Query: "callId=TC@1", Want: "has no event parameter", Unknown: false},
		{Event: "", Query: "event=connected", Want: "connected event has no callId", Unknown: false},
	}
	simtest.ParseErrors(t, ParseEvent, tests)
}

func TestEventFormatSettings(t *testing.T) {
	f := EventFormat()
	simtest.FormatSettings(t, f, "auerswald", 1, "event=connected&callId=TC@1", func(s phone.EventSetting) bool {
		return s.Name == "action URL server"
	})
	if got, want := f.Settings[0].URL("http://192.0.2.5:61234/phone/T/auerswald"), "http://192.0.2.5:61234/phone/T/auerswald"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func FuzzParseEvent(f *testing.F) {
	simtest.FuzzParse(f, ParseEvent, func(t *testing.T, event string, ev phone.Event) {
		if ev.Kind == phone.EventUnknown || ev.CallID == "" || event != "" {
			t.Fatalf("accepted %q as %+v", event, ev)
		}
	},
		[2]string{"", "event=incoming&callId=TC@1&accountId=1&number=42&name=Peter&mac=000fd40a1b2c"},
		[2]string{"", "event=transfer_done&callId=TC@1&callId2=TC@2"},
		[2]string{"x", "event=%zz&callId="})
}

func BenchmarkParseEvent(b *testing.B) {
	simtest.BenchParse(b, ParseEvent, "", "event=incoming&callId=TC@1&accountId=1&number=%2B4930123456&name=Peter+M%C3%BCller&mac=000fd40a1b2c")
}
