package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestRetryFailedDelivery is the journal window's "Send again": a delivery
// the CRM refused for good is queued anew and arrives; nothing else can be
// sent again.
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
	r, c, port := startCallsResident(t, demoWithInboundURL(crm.URL))
	ctx := context.Background()
	token := r.config().Phone.PairingToken
	if status, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/incoming?call_id=r1&remote=42", port, token)); status != 200 {
		t.Fatalf("event: %d %s", status, body)
	}
	waitDelivery := func(status string) control.DeliveryEntry {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var list control.DeliveryList
			if err := c.Do(ctx, "GET", "/api/v1/deliveries?status="+status, nil, &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Deliveries) > 0 {
				return list.Deliveries[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s delivery appeared", status)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	failed := waitDelivery("failed")

	retry := func(id string) int {
		err := c.Do(ctx, "POST", "/api/v1/deliveries/"+id+"/retry", nil, nil)
		var de *control.DialError
		if errors.As(err, &de) {
			return de.Status
		}
		if err != nil {
			t.Fatal(err)
		}
		return http.StatusAccepted
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
