package phoneevents

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
)

const testToken = "0123456789abcdef0123456789abcdef"

func TestPairingURLs(t *testing.T) {
	base := "http://192.0.2.5:61234"
	tests := []struct {
		brand string
		want  []string // "name = URL" of the first and last settings
		n     int
	}{
		{"snom", []string{
			"action_incoming_url = http://192.0.2.5:61234/phone/" + testToken + "/snom/incoming?call_id=$call-id&csta_id=$csta_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote",
			"action_fwtest_url = http://192.0.2.5:61234/phone/" + testToken + "/snom/test",
		}, 12},
		{"snom-csta", nil, 12},
		{"demo", nil, 12},
		{"yealink", []string{
			"action_url.incoming_call = http://192.0.2.5:61234/phone/" + testToken + "/yealink/incoming?call_id=$call_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote",
			// The phone takes commands only from the computer it lists.
			"features.action_uri_limit_ip = 192.0.2.5",
		}, 8},
		{"auerswald", []string{
			"action URL server = http://192.0.2.5:61234/phone/" + testToken + "/auerswald",
			"action URL server = http://192.0.2.5:61234/phone/" + testToken + "/auerswald",
		}, 1},
		{"grandstream", []string{
			"P8310 = http://192.0.2.5:61234/phone/" + testToken + "/grandstream/incoming?call_id=$call-id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote",
			"P8325 = http://192.0.2.5:61234/phone/" + testToken + "/grandstream/unhold?call_id=$call-id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote",
		}, 7},
	}
	for _, tt := range tests {
		got, err := PairingURLs(tt.brand, base+"/", testToken)
		if err != nil {
			t.Errorf("%s: %v", tt.brand, err)
			continue
		}
		if len(got) != tt.n {
			t.Errorf("%s: %d settings, want %d", tt.brand, len(got), tt.n)
			continue
		}
		if tt.want != nil {
			first, last := got[0].Name+" = "+got[0].URL, got[len(got)-1].Name+" = "+got[len(got)-1].URL
			if first != tt.want[0] || last != tt.want[1] {
				t.Errorf("%s:\n got %s\n     %s\nwant %s\n     %s", tt.brand, first, last, tt.want[0], tt.want[1])
			}
		}
	}
	if _, err := PairingURLs("sip", base, testToken); err == nil || !strings.Contains(err.Error(), "a phone paired by SIP has no URLs to enter: dialbridge learns of its calls by subscribing to its dialog state") {
		t.Errorf("sip: err = %v", err)
	}
	if _, err := PairingURLs("polycom", base, testToken); err == nil || !strings.Contains(err.Error(), "a polycom phone cannot report its calls") {
		t.Errorf("polycom: %v", err)
	}
	if _, err := PairingURLs("snom", base, ""); err == nil {
		t.Error("no error without a token")
	}
	if got := EventsBaseURL(netip.MustParseAddr("fe80::1"), 61234, false); got != "http://[fe80::1]:61234" {
		t.Errorf("EventsBaseURL = %s", got)
	}
}

// sinkFunc adapts a function to EventSink.
type sinkFunc func(ctx context.Context, ev phone.Event) error

func (f sinkFunc) HandleEvent(ctx context.Context, ev phone.Event) error { return f(ctx, ev) }

type recorder struct {
	mu     sync.Mutex
	events []phone.Event
	err    error
}

func (r *recorder) HandleEvent(_ context.Context, ev phone.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return r.err
}

func newEventsHandler(sink EventSink, logs *bytes.Buffer) *PhoneEvents {
	return NewPhoneEvents(PhoneEventsOptions{
		Token:      func() string { return testToken },
		PhoneAddrs: func() []netip.Addr { return []netip.Addr{netip.MustParseAddr("192.0.2.10")} },
		Sink:       sink,
		Now:        func() time.Time { return time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC) },
		Log:        slog.New(slog.NewTextHandler(logs, nil)),
	})
}

