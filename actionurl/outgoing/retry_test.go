package outgoing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestOutboxRetriesWhatMayPassLater: a CRM that answers once with a
// status asking to come back later (408, 425, 429, 5xx), or whose
// connection breaks before it answers, gets the same request again and
// takes it; one that refuses the URL (4xx) is asked once. Each case goes
// through the outbox and the real HTTP sender, as a call event does.
func TestOutboxRetriesWhatMayPassLater(t *testing.T) {
	const broken = -1 // the connection is closed without an answer
	tests := []struct {
		name         string
		first        int // the CRM's answer to the first attempt
		wantStatus   Status
		wantAttempts int
		wantError    string // in LastError after the first attempt
	}{
		{"408 request timeout", http.StatusRequestTimeout, StatusDelivered, 2, ""},
		{"425 too early", http.StatusTooEarly, StatusDelivered, 2, ""},
		{"429 too many requests", http.StatusTooManyRequests, StatusDelivered, 2, ""},
		{"500 internal server error", http.StatusInternalServerError, StatusDelivered, 2, ""},
		{"503 service unavailable", http.StatusServiceUnavailable, StatusDelivered, 2, ""},
		{"connection broken before the answer", broken, StatusDelivered, 2, ""},
		{"404 not found is final", http.StatusNotFound, StatusFailed, 1, "refused the request with HTTP 404 (Not Found)"},
		{"403 forbidden is final", http.StatusForbidden, StatusFailed, 1, "refused the request with HTTP 403 (Forbidden)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			attempts := 0
			c := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				attempts++
				n := attempts
				mu.Unlock()
				switch {
				case n > 1:
					w.WriteHeader(http.StatusOK)
				case tt.first == broken:
					conn, _, err := w.(http.Hijacker).Hijack()
					if err == nil {
						conn.Close()
					}
				default:
					w.WriteHeader(tt.first)
				}
			}))
			t.Cleanup(c.Close)
			f := newFinals()
			b := openOutbox(t, Options{Store: newMemStore(), OnFinal: func(d Delivery) { f.ch <- d }})
			if err := b.Enqueue([]Delivery{delivery("call", "inbound", c.URL+"/call")})(context.Background()); err != nil {
				t.Fatal(err)
			}
			d := f.wait(t, 1)[0]
			if d.Status != tt.wantStatus || d.Attempts != tt.wantAttempts || !strings.Contains(d.LastError, tt.wantError) {
				t.Errorf("got %s after %d attempts, error %q; want %s after %d, error containing %q",
					d.Status, d.Attempts, d.LastError, tt.wantStatus, tt.wantAttempts, tt.wantError)
			}
		})
	}
}
