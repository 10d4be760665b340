package calls

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// browserPages is the system's browser opener with the command it starts
// recorded: opened returns the pages, in order.
func browserPages() (outgoing.SystemOpener, func() []string) {
	var mu sync.Mutex
	var pages []string
	o := outgoing.SystemOpener{GOOS: "linux", Start: func(_ string, args ...string) (func() error, error) {
		mu.Lock()
		defer mu.Unlock()
		pages = append(pages, args[len(args)-1])
		return func() error { return nil }, nil
	}}
	return o, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(pages)
	}
}

// open_crm opens again the page the current call opened in the browser;
// without a current call, the last call's; before any, it says so.
func TestOpenCRMOpensTheCurrentCallsPageAgain(t *testing.T) {
	cfg := config.Default()
	cfg.Listener.Enabled = true
	cfg.Outgoing = []config.Outgoing{{Event: "inbound", URL: "https://crm.example/call?number=<$remote_party>", Enabled: true, OpenInBrowser: true}}
	browser, opened := browserPages()
	s, err := Open(Options{
		JournalPath: filepath.Join(t.TempDir(), "journal.db"),
		Config:      func() config.Config { return cfg },
		Token:       func() string { return callsToken },
		Opener:      browser,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.outbox.Start()
	srv := httptest.NewServer(s.events)
	t.Cleanup(func() {
		srv.Close()
		s.Close()
	})
	ctx := context.Background()
	var refused *sentence.Sentence
	if err := s.OpenCRM(ctx); !errors.As(err, &refused) || refused.Key != "fkeys.err.no_page" {
		t.Fatalf("before any call OpenCRM = %v, want the sentence that no page was opened", err)
	}
	event := func(path string) {
		t.Helper()
		res, err := http.Get(srv.URL + "/phone/" + callsToken + "/snom/" + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	waitPages := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !slices.Equal(opened(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("the browser opened %q, want %q", opened(), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	const pageA, pageB = "https://crm.example/call?number=0301", "https://crm.example/call?number=0302"
	event("incoming?call_id=A&remote=0301")
	event("connected?call_id=A&remote=0301")
	event("incoming?call_id=B&remote=0302")
	event("missed?call_id=B&remote=0302")
	waitPages(pageA, pageB)

	// A is in progress: its page, though B's opened last.
	if err := s.OpenCRM(ctx); err != nil {
		t.Fatal(err)
	}
	waitPages(pageA, pageB, pageA)

	// No call in progress: the last call's page.
	event("disconnected?call_id=A&remote=0301")
	event("incoming?call_id=C&remote=0303")
	event("missed?call_id=C&remote=0303")
	waitPages(pageA, pageB, pageA, "https://crm.example/call?number=0303")
	if err := s.OpenCRM(ctx); err != nil {
		t.Fatal(err)
	}
	waitPages(pageA, pageB, pageA, "https://crm.example/call?number=0303", "https://crm.example/call?number=0303")
}
