package lookup

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

func TestADirectoryNamesEverySpellingOfItsNumbers(t *testing.T) {
	url := lookuptest.StartSlapd(t)
	key := dialplan.Keyer(berlin)
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
	src, err := NewLDAPSource(LDAPOptions{URL: fmt.Sprintf("ldap://%s", l.Addr()), BaseDN: "dc=example,dc=com", Timeout: 300 * time.Millisecond}, dialplan.Keyer(berlin))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, ok, err := src.Find(context.Background(), Number{Key: "+49301234567"})
	if took := time.Since(start); ok || err == nil || took > 2*time.Second {
		t.Fatalf("Find = %v, %v after %v; want an error after about 300 ms", ok, err, took)
	}
}
