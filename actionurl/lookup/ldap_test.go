package lookup

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// slapdConf is a directory for the tests: the standard people schema, one
// database, an administrator and a reader that may only read.
const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {{DIR}}/slapd.pid
database mdb
directory {{DIR}}/db
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw admin-secret
access to * by dn.exact="cn=reader,dc=example,dc=com" read by anonymous auth by * none
`

// startSlapd runs Debian's OpenLDAP server (slapd, installed by
// .ci/deps.sh) on a free port of 127.0.0.1 with a fresh directory holding
// people, and returns its URL.
func startSlapd(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("slapd")
	if err != nil {
		bin = "/usr/sbin/slapd"
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("slapd is not installed: run .ci/deps.sh (Debian package slapd)")
		}
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(conf, []byte(strings.ReplaceAll(slapdConf, "{{DIR}}", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	// slapd.d, the form of configuration slapd reads today, made from the
	// file above.
	confDir := filepath.Join(dir, "slapd.d")
	if err := os.Mkdir(confDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// slaptest writes slapd.d and then checks the database, which it can
	// only open read-only and which does not exist before slapd's first
	// start: that check fails, the written configuration is what counts.
	out, err := exec.Command(filepath.Join(filepath.Dir(bin), "slaptest"), "-f", conf, "-F", confDir).CombinedOutput()
	if _, serr := os.Stat(filepath.Join(confDir, "cn=config.ldif")); serr != nil {
		t.Fatalf("slaptest wrote no slapd.d: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "ldap://" + addr
	cmd := exec.Command(bin, "-F", confDir, "-h", url+"/", "-d", "0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	var conn *ldap.Conn
	for deadline := time.Now().Add(20 * time.Second); ; {
		conn, err = ldap.DialURL(url)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not come up at %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer conn.Close()
	if err := conn.Bind("cn=admin,dc=example,dc=com", "admin-secret"); err != nil {
		t.Fatal(err)
	}
	add := func(dn string, attrs map[string][]string) {
		t.Helper()
		req := ldap.NewAddRequest(dn, nil)
		for k, v := range attrs {
			req.Attribute(k, v)
		}
		if err := conn.Add(req); err != nil {
			t.Fatalf("adding %s: %v", dn, err)
		}
	}
	add("dc=example,dc=com", map[string][]string{"objectClass": {"dcObject", "organization"}, "dc": {"example"}, "o": {"Example"}})
	add("cn=reader,dc=example,dc=com", map[string][]string{"objectClass": {"simpleSecurityObject", "organizationalRole"}, "cn": {"reader"}, "userPassword": {"reader-secret"}})
	add("ou=people,dc=example,dc=com", map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"people"}})
	add("cn=Anna Schmidt,ou=people,dc=example,dc=com", map[string][]string{"objectClass": {"inetOrgPerson"}, "cn": {"Anna Schmidt"}, "sn": {"Schmidt"},
		"o": {"Schmidt GmbH"}, "telephoneNumber": {"+49 (0)30 1234567"}, "mobile": {"0171 9876543"}})
	// Ends in the same digits as Anna's number, in another area.
	add("cn=Otto Other,ou=people,dc=example,dc=com", map[string][]string{"objectClass": {"inetOrgPerson"}, "cn": {"Otto Other"}, "sn": {"Other"},
		"telephoneNumber": {"+49 40 1234567"}})
	return url
}

func TestADirectoryNamesEverySpellingOfItsNumbers(t *testing.T) {
	url := startSlapd(t)
	key := Keyer(berlin)
	src, err := NewLDAPSource(LDAPOptions{URL: url, BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader,dc=example,dc=com",
		Password: func() string { return "reader-secret" }}, key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		number string
		want   Contact
		ok     bool
	}{
		{"030 1234567", Contact{Name: "Anna Schmidt", Company: "Schmidt GmbH"}, true},
		{"tel:+49-30-1234567", Contact{Name: "Anna Schmidt", Company: "Schmidt GmbH"}, true},
		{"+491719876543", Contact{Name: "Anna Schmidt", Company: "Schmidt GmbH"}, true},
		{"040 1234567", Contact{Name: "Otto Other"}, true},
		{"089 1234567", Contact{}, false},
	} {
		got, ok, err := src.Find(context.Background(), Number{Raw: tc.number, Key: key(tc.number)})
		if err != nil || ok != tc.ok || got != tc.want {
			t.Errorf("Find(%q) = %+v, %v, %v; want %+v, %v", tc.number, got, ok, err, tc.want, tc.ok)
		}
	}

	wrong, _ := NewLDAPSource(LDAPOptions{URL: url, BaseDN: "ou=people,dc=example,dc=com", Username: "cn=reader,dc=example,dc=com",
		Password: func() string { return "wrong" }}, key)
	if _, _, err := wrong.Find(context.Background(), Number{Key: key("0301234567")}); err == nil || !strings.Contains(err.Error(), "refused the user name or password") {
		t.Errorf("a wrong password: %v", err)
	}
}

func TestADirectoryThatNeverAnswersTimesOut(t *testing.T) {
	// A server that accepts the connection and says nothing: what a
	// directory behind a stuck firewall or an overloaded slapd looks like.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	src, err := NewLDAPSource(LDAPOptions{URL: fmt.Sprintf("ldap://%s", l.Addr()), BaseDN: "dc=example,dc=com", Timeout: 300 * time.Millisecond}, Keyer(berlin))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, ok, err := src.Find(context.Background(), Number{Key: "+49301234567"})
	if took := time.Since(start); ok || err == nil || took > 2*time.Second {
		t.Fatalf("Find = %v, %v after %v; want an error after about 300 ms", ok, err, took)
	}
}
