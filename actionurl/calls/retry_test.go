package calls

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestRetryFailedDelivery is the journal window's "Send again", through
// the control API's route: a delivery the CRM refused for good is queued
// anew and arrives; nothing else can be sent again.
func TestRetryFailedDelivery(t *testing.T) {
	var hits atomic.Int32
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if hits.Add(1) == 1 {
			http.Error(w, "no such customer", http.StatusBadRequest) // final: not retried by itself
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer crm.Close()
	rig := newScenarioRig(t, func(string) []config.Outgoing {
		return []config.Outgoing{{Event: "inbound", URL: crm.URL + "/in?nr=<$remote_party>", Enabled: true}}
	})
	mux := http.NewServeMux()
	mux.HandleFunc(control.RouteRetry, HTTP{S: rig.s}.Retry)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	rig.play(t, "+0s GET /phone/TOKEN/snom/incoming?call_id=r1&remote=42\n")
	waitDelivery := func(status string) control.DeliveryEntry {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			ds, err := rig.s.Deliveries(context.Background(), control.JournalQuery{Status: status})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) > 0 {
				return ds[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s delivery appeared", status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	failed := waitDelivery("failed")
	retry := func(id string) int {
		status, _ := post(t, "POST", srv.URL+"/api/v1/deliveries/"+id+"/retry", nil)
		return status
	}
	tests := []struct {
		id   string
		want int
	}{
		{"x", http.StatusBadRequest},
		{"999999", http.StatusGone},
		{fmt.Sprint(failed.ID), http.StatusAccepted},
	}
	for _, tt := range tests {
		if got := retry(tt.id); got != tt.want {
			t.Errorf("retry %s: status %d, want %d", tt.id, got, tt.want)
		}
	}
	delivered := waitDelivery("delivered")
	if delivered.URL != failed.URL || delivered.ID == failed.ID {
		t.Errorf("delivered %+v after retrying %+v", delivered, failed)
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("the CRM was asked %d times, want 2", got)
	}
	if got := retry(fmt.Sprint(delivered.ID)); got != http.StatusConflict {
		t.Errorf("retrying a delivered URL: status %d, want 409", got)
	}
}
