package calls

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/phone"
)

// namesRig is a call service with a vCard address book as caller lookup,
// behind a CRM address that never answers when slow is set, and a CRM
// that records the outgoing URLs.
func namesRig(t *testing.T, slow bool) (*Service, *callsCRM, chan phone.CallEvent) {
	dir := t.TempDir()
	book := filepath.Join(dir, "contacts.vcf")
	vcf := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nORG:Schmidt GmbH\r\nTEL;VALUE=uri:tel:+49-30-1234567\r\nEND:VCARD\r\n"
	if err := os.WriteFile(book, []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(silent.Close)
	crm := newCallsCRM(t)
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Outgoing = []config.Outgoing{{Event: "inbound", URL: crm.URL + "/in?nr=<$remote_party>&name=<$remote_alias>&company=<$remote_company>", Enabled: true}}
	if slow {
		cfg.Lookup = append(cfg.Lookup, config.Lookup{Kind: "url", URL: silent.URL + "/?nr=<$remote_party>"})
	}
	cfg.Lookup = append(cfg.Lookup, config.Lookup{Kind: "vcard", Path: book})
	srcs, key, err := lookup.Sources(cfg, nil, silent.Client())
	if err != nil {
		t.Fatal(err)
	}
	names := lookup.New(lookup.Options{Sources: srcs, Key: key, Timeout: time.Second})
	published := make(chan phone.CallEvent, 100)
	s, err := Open(Options{
		JournalPath: filepath.Join(dir, journal.FileName),
		Config:      func() config.Config { return cfg },
		Token:       func() string { return callsToken },
		Publish:     func(ev phone.CallEvent) { published <- ev },
		Names:       func() *lookup.Service { return names },
		Backoff:     func(int) time.Duration { return time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	s.outbox.Start()
	t.Cleanup(s.Close)
	return s, crm, published
}

func nextEvent(t *testing.T, ch chan phone.CallEvent, within time.Duration) phone.CallEvent {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(within):
		t.Fatalf("no call event within %v", within)
		return phone.CallEvent{}
	}
}

func journalName(t *testing.T, s *Service) string {
	t.Helper()
	entries, err := s.journal.Calls(context.Background(), journal.Query{})
	if err != nil || len(entries) != 1 {
		t.Fatalf("journal: %d calls, %v", len(entries), err)
	}
	return entries[0].RemoteAlias + " / " + entries[0].RemoteCompany
}

func TestACallerFromTheAddressBookIsNamedInTheEventTheJournalAndTheCRMURL(t *testing.T) {
	s, crm, published := namesRig(t, false)
	if err := s.HandleEvent(context.Background(), phone.Event{Kind: phone.EventIncoming, CallID: "c1", Remote: "030 1234567"}); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, published, time.Second)
	if ev.Action != phone.ActionInbound || ev.Call.RemoteAlias != "Anna Schmidt" || ev.Call.RemoteCompany != "Schmidt GmbH" {
		t.Fatalf("published %s for %q (%q); want inbound for Anna Schmidt (Schmidt GmbH)", ev.Action, ev.Call.RemoteAlias, ev.Call.RemoteCompany)
	}
	if got := journalName(t, s); got != "Anna Schmidt / Schmidt GmbH" {
		t.Errorf("journal: %q", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(crm.requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	reqs := crm.requests()
	if len(reqs) != 1 {
		t.Fatalf("the CRM got %d requests", len(reqs))
	}
	if q := reqs[0].URL.Query(); q.Get("name") != "Anna Schmidt" || q.Get("company") != "Schmidt GmbH" {
		t.Errorf("the CRM got %s", reqs[0].URL)
	}
}

func TestASilentSourceDelaysTheCallByTheBudgetAndTheNameFollows(t *testing.T) {
	s, _, published := namesRig(t, true)
	start := time.Now()
	if err := s.HandleEvent(context.Background(), phone.Event{Kind: phone.EventIncoming, CallID: "c1", Remote: "+49 30 1234567"}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	ev := nextEvent(t, published, time.Second)
	if ev.Action != phone.ActionInbound || ev.Call.RemoteAlias != "" {
		t.Fatalf("published %s for %q; want inbound without a name", ev.Action, ev.Call.RemoteAlias)
	}
	// The budget, plus room for a machine busy with other tests.
	if took > NameWait+200*time.Millisecond {
		t.Errorf("the event took %v to handle; a silent source may delay it by %v only", took, NameWait)
	}
	named := nextEvent(t, published, 5*time.Second)
	if named.Action != phone.ActionNamed || named.Call.RemoteAlias != "Anna Schmidt" {
		t.Fatalf("then published %s for %q; want named for Anna Schmidt", named.Action, named.Call.RemoteAlias)
	}
	if got := journalName(t, s); got != "Anna Schmidt / Schmidt GmbH" {
		t.Errorf("journal: %q", got)
	}
	// The name stays with the call for its later events.
	if err := s.HandleEvent(context.Background(), phone.Event{Kind: phone.EventConnected, CallID: "c1"}); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, published, time.Second); ev.Call.RemoteAlias != "Anna Schmidt" {
		t.Errorf("the answered call is named %q", ev.Call.RemoteAlias)
	}
}
