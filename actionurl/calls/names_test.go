package calls

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// annaVCard is the caller every address book of these tests knows.
const annaVCard = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:anna\r\nFN:Anna Schmidt\r\nORG:Schmidt GmbH\r\nTEL;VALUE=uri:tel:+49-30-1234567\r\nEND:VCARD\r\n"

// vcardBook writes an address book file with card in it and returns the
// [[lookup]] table that reads it.
func vcardBook(t *testing.T, card string) config.Lookup {
	t.Helper()
	book := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(book, []byte(card), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Lookup{Kind: "vcard", Path: book}
}

// namesRig is a call service in Berlin with the given caller lookup
// sources (passwords from secret) and a CRM that records the outgoing
// URLs; its phone-event handler is served over HTTP, as the phone reaches
// it. budget is the service's NameBudget (0: NameWait); edit, when set,
// changes the config before the service opens.
type namesRig struct {
	s         *Service
	crm       *callsCRM
	published chan phone.CallEvent
	events    *httptest.Server
	// failed gets what Options.LookupFailed hears.
	failed chan error
}

func newNamesRig(t *testing.T, sources []config.Lookup, secret lookup.Secret, budget time.Duration, edit func(*config.Config)) *namesRig {
	t.Helper()
	crm := newCallsCRM(t)
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Outgoing = []config.Outgoing{{Event: "inbound", URL: crm.URL + "/in?nr=<$remote_party>&name=<$remote_alias>&company=<$remote_company>", Enabled: true}}
	cfg.Lookup = sources
	if edit != nil {
		edit(&cfg)
	}
	srcs, key, err := lookup.Sources(cfg, secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, src := range srcs {
		// An address book is synced in the background from the start,
		// long before the first call.
		if book, ok := src.(*lookup.CardDAVSource); ok {
			if err := book.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	names := lookup.New(lookup.Options{Sources: srcs, Key: key, Timeout: time.Second})
	rig := &namesRig{crm: crm, published: make(chan phone.CallEvent, 100), failed: make(chan error, 10)}
	rig.events = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rig.s.Events().ServeHTTP(w, r) }))
	t.Cleanup(rig.events.Close)
	rig.s, err = Open(Options{
		JournalPath: filepath.Join(t.TempDir(), journal.FileName),
		Config:      func() config.Config { return cfg },
		Token:       func() string { return callsToken },
		Publish:     func(ev phone.CallEvent) { rig.published <- ev },
		Names:       func() *lookup.Service { return names },
		EventsBase:  func() string { return rig.events.URL },
		NameBudget:  budget,
		LookupFailed: func(err error) {
			rig.failed <- err
		},
		Backoff: func(int) time.Duration { return time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	rig.s.outbox.Start()
	t.Cleanup(rig.s.Close)
	return rig
}

// ring sends the phone's incoming-call event for number over HTTP, as a
// Snom phone's action URL does.
func (rig *namesRig) ring(t *testing.T, callID, number string) {
	t.Helper()
	res, err := http.Get(rig.events.URL + "/phone/" + callsToken + "/snom/incoming?call_id=" + callID + "&remote=" + strings.ReplaceAll(number, " ", "%20"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the incoming event was answered %s", res.Status)
	}
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

// TestACallerFromEverySourceIsNamedInTheNotificationTheJournalAndTheCRMURL
// rings with Anna's number from each kind of source the Done-when names:
// a vCard file, a CardDAV address book (radicale) and an LDAP directory
// (slapd).
func TestACallerFromEverySourceIsNamedInTheNotificationTheJournalAndTheCRMURL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source func(t *testing.T) config.Lookup
	}{
		{"a vCard file", func(t *testing.T) config.Lookup { return vcardBook(t, annaVCard) }},
		{"a CardDAV address book", func(t *testing.T) config.Lookup {
			book := lookuptest.StartRadicale(t)
			if code, err := lookuptest.DAVRequest("PUT", book+"anna.vcf", "text/vcard", annaVCard); err != nil || code/100 != 2 {
				t.Fatalf("PUT: %d %v", code, err)
			}
			return config.Lookup{Kind: "carddav", URL: book, Username: "me"}
		}},
		{"an LDAP directory", func(t *testing.T) config.Lookup {
			return config.Lookup{Kind: "ldap", URL: lookuptest.StartSlapd(t), BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader,dc=example,dc=com"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.source(t)
			secret := func(string) (string, error) {
				return map[string]string{"carddav": "pw", "ldap": "reader-secret"}[src.Kind], nil
			}
			// The directory is asked during the call; on a machine busy
			// with other tests that can take longer than the 300 ms a
			// call waits, which TestASilentSourceDelaysTheCallByTheBudget
			// covers. Here the name's way through the call counts.
			rig := newNamesRig(t, []config.Lookup{src}, secret, 5*time.Second, nil)
			rig.ring(t, "c1", "030 1234567")
			ev := nextEvent(t, rig.published, time.Second)
			if ev.Action != phone.ActionInbound || ev.Call.RemoteAlias != "Anna Schmidt" || ev.Call.RemoteCompany != "Schmidt GmbH" {
				t.Fatalf("published %s for %q (%q); want inbound for Anna Schmidt (Schmidt GmbH)", ev.Action, ev.Call.RemoteAlias, ev.Call.RemoteCompany)
			}
			// What the notification says: the tray's Who of the call.
			if got := display.Party(ev.Call.RemoteAlias, ev.Call.Remote, "unknown caller"); !strings.HasPrefix(got, "Anna Schmidt") {
				t.Errorf("the notification says %q", got)
			}
			if got := journalName(t, rig.s); got != "Anna Schmidt / Schmidt GmbH" {
				t.Errorf("journal: %q", got)
			}
			deadline := time.Now().Add(10 * time.Second)
			for len(rig.crm.requests()) == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			reqs := rig.crm.requests()
			if len(reqs) != 1 {
				t.Fatalf("the CRM got %d requests", len(reqs))
			}
			if q := reqs[0].URL.Query(); q.Get("name") != "Anna Schmidt" || q.Get("company") != "Schmidt GmbH" {
				t.Errorf("the CRM got %s", reqs[0].URL)
			}
		})
	}
}

// TestASourceThatFailsDuringACallIsReported rings with a directory that
// refuses dialbridge's password (a real slapd) before an address book
// that knows the caller: the call is named from the book, and the
// directory's refusal reaches Options.LookupFailed, which the tray turns
// into a notification.
func TestASourceThatFailsDuringACallIsReported(t *testing.T) {
	dir := config.Lookup{Kind: "ldap", URL: lookuptest.StartSlapd(t), BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader,dc=example,dc=com"}
	secret := func(string) (string, error) { return "not-the-password", nil }
	rig := newNamesRig(t, []config.Lookup{dir, vcardBook(t, annaVCard)}, secret, 5*time.Second, nil)
	rig.ring(t, "c1", "030 1234567")
	if ev := nextEvent(t, rig.published, 10*time.Second); ev.Call.RemoteAlias != "Anna Schmidt" {
		t.Errorf("the call is named %q, want Anna Schmidt from the address book", ev.Call.RemoteAlias)
	}
	select {
	case err := <-rig.failed:
		if got := err.Error(); !strings.Contains(got, "ldap") || !strings.Contains(got, "refused the user name or password") {
			t.Errorf("LookupFailed heard %q, want the directory refusing the password", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LookupFailed heard nothing of the directory that refused the password")
	}
}

func TestASilentSourceDelaysTheCallByTheBudgetAndTheNameFollows(t *testing.T) {
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(silent.Close)
	rig := newNamesRig(t, []config.Lookup{{Kind: "url", URL: silent.URL + "/?nr=<$remote_party>"}, vcardBook(t, annaVCard)}, nil, 0, nil)
	s, published := rig.s, rig.published
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

// TestANamedCallerShowsOnTheSnomDisplayAsText rings a simulated Snom phone
// from a vCard contact with phone.show_caller_name on: the phone is told
// to fetch a screen through its minibrowser, fetches it from dialbridge's
// phone-event path with the pairing token, and shows the name and company;
// a name built to break out of the screen shows as the characters it is.
// With the switch off, the phone is left alone.
func TestANamedCallerShowsOnTheSnomDisplayAsText(t *testing.T) {
	hostile := `</Title><fetch mil="1">snom://mb_exit</fetch><LED number="1">On</LED> & 'Co'`
	for _, tc := range []struct {
		name, fn string
		show     bool
		want     []snom.Screen
	}{
		{"a contact", "Anna Schmidt", true, []snom.Screen{{Title: "Anna Schmidt", Text: "Schmidt GmbH"}}},
		{"a hostile name", hostile, true, []snom.Screen{{Title: hostile, Text: "Schmidt GmbH"}}},
		{"switched off", "Anna Schmidt", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := strings.Replace(annaVCard, "FN:Anna Schmidt", "FN:"+strings.ReplaceAll(tc.fn, ",", `\,`), 1)
			sim, drv := openSim(t)(brands.Simulate(snom.Brand, "admin", "s3cret", func(user, password string) (phone.Simulator, error) {
				return snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: password}})
			}))
			rig := newNamesRig(t, []config.Lookup{vcardBook(t, card)}, nil, 0, func(cfg *config.Config) {
				cfg.Phone.Brand, cfg.Phone.ShowCallerName = snom.Brand, tc.show
			})
			rig.s.o.Driver = func() phone.Driver { return drv }
			rig.ring(t, "c1", "030 1234567")
			if ev := nextEvent(t, rig.published, time.Second); ev.Call.RemoteAlias != tc.fn {
				t.Fatalf("the call is named %q; want %q", ev.Call.RemoteAlias, tc.fn)
			}
			phoneSim := sim.(*snom.Sim)
			deadline := time.Now().Add(5 * time.Second)
			for tc.show && len(phoneSim.Shown()) == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !tc.show {
				time.Sleep(200 * time.Millisecond)
			}
			if got := phoneSim.Shown(); !screensEqual(got, tc.want) {
				t.Errorf("the phone shows %+v (fetched %q); want %+v", got, phoneSim.Fetched(), tc.want)
			}
			for _, f := range phoneSim.Fetched() {
				if !strings.HasPrefix(f, "200 OK "+rig.events.URL+"/phone/"+callsToken+"/screen/") {
					t.Errorf("the phone fetched %q", f)
				}
			}
		})
	}
}

func screensEqual(a, b []snom.Screen) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Title != b[i].Title || a[i].Text != b[i].Text || len(a[i].Elements) != 0 {
			return false
		}
	}
	return true
}
