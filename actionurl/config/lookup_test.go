package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookupSourcesAreCheckedByKeyAndLine(t *testing.T) {
	file := `[[lookup]]
kind = "vcard"
path = "~/contacts.vcf"

[[lookup]]
kind = "url"
url = "https://<$remote_party>.example/"

[[lookup]]
kind = "csv"

[[lookup]]
kind = "telepathy"

[[lookup]]
kind = "vcard"
path = "a.vcf"
username = "me"

[[lookup]]
kind = "ldap"
url = "https://dir.example"
`
	wantProblems(t, file,
		"line 7: lookup[2].url: <$remote_party> stands in the scheme or host",
		"line 9: lookup[3].path: is empty; a csv source reads a file",
		`line 13: lookup[4].kind: "telepathy" is not one of vcard, csv, carddav, ldap, url`,
		"line 18: lookup[5].username: is set, but a vcard source reads a file",
		`line 22: lookup[6].url: "https://dir.example" is not a directory's address`,
		"line 20: lookup[6].base_dn: is empty",
	)
}

func TestEveryLookupSourceReadsOnePasswordVariableWithoutAKeyring(t *testing.T) {
	env := map[string]string{"DIALBRIDGE_LOOKUP_PASSWORD": "s3cret"}
	s := Secrets{Getenv: func(k string) string { return env[k] }}
	for _, user := range []string{LookupSecret(1), LookupSecret(3)} {
		if got, err := s.Get(user); err != nil || got != "s3cret" {
			t.Errorf("Get(%q) = %q, %v", user, got, err)
		}
	}
}

// wantProblems checks that Parse refuses file with exactly the problems
// want, in order, each given by its start (the line, the key and what is
// wrong with it).
// testdata is a config file of testdata/, kept there so that the line
// numbers the problems name are the ones an editor shows.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantProblems(t *testing.T, file string, want ...string) {
	t.Helper()
	_, err := Parse([]byte(file))
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("Parse = %v, want Problems", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Error())
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems:\n%s\nwant %d", len(got), strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want it to start %q", i+1, got[i], want[i])
		}
	}
}
