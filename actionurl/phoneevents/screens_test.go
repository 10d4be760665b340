package phoneevents

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestAScreenIsAnsweredOnlyToThePhoneWithTheTokenForAMinute(t *testing.T) {
	now := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	screens := NewScreens(func() time.Time { return now })
	name := screens.Publish("<SnomIPPhoneText><Text>Anna</Text></SnomIPPhoneText>")
	var logs bytes.Buffer
	h := NewPhoneEvents(PhoneEventsOptions{
		Token:      func() string { return testToken },
		PhoneAddrs: func() []netip.Addr { return []netip.Addr{netip.MustParseAddr("192.0.2.10")} },
		Sink:       &recorder{},
		Log:        slog.New(slog.NewTextHandler(&logs, nil)),
		Screens:    screens,
	})
	own := ScreenURL("http://192.0.2.5:61234/", testToken, name)
	if want := "http://192.0.2.5:61234/phone/" + testToken + "/screen/" + name; own != want {
		t.Fatalf("ScreenURL = %s; want %s", own, want)
	}
	path := strings.TrimPrefix(own, "http://192.0.2.5:61234")
	for _, tc := range []struct {
		name, method, path, remote string
		later                      time.Duration
		status                     int
		body                       string
	}{
		{"the phone fetches it", "GET", path, "192.0.2.10:5060", 0, 200, "<Text>Anna</Text>"},
		{"from loopback (the simulated phone)", "GET", path, "127.0.0.1:5000", 0, 200, "<Text>Anna</Text>"},
		{"another computer", "GET", path, "192.0.2.99:5060", 0, 403, "only the paired phone"},
		{"another token", "GET", strings.Replace(path, testToken, strings.Repeat("f", 32), 1), "192.0.2.10:5060", 0, 404, "not found"},
		{"another name", "GET", strings.Replace(path, name, strings.Repeat("0", 32), 1), "192.0.2.10:5060", 0, 404, "screen is gone"},
		{"a POST", "POST", path, "192.0.2.10:5060", 0, 405, "fetched with GET"},
		{"a minute later", "GET", path, "192.0.2.10:5060", time.Minute, 404, "screen is gone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC).Add(tc.later)
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.RemoteAddr = tc.remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.body) {
				t.Errorf("got %d %q; want %d %q", w.Code, w.Body.String(), tc.status, tc.body)
			}
			if tc.status == http.StatusOK && w.Header().Get("Content-Type") != "text/xml; charset=utf-8" {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
		})
	}
	if strings.Contains(logs.String(), testToken[:8]) {
		t.Errorf("the pairing token reached the log:\n%s", logs.String())
	}
}

func TestScreensKeepTheNewestSixteen(t *testing.T) {
	now := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	screens := NewScreens(func() time.Time { return now })
	var names []string
	for i := range 20 {
		now = now.Add(time.Millisecond)
		names = append(names, screens.Publish(strings.Repeat("x", i)))
	}
	for i, n := range names {
		_, ok := screens.get(n)
		if want := i >= 20-screenMax; ok != want {
			t.Errorf("screen %d kept = %v; want %v", i, ok, want)
		}
	}
}
