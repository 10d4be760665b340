package calls

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// TestTheControlAPICarriesWhyADeliveryFailedAsItsSentence: a CRM refuses
// a call's URL; the delivery log and the journal, read over the control
// API as the Journal window reads them, carry the reason as its English
// words (last_error, as ever) and as its sentence, which the reader words
// in German.
func TestTheControlAPICarriesWhyADeliveryFailedAsItsSentence(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	defer crm.Close()
	rig := newScenarioRig(t, func(string) []config.Outgoing {
		return []config.Outgoing{{Event: "inbound", URL: crm.URL + "/in?nr=<$remote_party>", Enabled: true}}
	})
	h := HTTP{S: rig.s}
	mux := http.NewServeMux()
	mux.HandleFunc(control.RouteDeliveries, h.Deliveries)
	mux.HandleFunc(control.RouteJournal, h.Journal)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=r1&remote=42\n")
	select {
	case <-rig.final:
	case <-time.After(20 * time.Second):
		t.Fatal("the delivery did not end")
	}
	if err := rig.s.journal.Sync(context.Background()); err != nil { // its outcome is on disk
		t.Fatal(err)
	}

	c := control.NewClient(control.File{URL: srv.URL, Token: "t"}, nil)
	ctx := context.Background()
	fromLog := func() control.DeliveryEntry {
		ds, err := c.Deliveries(ctx, control.JournalQuery{Status: "failed"})
		if err != nil || len(ds) != 1 {
			t.Fatalf("failed deliveries %+v, %v; want one", ds, err)
		}
		return ds[0]
	}
	fromJournal := func() control.DeliveryEntry {
		calls, err := c.Journal(ctx, control.JournalQuery{})
		if err != nil || len(calls) != 1 || len(calls[0].Deliveries) != 1 {
			t.Fatalf("calls %+v, %v; want one with one delivery", calls, err)
		}
		return calls[0].Deliveries[0]
	}
	u, _ := url.Parse(crm.URL)
	type reason struct{ lastError, key, german string }
	want := reason{
		lastError: u.Host + " refused the request with HTTP 404 (Not Found); check the URL in the settings",
		key:       "outgoing.err.refused",
		german:    u.Host + " hat die Anfrage mit HTTP 404 (Not Found) abgelehnt; prüfen Sie die URL in den Einstellungen",
	}
	for _, tc := range []struct {
		route string
		read  func() control.DeliveryEntry
	}{{control.RouteDeliveries, fromLog}, {control.RouteJournal, fromJournal}} {
		e := tc.read()
		got := reason{lastError: e.LastError, german: i18n.Error(e.Err())}
		if e.Says != nil {
			got.key = e.Says.Key
		}
		if got != want {
			t.Errorf("%s: %+v\nwant %+v", tc.route, got, want)
		}
	}
}
