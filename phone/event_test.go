package phone

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw  string
		want url.Values
	}{
		{"a=1&b=2", url.Values{"a": {"1"}, "b": {"2"}}},
		{"name=Bob%26admin%3D1&x=1", url.Values{"name": {"Bob&admin=1"}, "x": {"1"}}},
		{"name=Peter+M%C3%BCller", url.Values{"name": {"Peter Müller"}}},
		// Not valid percent-encoding: kept as it came rather than lost.
		{"name=100%+sure&n=42", url.Values{"name": {"100% sure"}, "n": {"42"}}},
		{"a=1&a=2&&b", url.Values{"a": {"1"}, "b": {""}}},
		{"", url.Values{}},
	}
	for _, tt := range tests {
		if got := ParseQuery(tt.raw); !equalValues(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if strings.Join(v, "\x00") != strings.Join(b[k], "\x00") {
			return false
		}
	}
	return true
}

func TestValueDropsUnfilledVariables(t *testing.T) {
	q := url.Values{"a": {"$csta_id"}, "b": {" 42 "}, "c": {"$5 off"}, "d": {"$call-id"}}
	for key, want := range map[string]string{"a": "", "b": "42", "c": "$5 off", "d": "", "missing": ""} {
		if got := Value(q, key); got != want {
			t.Errorf("Value(%s) = %q, want %q", key, got, want)
		}
	}
}

func TestParties(t *testing.T) {
	tests := []struct{ in, addr, number string }{
		{"sip:101@pbx.example", "101@pbx.example", "101"},
		{"\"Desk\" <sip:101@pbx.example;transport=tls>", "101@pbx.example", "101"},
		{"sips:+4930123@pbx.example;user=phone", "+4930123@pbx.example", "+4930123"},
		{"tel:+4930123", "+4930123", "+4930123"},
		{"0301234", "0301234", "0301234"},
		{" 42 ", "42", "42"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := PartyAddress(tt.in); got != tt.addr {
			t.Errorf("PartyAddress(%q) = %q, want %q", tt.in, got, tt.addr)
		}
		if got := PartyNumber(tt.in); got != tt.number {
			t.Errorf("PartyNumber(%q) = %q, want %q", tt.in, got, tt.number)
		}
	}
	if got := DisplayName(` "Peter Müller" `); got != "Peter Müller" {
		t.Errorf("DisplayName = %q", got)
	}
}

func TestGUID(t *testing.T) {
	at := time.Date(2019, 3, 25, 10, 34, 22, 0, time.UTC)
	g, err := GUIDFrom(at, bytes.NewReader(bytes.Repeat([]byte{0xff}, 10)))
	if err != nil {
		t.Fatal(err)
	}
	// 2019-03-25T10:34:22Z is 1553510062000 ms = 0x0169b46a57b0.
	if want := "0169b46a-57b0-7fff-bfff-ffffffffffff"; g != want {
		t.Errorf("GUIDFrom = %s, want %s", g, want)
	}
	if _, err := GUIDFrom(at, bytes.NewReader(nil)); err == nil {
		t.Error("GUIDFrom without randomness succeeded")
	}
	form := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		g := NewGUID(at)
		if !form.MatchString(g) || seen[g] {
			t.Fatalf("GUID %q is malformed or repeated", g)
		}
		seen[g] = true
	}
}

func TestEventKindNames(t *testing.T) {
	for k := EventIncoming; k <= EventTest; k++ {
		got, ok := EventKindNamed(k.String())
		if !ok || got != k {
			t.Errorf("EventKindNamed(%q) = %v, %v", k.String(), got, ok)
		}
	}
	if _, ok := EventKindNamed("unknown"); ok {
		t.Error("unknown is a kind")
	}
}

func TestEventSettingURL(t *testing.T) {
	s := EventSetting{Event: "incoming", Query: "remote=$remote"}
	if got, want := s.URL("http://192.0.2.5:61234/phone/T/snom/"), "http://192.0.2.5:61234/phone/T/snom/incoming?remote=$remote"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if got, want := (EventSetting{}).URL("http://h/phone/T/auerswald"), "http://h/phone/T/auerswald"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestPerEventFormatWritesTheCallQueryIntoEveryCallEvent(t *testing.T) {
	p := PerEvent{Name: "b", Title: "B", CallIDVar: "$cid", Extra: []string{"csta_id=$h"}, Settings: []EventSetting{
		{Name: "in", Event: "incoming"},
		{Name: "own", Event: "hold", Query: "call_id=$other"},
		{Name: "dnd", Event: "dnd_on"},
		{Name: "fwd", Event: "forward_on", Query: "remote=$fwd"},
		{Name: "fw", Event: "test", Hidden: true},
	}}
	f := p.Format()
	call := "call_id=$cid&csta_id=$h&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote"
	want := []string{call, "call_id=$other", "", "remote=$fwd", ""}
	for i, s := range f.Settings {
		if s.Query != want[i] {
			t.Errorf("setting %s: query %q, want %q", s.Name, s.Query, want[i])
		}
	}
	if p.Settings[0].Query != "" {
		t.Errorf("Format wrote into the brand's own table: %+v", p.Settings[0])
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("call_id=3&remote=sip%3A42%40pbx&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F")
	f.Add("a=%zz&b=+&&=&c")
	f.Fuzz(func(t *testing.T, raw string) {
		q := ParseQuery(raw)
		for k, vs := range q {
			if len(vs) != 1 {
				t.Fatalf("key %q has %d values", k, len(vs))
			}
			// Whatever a phone sends, a well-encoded copy parses the same.
			again := ParseQuery(url.Values{k: vs}.Encode())
			if again.Get(k) != vs[0] {
				t.Fatalf("round trip of %q=%q gave %q", k, vs[0], again.Get(k))
			}
		}
		_ = PartyNumber(raw)
		_ = DisplayName(raw)
	})
}

func BenchmarkParseQuery(b *testing.B) {
	raw := "call_id=3c2b6e1e-41b1-4a34@192.0.2.10&csta_id=-18&local=sip%3A101%40pbx.example&display_local=Desk" +
		"&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller"
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseQuery(raw)
	}
}