func TestPhoneEventsHandler(t *testing.T) {
	prefix := "/phone/" + testToken
	tests := []struct {
		name, method, target, remote, body string
		status                             int
		reply                              string
		recorded                           bool
	}{
		{"snom incoming", "GET", prefix + "/snom/incoming?call_id=7&remote=42&display_remote=Peter", "127.0.0.1:5000", "", 200, "OK", true},
		{"from the phone's LAN address", "GET", prefix + "/yealink/connected?call_id=7", "192.0.2.10:5060", "", 200, "OK", true},
		{"auerswald", "GET", prefix + "/auerswald?event=incoming&callId=TC@1&number=42", "[::1]:5000", "", 200, "OK", true},
		{"posted form", "POST", prefix + "/auerswald", "127.0.0.1:5000", "event=holding&callId=TC@1", 200, "OK", true},
		{"firewall test", "GET", prefix + "/snom/test", "192.0.2.10:5060", "", 200, "OK: dialbridge hears this phone", false},
		{"another LAN host", "GET", prefix + "/snom/incoming?call_id=7", "192.0.2.99:5060", "", 403, "only the paired phone", false},
		{"wrong token", "GET", "/phone/" + strings.Repeat("f", 32) + "/snom/incoming?call_id=7", "127.0.0.1:5000", "", 404, "not found", false},
		{"token prefix", "GET", "/phone/" + testToken[:10] + "/snom/incoming?call_id=7", "127.0.0.1:5000", "", 404, "not found", false},
		{"no token", "GET", "/phone/", "127.0.0.1:5000", "", 404, "not found", false},
		{"unknown format", "GET", prefix + "/cisco/incoming?call_id=7", "127.0.0.1:5000", "", 404, `"cisco" is not a phone event format`, false},
		{"unknown event", "GET", prefix + "/snom/ringing?call_id=7", "127.0.0.1:5000", "", 404, `unknown phone event "ringing"`, false},
		{"no call id", "GET", prefix + "/snom/incoming?remote=42", "127.0.0.1:5000", "", 400, "sent no call id", false},
		{"method", "DELETE", prefix + "/snom/incoming?call_id=7", "127.0.0.1:5000", "", 405, "sent with GET", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			rec := &recorder{}
			h := newEventsHandler(rec, &logs)
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			var req *http.Request
			if body != nil {
				req = httptest.NewRequest(tt.method, tt.target, body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				req = httptest.NewRequest(tt.method, tt.target, nil)
			}
			req.RemoteAddr = tt.remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.reply) {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body.String(), tt.status, tt.reply)
			}
			if (len(rec.events) == 1) != tt.recorded {
				t.Errorf("sink got %+v", rec.events)
			}
			if strings.Contains(logs.String(), testToken[:8]) {
				t.Errorf("the pairing token reached the log:\n%s", logs.String())
			}
			if tt.recorded && rec.events[0].At.IsZero() {
				t.Error("the event has no arrival time")
			}
		})
	}
}

func TestPhoneEventsSeenAndSinkFailure(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{err: errors.New("disk full")}
	h := newEventsHandler(rec, &logs)
	if !h.Seen().At.IsZero() {
		t.Fatal("seen before any event")
	}
	req := httptest.NewRequest("GET", "/phone/"+testToken+"/snom/test", nil)
	req.RemoteAddr = "192.0.2.10:5060"
	h.ServeHTTP(httptest.NewRecorder(), req)
	if s := h.Seen(); s.Event != "test" || s.Format != "snom" || s.From != "192.0.2.10" {
		t.Errorf("seen %+v", s)
	}
	req = httptest.NewRequest("GET", "/phone/"+testToken+"/snom/incoming?call_id=1", nil)
	req.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 500 || !strings.Contains(w.Body.String(), "disk full") {
		t.Errorf("got %d %q", w.Code, w.Body.String())
	}
}

func TestPhoneEventsWithoutTokenRefuseAll(t *testing.T) {
	h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return "" }, Sink: &recorder{}})
	req := httptest.NewRequest("GET", "/phone//snom/incoming?call_id=1", nil)
	req.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 404 {
		t.Errorf("got %d", w.Code)
	}
}

