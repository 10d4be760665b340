package journal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// readers open the journal at path both ways a program reads it: the
// resident for writing, `dialbridge journal` read-only.
var readers = []struct {
	name string
	open func(path string) (*Journal, error)
}{
	{"read-only", OpenReadOnly},
	{"for writing", Open},
}

// reasonRead is what a reader gets of a delivery's reason.
type reasonRead struct {
	lastError, key, worded string
}

// readReason is the reason of the one delivery in the journal at path,
// opened by open.
func readReason(t *testing.T, path string, open func(string) (*Journal, error)) reasonRead {
	t.Helper()
	j, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ds, err := j.Deliveries(context.Background(), Query{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v, %v; want one", ds, err)
	}
	got := reasonRead{lastError: ds[0].LastError, worded: ds[0].Err().Error()}
	if s := sentence.Of(ds[0].Err()); s != nil {
		got.key = s.Key
	}
	return got
}

// TestADeliverysReasonComesBackAsItsSentenceAfterAReopen: the real outbox
// and sender fail a delivery against a CRM that refuses its URL, the
// journal stores it and is closed; opened again, for writing and
// read-only, the delivery says why as the same sentence, with its key, in
// the same English.
func TestADeliverysReasonComesBackAsItsSentenceAfterAReopen(t *testing.T) {
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	defer crm.Close()
	j, path := openTemp(t)
	finals := make(chan outgoing.Delivery, 1)
	b, err := outgoing.Open(context.Background(), outgoing.Options{Store: j, OnFinal: func(d outgoing.Delivery) { finals <- d }})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	if err := b.Enqueue([]outgoing.Delivery{{CallGUID: "g1", Action: "inbound", URL: crm.URL + "/nowhere", Mode: outgoing.ModeBackground}})(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-finals:
	case <-time.After(30 * time.Second):
		t.Fatal("the delivery did not end")
	}
	b.Close()
	j.Close()

	u, _ := url.Parse(crm.URL)
	english := u.Host + " refused the request with HTTP 404 (Not Found); check the URL in the settings"
	want := reasonRead{lastError: english, key: "outgoing.err.refused", worded: english}
	for _, r := range readers {
		if got := readReason(t, path, r.open); got != want {
			t.Errorf("%s: %+v\nwant %+v", r.name, got, want)
		}
	}
}

// TestADeliveryAnOlderDialbridgeStoredStillReadsItsEnglish: a journal
// from before the sentences were kept has no last_says column; read as it
// is (`dialbridge journal` while the old resident still runs) and after a
// newer dialbridge added the column, its failed delivery reads the English
// it was stored with, as no sentence.
func TestADeliveryAnOlderDialbridgeStoredStillReadsItsEnglish(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	old := olderJournal(t, path)
	if _, err := old.Exec(`SELECT last_says FROM deliveries`); err == nil {
		t.Fatal("the schema itself has last_says; this test must start from a file without it")
	}
	const english = "crm.example:443 cannot be reached: connection refused"
	if _, err := old.Exec(`INSERT INTO deliveries (id, call_guid, action, url, mode, status, created, attempts, last_error, done)
		VALUES (1, 'g1', 'inbound', 'https://crm.example/call', 'background', 'failed', 1, 3, ?, 2)`, english); err != nil {
		t.Fatal(err)
	}
	old.Close()
	want := reasonRead{lastError: english, worded: english}
	for _, r := range readers {
		if got := readReason(t, path, r.open); got != want {
			t.Errorf("%s: %+v\nwant %+v", r.name, got, want)
		}
	}
}
