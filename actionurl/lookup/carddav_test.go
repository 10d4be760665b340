package lookup

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// tokenSpy records the sync-token of every sync-collection request.
type tokenSpy struct {
	mu     sync.Mutex
	tokens []string
}

func (s *tokenSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == "REPORT" && req.Body != nil {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		if b := string(body); strings.Contains(b, "sync-collection") {
			_, rest, _ := strings.Cut(b, "sync-token>")
			tok, _, _ := strings.Cut(rest, "<")
			s.mu.Lock()
			s.tokens = append(s.tokens, tok)
			s.mu.Unlock()
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestACardDAVAddressBookIsSyncedByTokenAndLookedUpLocally(t *testing.T) {
	book := lookuptest.StartRadicale(t)
	lookuptest.PutCard(t, book, "anna", "Anna Schmidt", "+49 (0)30 1234567")
	key := dialplan.Keyer(berlin)
	spy := &tokenSpy{}
	src, err := NewCardDAVSource(CardDAVOptions{URL: book, Username: "me", Password: func() string { return "pw" },
		Client: &http.Client{Transport: spy}, Every: time.Hour}, key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	find := func(nr string) string {
		c, _, err := src.Find(ctx, Number{Raw: nr, Key: key(nr)})
		if err != nil {
			t.Fatal(err)
		}
		return c.Name
	}
	if got := find("030 1234567"); got != "Anna Schmidt" {
		t.Fatalf("after the first sync: %q", got)
	}
	lookuptest.PutCard(t, book, "bernd", "Bernd Kraus", "tel:+49-30-5550100")
	if code, err := lookuptest.DAVRequest("DELETE", book+"anna.vcf", "", ""); err != nil || code/100 != 2 {
		t.Fatalf("DELETE: %d %v", code, err)
	}
	if got := find("030 5550100"); got != "" {
		t.Fatalf("Bernd is known before the next sync: %q", got)
	}
	if err := src.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, gone := find("030 5550100"), find("030 1234567"); got != "Bernd Kraus" || gone != "" {
		t.Fatalf("after the second sync: Bernd is %q, Anna is %q", got, gone)
	}
	spy.mu.Lock()
	tokens := spy.tokens
	spy.mu.Unlock()
	if len(tokens) != 2 || tokens[0] != "" || tokens[1] == "" {
		t.Errorf("sync tokens sent: %q; want none, then the first sync's", tokens)
	}
	if synced, n, err := src.Status(); synced.IsZero() || n != 1 || err != nil {
		t.Errorf("Status = %v, %d, %v", synced, n, err)
	}

	wrong, _ := NewCardDAVSource(CardDAVOptions{URL: book, Username: "me", Password: func() string { return "wrong" }}, key)
	if _, _, err := wrong.Find(ctx, Number{Key: key("0305550100")}); err == nil || !strings.Contains(err.Error(), "refused the user name or password") {
		t.Errorf("a wrong password: %v", err)
	}
}

// noSyncServer stands between the source and radicale and plays a server
// without sync-collection: it refuses the report as RFC 6578 has a server
// refuse a report it does not support (403 with DAV:supported-report),
// and, with hideCtag, it asks radicale for a property radicale does not
// keep instead of the ctag, so that radicale answers as a server without
// ctags does (the property 404 in the multistatus). It counts the full
// reads (addressbook-query reports).
type noSyncServer struct {
	hideCtag bool

	mu        sync.Mutex
	fullReads int
}

func (s *noSyncServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && (req.Method == "REPORT" || req.Method == "PROPFIND") {
		body, _ := io.ReadAll(req.Body)
		b := string(body)
		switch {
		case req.Method == "REPORT" && strings.Contains(b, "sync-collection"):
			return &http.Response{StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header:  http.Header{"Content-Type": {"application/xml"}},
				Body:    io.NopCloser(strings.NewReader(`<?xml version="1.0"?><error xmlns="DAV:"><supported-report/></error>`)),
				Request: req}, nil
		case req.Method == "REPORT" && strings.Contains(b, "addressbook-query"):
			s.mu.Lock()
			s.fullReads++
			s.mu.Unlock()
		case req.Method == "PROPFIND" && s.hideCtag:
			b = strings.ReplaceAll(b, "getctag", "getctag-not-kept")
		}
		req.Body = io.NopCloser(strings.NewReader(b))
		req.ContentLength = int64(len(b))
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (s *noSyncServer) reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fullReads
}

func TestAnAddressBookWithoutSyncTokensIsSyncedByCtagOrReadInFull(t *testing.T) {
	book := lookuptest.StartRadicale(t)
	lookuptest.PutCard(t, book, "anna", "Anna Schmidt", "+49 (0)30 1234567")
	key := dialplan.Keyer(berlin)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name     string
		hideCtag bool
		// reads: the full reads after the first sync, a sync with nothing
		// changed, and a sync after a change.
		reads [3]int
	}{
		{"with a ctag, an unchanged book is not read again", false, [3]int{1, 1, 2}},
		{"without a ctag, every sync reads the book", true, [3]int{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookuptest.PutCard(t, book, "anna", "Anna Schmidt", "+49 (0)30 1234567")
			if code, err := lookuptest.DAVRequest("DELETE", book+"bernd.vcf", "", ""); err != nil || (code/100 != 2 && code != http.StatusNotFound) {
				t.Fatalf("DELETE: %d %v", code, err)
			}
			server := &noSyncServer{hideCtag: tc.hideCtag}
			src, err := NewCardDAVSource(CardDAVOptions{URL: book, Username: "me", Password: func() string { return "pw" },
				Client: &http.Client{Transport: server}, Every: time.Hour}, key)
			if err != nil {
				t.Fatal(err)
			}
			find := func(nr string) string {
				c, _, err := src.Find(ctx, Number{Raw: nr, Key: key(nr)})
				if err != nil {
					t.Fatal(err)
				}
				return c.Name
			}
			var got [3]int
			if name := find("030 1234567"); name != "Anna Schmidt" {
				t.Fatalf("after the first sync: %q", name)
			}
			got[0] = server.reads()
			if err := src.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			got[1] = server.reads()
			lookuptest.PutCard(t, book, "bernd", "Bernd Kraus", "tel:+49-30-5550100")
			if err := src.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			got[2] = server.reads()
			if name := find("030 5550100"); name != "Bernd Kraus" {
				t.Errorf("after the change: Bernd is %q", name)
			}
			if got != tc.reads {
				t.Errorf("full reads = %v; want %v", got, tc.reads)
			}
		})
	}
}
