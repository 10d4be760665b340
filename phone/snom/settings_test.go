package snom

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

func TestSettingsWrittenWithDummyHTMAreReadBackFromSettingsHTM(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	want := map[string]string{
		"action_incoming_url": "http://192.0.2.5:61234/phone/tok/snom/incoming?remote=$remote&name=$display_remote",
		"action_hold_url":     "http://192.0.2.5:61234/phone/tok/snom/hold",
	}
	if err := d.SetSettings(ctx, phone.Setting{Name: "action_incoming_url", Value: want["action_incoming_url"]},
		phone.Setting{Name: "action_hold_url", Value: want["action_hold_url"]}); err != nil {
		t.Fatalf("SetSettings: %v", err)
	}
	simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: "/dummy.htm",
		RawQuery: "action_hold_url=http%3A%2F%2F192.0.2.5%3A61234%2Fphone%2Ftok%2Fsnom%2Fhold&" +
			"action_incoming_url=http%3A%2F%2F192.0.2.5%3A61234%2Fphone%2Ftok%2Fsnom%2Fincoming%3Fremote%3D%24remote%26name%3D%24display_remote&settings=save"})
	got, err := d.ReadSettings(ctx)
	if err != nil {
		t.Fatalf("ReadSettings: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

func TestParseSettingsReadsEveryFlagAndSkipsThePagesText(t *testing.T) {
	body := "<html>\nSettings of the phone\nuser_name1!: 200\nadmin_mode$: off\nhttp_pass&: \naction_connected_url!: http://h:1/x?a=1&b=$remote\n"
	got := ParseSettings([]byte(body))
	want := map[string]string{"user_name1": "200", "admin_mode": "off", "http_pass": "", "action_connected_url": "http://h:1/x?a=1&b=$remote"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFireTestMakesThePhoneFetchItsFirewallTestURL(t *testing.T) {
	var hits atomic.Int32
	pc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/phone/tok/snom/test" {
			hits.Add(1)
		}
	}))
	defer pc.Close()
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	if err := d.FireTest(ctx); err == nil || !strings.Contains(err.Error(), "action_fwtest_url") {
		t.Errorf("FireTest without a URL: err = %v, want one naming action_fwtest_url", err)
	}
	if err := d.SetSettings(ctx, phone.Setting{Name: "action_fwtest_url", Value: pc.URL + "/phone/tok/snom/test"}); err != nil {
		t.Fatal(err)
	}
	if err := d.FireTest(ctx); err != nil {
		t.Fatalf("FireTest: %v", err)
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("the PC heard %d test requests, want 1", got)
	}
	if got, want := s.Fetched(), []string{"200 OK " + pc.URL + "/phone/tok/snom/test"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the minibrowser fetched %q, want %q", got, want)
	}
}

func TestSavedActionURLsReachTheEventSimulator(t *testing.T) {
	var got atomic.Value
	pc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Store(r.URL.Path) }))
	defer pc.Close()
	ev := NewEventSim(EventSimOptions{})
	defer ev.Close()
	_, d := bench.Pair(t, SimOptions{Events: ev})
	if err := d.SetSettings(context.Background(), phone.Setting{Name: "action_outgoing_url", Value: pc.URL + "/out"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Dial(context.Background(), phone.DialOptions{Number: "200"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for got.Load() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if p, _ := got.Load().(string); p != "/out" {
		t.Errorf("the phone reported to %q, want /out", p)
	}
}

// FuzzParseSettings: any listing parses without panicking, every name is
// one word without the flags, and a listing written back in the phone's
// form reads the same.
func FuzzParseSettings(f *testing.F) {
	f.Add([]byte("action_incoming_url!: http://h/x?a=1&b=$remote\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got := ParseSettings(body)
		var again strings.Builder
		for name, value := range got {
			if name == "" || strings.ContainsAny(name, " <>\t:") || strings.TrimRight(name, "!$&") != name {
				t.Errorf("name %q", name)
			}
			again.WriteString(name + "!: " + value + "\n")
		}
		if back := ParseSettings([]byte(again.String())); !reflect.DeepEqual(back, got) {
			t.Errorf("written back and read again: %q, want %q", back, got)
		}
	})
}

func TestShowTextPutsHostileTextOnTheDisplayAsText(t *testing.T) {
	var doc atomic.Value
	pc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, doc.Load().(string))
	}))
	defer pc.Close()
	s, d := bench.Pair(t, SimOptions{})
	for _, tc := range []Screen{
		{Title: "Anna Schmidt", Text: "Schmidt GmbH"},
		{Title: `</Title><fetch mil="1">snom://mb_exit</fetch><Title>`, Text: `<LED number="1">On</LED> & "'`},
		{Title: "Müller & Söhne", Text: "]]><!-- -->"},
	} {
		if err := d.ShowText(context.Background(), tc.Title, tc.Text, func(document string) string {
			doc.Store(document)
			return pc.URL + "/phone/tok/screen/1"
		}); err != nil {
			t.Fatalf("ShowText: %v", err)
		}
		shown := s.Shown()
		if len(shown) == 0 || !reflect.DeepEqual(shown[len(shown)-1], tc) {
			t.Errorf("the phone shows %+v; want %+v", shown, tc)
		}
	}
}
