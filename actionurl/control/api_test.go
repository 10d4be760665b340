package control

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// Every endpoint has exactly one method of the client, which reaches it
// with the right method, path, query and body: the server side here is a
// mux registered from Routes, as the resident's is.
func TestEveryRouteHasItsClientMethod(t *testing.T) {
	type hit struct{ pattern, path, query, body string }
	var got []hit
	mux := http.NewServeMux()
	for _, route := range Routes {
		mux.HandleFunc(route, func(w http.ResponseWriter, r *http.Request) {
			var body json.RawMessage
			_ = json.NewDecoder(r.Body).Decode(&body)
			got = append(got, hit{r.Pattern, r.URL.EscapedPath(), r.URL.RawQuery, string(body)})
			_, _ = w.Write([]byte(`{}`))
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := NewClient(File{URL: srv.URL, Token: "t"}, nil)
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
		want hit
	}{
		{"Ping", func() error { return c.Ping(ctx) }, hit{RoutePing, "/api/v1/ping", "", ""}},
		{"Dial", func() error { _, err := c.Dial(ctx, DialCommand{Number: "030"}); return err }, hit{RouteDial, "/api/v1/dial", "", `{"number":"030"}`}},
		{"Show", func() error { return c.Show(ctx) }, hit{RouteShow, "/api/v1/show", "", ""}},
		{"Reload", func() error { return c.Reload(ctx) }, hit{RouteReload, "/api/v1/reload", "", ""}},
		{"Calls", func() error { _, err := c.Calls(ctx); return err }, hit{RouteCalls, "/api/v1/calls", "", ""}},
		{"Journal", func() error { _, err := c.Journal(ctx, JournalQuery{Since: "7d", Limit: 5}); return err }, hit{RouteJournal, "/api/v1/journal", "limit=5&since=7d", ""}},
		{"Deliveries", func() error {
			_, err := c.Deliveries(ctx, JournalQuery{Status: "failed"})
			return err
		}, hit{RouteDeliveries, "/api/v1/deliveries", "status=failed", ""}},
		{"RetryDelivery", func() error { return c.RetryDelivery(ctx, "42") }, hit{RouteRetry, "/api/v1/deliveries/42/retry", "", ""}},
		{"PhoneSeen", func() error { _, err := c.PhoneSeen(ctx); return err }, hit{RoutePhoneSeen, "/api/v1/phone/seen", "", ""}},
		{"State", func() error { _, err := c.State(ctx); return err }, hit{RouteState, "/api/v1/state", "", ""}},
		{"Call", func() error { return c.Call(ctx, "a/b c", "transfer", CallCommand{Target: "204"}) }, hit{RouteCall, "/api/v1/call/a%2Fb%20c/transfer", "", `{"target":"204"}`}},
		{"Call without a body", func() error { return c.Call(ctx, "g1", "hangup", CallCommand{}) }, hit{RouteCall, "/api/v1/call/g1/hangup", "", ""}},
		{"SetDND", func() error { _, err := c.SetDND(ctx, true); return err }, hit{RouteDND, "/api/v1/phone/dnd", "", `{"on":true,"known":true}`}},
		{"DND", func() error { _, err := c.DND(ctx); return err }, hit{RouteDNDStatus, "/api/v1/phone/dnd", "", ""}},
		{"SetForward", func() error { _, err := c.SetForward(ctx, "204"); return err }, hit{RouteForward, "/api/v1/phone/forward", "", `{"target":"204","known":true}`}},
		{"Forward", func() error { _, err := c.Forward(ctx); return err }, hit{RouteForwardStatus, "/api/v1/phone/forward", "", ""}},
		{"SendKeys", func() error { return c.SendKeys(ctx, "ENTER,50,5000;CANCEL") }, hit{RoutePressKeys, "/api/v1/phone/keys/press", "", `{"keys":"ENTER,50,5000;CANCEL"}`}},
		{"DemoIncoming", func() error { return c.DemoIncoming(ctx, DemoCall{Number: "030123", Name: "Demo"}) }, hit{RouteDemoIncoming, "/api/v1/demo/incoming", "", `{"number":"030123","name":"Demo"}`}},
		{"Quit", func() error { return c.Quit(ctx) }, hit{RouteQuit, "/api/v1/quit", "", ""}},
		{"Keys", func() error { _, err := c.Keys(ctx); return err }, hit{RouteKeys, "/api/v1/phone/keys", "", ""}},
		{"WriteKeys", func() error { _, err := c.WriteKeys(ctx); return err }, hit{RouteKeysWrite, "/api/v1/phone/keys/write", "", ""}},
		{"LookupSources", func() error { _, err := c.LookupSources(ctx); return err }, hit{RouteLookupSources, "/api/v1/lookup/sources", "", ""}},
	}
	reached := map[string]bool{}
	for _, tt := range calls {
		got = nil
		if err := tt.call(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s reached %+v, want %+v", tt.name, got, tt.want)
		}
		reached[tt.want.pattern] = true
	}
	for _, r := range Routes {
		if !reached[r] {
			t.Errorf("no client method reaches %s", r)
		}
	}
	if len(Routes) != len(slices.Compact(slices.Sorted(slices.Values(Routes)))) {
		t.Error("a route is listed twice")
	}
}
