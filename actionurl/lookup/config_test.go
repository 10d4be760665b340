package lookup

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
)

func TestTheConfiguredSourcesAreAskedInTheFilesOrderWithTheKeyringPassword(t *testing.T) {
	var gotPass string
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, gotPass, _ = r.BasicAuth()
		w.Write([]byte(`{"name":"From the CRM"}`))
	}))
	defer crm.Close()
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Lookup = []config.Lookup{
		{Kind: "vcard", Path: "testdata/contacts.vcf"},
		{Kind: "url", URL: crm.URL + "/?nr=<$remote_party>", Username: "me"},
	}
	secret := func(user string) (string, error) {
		if user != "lookup-2" {
			t.Errorf("password asked for %q, want lookup-2", user)
		}
		return "pw", nil
	}
	s, err := FromConfig(cfg, secret, crm.Client())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ number, name, source string }{
		{"1234567", "Anna Schmidt", "vcard testdata/contacts.vcf"},
		{"030 999999", "From the CRM", "url " + crm.Listener.Addr().String()},
	} {
		m, ok, err := s.Find(context.Background(), tc.number)
		if err != nil || !ok || m.Name != tc.name || m.Source != tc.source {
			t.Errorf("Find(%q) = %+v, %v, %v; want %q from %q", tc.number, m, ok, err, tc.name, tc.source)
		}
	}
	if gotPass != "pw" {
		t.Errorf("the CRM got the password %q", gotPass)
	}
}

func TestFollowBuildsTheSourcesAgainOnlyWhenTheyChange(t *testing.T) {
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: "testdata/contacts.vcf"}}
	names := Follow(func() config.Config { return cfg }, nil, nil, nil)
	first := names()
	if names() != first {
		t.Fatal("an unchanged config built the sources again")
	}
	cfg.Lookup = append(cfg.Lookup, config.Lookup{Kind: "csv", Path: "testdata/contacts.csv"})
	if got := names(); got == first || len(got.Sources()) != 2 {
		t.Fatalf("after adding a source: %d sources", len(got.Sources()))
	}
}

func TestAConfiguredDirectoryBindsWithTheKeyringPassword(t *testing.T) {
	url := lookuptest.StartSlapd(t)
	cfg := config.Default()
	cfg.Dialing.AreaCode = "30"
	cfg.Lookup = []config.Lookup{{Kind: "ldap", URL: url, BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader,dc=example,dc=com"}}
	if ps := cfg.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	s, err := FromConfig(cfg, func(user string) (string, error) {
		if user != "lookup-1" {
			t.Errorf("password asked for %q", user)
		}
		return "reader-secret", nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, ok, err := s.Find(context.Background(), "1234567")
	if err != nil || !ok || m.Name != "Anna Schmidt" || !strings.HasPrefix(m.Source, "ldap 127.0.0.1:") {
		t.Fatalf("Find = %+v, %v, %v", m, ok, err)
	}
}

func TestAConfiguredCardDAVAddressBookSyncsWithTheKeyringPassword(t *testing.T) {
	book := lookuptest.StartRadicale(t)
	lookuptest.PutCard(t, book, "anna", "Anna Schmidt", "+49 30 1234567")
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{{Kind: "carddav", URL: book, Username: "me"}}
	if ps := cfg.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	s, err := FromConfig(cfg, func(user string) (string, error) { return "pw", nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m, ok, err := s.Find(ctx, "+49301234567")
	if err != nil || !ok || m.Name != "Anna Schmidt" || !strings.HasPrefix(m.Source, "carddav 127.0.0.1:") {
		t.Fatalf("Find = %+v, %v, %v", m, ok, err)
	}
}
