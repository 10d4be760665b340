package outgoing

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// Every reason a delivery failed is in the translation files: in English
// word for word, so that the Journal window says what the log says, and in
// German with the same placeholders. A file entry no reason uses is a
// leftover.
func TestEveryDeliveryReasonIsTranslatedWithItsPlaceholders(t *testing.T) {
	sentencetest.CheckTranslations(t, "../../i18n/translations", "outgoing", reasonForms)
}

// TestEveryReasonASenderGivesReadsAsBeforeAndTravelsAsItsSentence: the
// real sender against real servers (and a loopback port where nothing
// listens) says why a delivery failed in the English the log and the
// control API's last_error have always read, with a network cause worded
// as a phone's (phone.NetCause); and each reason is a sentence that comes
// back from its wire form (what the journal stores) reading the same.
func TestEveryReasonASenderGivesReadsAsBeforeAndTravelsAsItsSentence(t *testing.T) {
	answer := func(status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	stall := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(stall) })
	closed := net.JoinHostPort("127.0.0.1", strconv.Itoa(configtest.FreePort(t)))
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	host := func(raw string) string { u, _ := url.Parse(raw); return u.Host }

	unavailable, missing, tooMany := answer(http.StatusServiceUnavailable), answer(http.StatusNotFound), answer(http.StatusTooManyRequests)
	tests := []struct {
		name      string
		ctx       context.Context
		url       string
		want      string
		wantRetry bool
	}{
		{"a server that asks to come back later", context.Background(), unavailable + "/call",
			host(unavailable) + " answered HTTP 503 (Service Unavailable); dialbridge tries again later", true},
		{"a server with too many requests", context.Background(), tooMany + "/call",
			host(tooMany) + " answered HTTP 429 (Too Many Requests); dialbridge tries again later", true},
		{"a server that refuses the URL", context.Background(), missing + "/nowhere",
			host(missing) + " refused the request with HTTP 404 (Not Found); check the URL in the settings", false},
		{"a port where nothing listens", context.Background(), "http://" + closed + "/call",
			closed + " cannot be reached: the connection was refused (nothing answers at that address and port)", true},
		{"a server too slow to answer", timeout(t, 50*time.Millisecond), slow.URL + "/call",
			host(slow.URL) + " did not answer in time", true},
		{"a request dialbridge canceled", canceled, slow.URL + "/call",
			"the request to " + host(slow.URL) + " was canceled", true},
		{"a URL that cannot be requested", context.Background(), "http://crm.example/%zz",
			`the URL cannot be requested: parse "http://crm.example/%zz": invalid URL escape "%zz"`, false},
	}
	s := NewHTTPSender(1, "dialbridge-test")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.Send(tt.ctx, Delivery{ID: 1, CallGUID: "c1", URL: tt.url})
			if res.Err == nil || res.Err.Error() != tt.want || res.Retry != tt.wantRetry {
				t.Fatalf("got %v (retry %t)\nwant %s (retry %t)", res.Err, res.Retry, tt.want, tt.wantRetry)
			}
			w := sentence.ToWire(res.Err)
			if w == nil || !strings.HasPrefix(w.Key, "outgoing.err.") {
				t.Fatalf("the reason %q is no sentence of its own: %+v", res.Err, w)
			}
			if got := w.Sentence().Error(); got != tt.want {
				t.Errorf("from its wire form it reads %q; want %q", got, tt.want)
			}
		})
	}
}

// timeout is a context that ends after d, as the outbox bounds an attempt.
func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
