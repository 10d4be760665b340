// Package lookuptest starts the real servers the caller lookup's tests
// talk to (Debian's radicale for CardDAV, slapd for LDAP), each on a free
// port of 127.0.0.1 with a throw-away configuration, so that the lookup
// package and the whole-call tests of the call service use the same ones.
package lookuptest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// StartRadicale runs Debian's CardDAV server (radicale, installed by
// .ci/deps.sh) on a free port of 127.0.0.1 with the user "me" (password
// "pw") and an empty address book, and returns the address book's URL.
func StartRadicale(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		t.Fatal("radicale is not installed: run .ci/deps.sh (Debian package radicale)")
	}
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := fmt.Sprintf("[server]\nhosts = %s\n[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\n"+
		"[storage]\nfilesystem_folder = %s\n[rights]\ntype = owner_only\n",
		addr, filepath.Join(dir, "users"), filepath.Join(dir, "collections"))
	for name, text := range map[string]string{"config": conf, "users": "me:pw\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--config", filepath.Join(dir, "config"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	book := "http://" + addr + "/me/contacts/"
	mkcol := `<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop>` +
		`<resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>`
	for deadline := time.Now().Add(20 * time.Second); ; {
		code, err := DAVRequest("MKCOL", book, "application/xml", mkcol)
		if err == nil && code == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("radicale did not come up at %s: %d %v", addr, code, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return book
}

// DAVRequest sends one WebDAV request as the user "me" and returns the
// status, so that a test can change the address book behind the source.
func DAVRequest(method, target, ctype, body string) (int, error) {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth("me", "pw")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// PutCard stores a vCard 3.0 card with one number in the address book.
func PutCard(t testing.TB, book, uid, name, tel string) {
	t.Helper()
	card := fmt.Sprintf("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:%s\r\nN:;%s;;;\r\nTEL:%s\r\nEND:VCARD\r\n", uid, name, name, tel)
	if code, err := DAVRequest("PUT", book+uid+".vcf", "text/vcard", card); err != nil || code/100 != 2 {
		t.Fatalf("PUT %s: %d %v", uid, code, err)
	}
}

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

// StartSlapd runs Debian's OpenLDAP server (slapd, installed by
// .ci/deps.sh) on a free port of 127.0.0.1 with a fresh directory holding
// people, and returns its URL.
func StartSlapd(t testing.TB) string {
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
