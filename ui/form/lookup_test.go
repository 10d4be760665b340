package form

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

func (k *keyring) Get(user string) (string, error) {
	if k.err != nil {
		return "", k.err
	}
	pw, ok := k.m[user]
	if !ok {
		return "", config.ErrNoSecret
	}
	return pw, nil
}

func TestReorderedContactSourcesKeepTheirSettingsAndPasswords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{
		{Kind: "ldap", URL: "ldaps://dir.example", BaseDN: "dc=example", Username: "cn=reader", NameAttribute: "displayName"},
		{Kind: "vcard", Path: "~/contacts.vcf"},
		{Kind: "url", URL: "https://crm.example/?nr=<$remote_party>", Username: "crm"},
	}
	if err := config.Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	k := &keyring{m: map[string]string{"lookup-1": "ldap-pw", "lookup-3": "crm-pw"}}
	f := FromConfig(cfg)
	// The CRM moves to the top with a new password, the file goes, a
	// CardDAV book is added at the end; the directory keeps its password.
	crm, dir := f.Sources[2], f.Sources[0]
	crm.Password = "new-crm-pw"
	f.Sources = []Source{crm, dir, {Kind: "carddav", Place: "https://dav.example/me/contacts/", Username: "me", Password: "dav-pw"}}
	c := Check(f, cfg, Stored{})
	if !c.OK() {
		t.Fatalf("problems: %+v", c.Problems)
	}
	if _, err := (Saver{Files: file{path}, Keyring: k}).Save(context.Background(), c.Config, f, Stored{}); err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []config.Lookup{
		{Kind: "url", URL: "https://crm.example/?nr=<$remote_party>", Username: "crm"},
		{Kind: "ldap", URL: "ldaps://dir.example", BaseDN: "dc=example", Username: "cn=reader", NameAttribute: "displayName"},
		{Kind: "carddav", URL: "https://dav.example/me/contacts/", Username: "me"},
	}
	if !reflect.DeepEqual(got.Lookup, want) {
		t.Errorf("saved sources\n%+v\nwant\n%+v", got.Lookup, want)
	}
	wantKeys := map[string]string{"lookup-1": "new-crm-pw", "lookup-2": "ldap-pw", "lookup-3": "dav-pw"}
	if !reflect.DeepEqual(k.m, wantKeys) {
		t.Errorf("keyring %v, want %v", k.m, wantKeys)
	}
}

// A row of the Contacts page is the saved source at its place only while
// nothing of it changed: then what dialbridge reports about that source is
// the row's state.
func TestASourceIsSavedOnlyWhileItIsTheConfigsSourceAtItsPlaceUnchanged(t *testing.T) {
	base := []config.Lookup{
		{Kind: "vcard", Path: "~/contacts.vcf"},
		{Kind: "ldap", URL: "ldaps://dir.example", BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader", NameAttribute: "displayName"},
	}
	loaded := sourcesOf(config.Config{Lookup: base})
	edit := func(i int, f func(*Source)) Source { s := loaded[i]; f(&s); return s }
	for _, tc := range []struct {
		name string
		src  Source
		want bool
	}{
		{"a file as loaded", loaded[0], true},
		{"a directory as loaded, its hidden attributes kept", loaded[1], true},
		{"another path", edit(0, func(s *Source) { s.Place = "~/other.vcf" }), false},
		{"another kind", edit(0, func(s *Source) { s.Kind = "csv" }), false},
		{"another base DN", edit(1, func(s *Source) { s.BaseDN = "ou=staff,dc=example,dc=com" }), false},
		{"a new password typed", edit(1, func(s *Source) { s.Password = "new" }), false},
		{"added in the window", Source{Kind: "vcard", Place: "~/contacts.vcf"}, false},
		{"a place beyond the config", edit(0, func(s *Source) { s.From = 3 }), false},
	} {
		if got := tc.src.Saved(base); got != tc.want {
			t.Errorf("%s: Saved = %v, want %v", tc.name, got, tc.want)
		}
	}
}
