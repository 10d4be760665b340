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