func TestPhoneEventSettingsCheck(t *testing.T) {
	_, err := config.Parse([]byte(`
[listener]
phone_events_address = "my-pc"

[phone]
brand = "demo"
pairing_token = "short"
`))
	if err == nil {
		t.Fatal("the config check passed")
	}
	for _, want := range []string{
		`line 3: listener.lan_address: "my-pc" is not an IP address`,
		"line 7: phone.pairing_token: must be 16 to 128 letters",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("config check said:\n%s\nwant %q", err, want)
		}
	}
	for _, ok := range []string{"", "auto", "192.0.2.5", "fe80::1"} {
		cfg := config.Default()
		cfg.Listener.LANAddress = ok
		cfg.Phone.PairingToken = testToken
		if ps := cfg.Validate(); len(ps) != 0 {
			t.Errorf("%q: %v", ok, ps)
		}
	}
}

func TestEventsAddress(t *testing.T) {
	ctx := context.Background()
	tests := []struct{ setting, phone, want string }{
		{"", "http://192.0.2.10", "127.0.0.1"},
		{"192.0.2.5", "http://192.0.2.10", "192.0.2.5"},
		{"auto", "http://127.0.0.1:8080", "127.0.0.1"},
		{"auto", "[::1]:8080", "::1"},
	}
	for _, tt := range tests {
		got, err := EventsAddress(ctx, tt.setting, tt.phone)
		if err != nil || got.String() != tt.want {
			t.Errorf("EventsAddress(%q, %q) = %v, %v; want %s", tt.setting, tt.phone, got, err, tt.want)
		}
	}
	if _, err := EventsAddress(ctx, "nope", "192.0.2.10"); err == nil {
		t.Error("no error for a bad address")
	}
	addrs, err := PhoneAddrs(ctx, "https://[::ffff:192.0.2.10]:443")
	if err != nil || len(addrs) != 1 || addrs[0].String() != "192.0.2.10" {
		t.Errorf("PhoneAddrs = %v, %v", addrs, err)
	}
}

// FuzzPhoneEvents sends arbitrary paths and queries through the handler:
// it answers every one with a status and a reason, never panics, and only
// a request with the token reaches the sink.
func FuzzPhoneEvents(f *testing.F) {
	f.Add("/phone/"+testToken+"/snom/incoming", "call_id=1&remote=42&display_remote=Bob%26admin%3D1%23x%2F..%2F%3F")
	f.Add("/phone/"+testToken+"/auerswald", "event=transfer_done&callId=TC@1&callId2=TC@2")
	f.Add("/phone/"+testToken+"/yealink/", "%zz")
	f.Add("/phone/x/snom/incoming", "call_id=1")
	f.Fuzz(func(t *testing.T, path, query string) {
		rec := &recorder{}
		h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken }, Sink: rec})
		req := &http.Request{Method: "GET", URL: mustURL(path, query), RemoteAddr: "127.0.0.1:1", Header: http.Header{}}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code == 0 || w.Body.Len() == 0 {
			t.Fatalf("no answer for %q ? %q", path, query)
		}
		if len(rec.events) > 0 && !strings.HasPrefix(path, "/phone/"+testToken+"/") {
			t.Fatalf("%q reached the sink", path)
		}
	})
}

func mustURL(path, query string) *url.URL {
	return &url.URL{Path: path, RawQuery: query}
}

func BenchmarkPhoneEventsHandler(b *testing.B) {
	sink := sinkFunc(func(context.Context, phone.Event) error { return nil })
	h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken }, Sink: sink})
	target := "/phone/" + testToken + "/snom/incoming?call_id=3c2b6e1e41b1%40192.0.2.10&csta_id=-18&local=101%40pbx.example" +
		"&display_local=Desk&remote=sip%3A%2B4930123456%40pbx.example&display_remote=Peter+M%C3%BCller"
	req := httptest.NewRequest("GET", target, nil)
	req.RemoteAddr = "127.0.0.1:1"
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}
