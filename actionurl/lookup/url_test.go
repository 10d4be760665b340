package lookup

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
)

func TestTheCRMIsAskedWithTheNumberEscapedForItsPlace(t *testing.T) {
	var gotPath, gotQuery, gotUser, gotPass string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		gotUser, gotPass, _ = r.BasicAuth()
		switch r.URL.Query().Get("nr") {
		case "+49 30 1234567&x=1":
			w.Write([]byte(`{"name":"Anna Schmidt","company":"Schmidt GmbH","url":"https://crm.example/c/7"}`))
		case "401":
			w.WriteHeader(http.StatusUnauthorized)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	src, err := NewURLSource(srv.URL+"/find/<$remote_party>?nr=<$remote_party>", "me", func() string { return "secret" }, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	c, ok, err := src.Find(context.Background(), Number{Raw: "+49 30 1234567&x=1"})
	want := Contact{Name: "Anna Schmidt", Company: "Schmidt GmbH", URL: "https://crm.example/c/7"}
	if err != nil || !ok || c != want {
		t.Fatalf("Find = %+v, %v, %v; want %+v", c, ok, err, want)
	}
	if gotPath != "/find/+49%2030%201234567&x=1" || gotQuery != "nr=%2B49+30+1234567%26x%3D1" {
		t.Errorf("request path %q query %q: the number is not escaped for its place", gotPath, gotQuery)
	}
	if gotUser != "me" || gotPass != "secret" {
		t.Errorf("basic auth = %q/%q", gotUser, gotPass)
	}
	if _, ok, err := src.Find(context.Background(), Number{Raw: "0309999"}); ok || err != nil {
		t.Errorf("HTTP 404: ok %v err %v; want no match and no error", ok, err)
	}
	if _, _, err := src.Find(context.Background(), Number{Raw: "401"}); err == nil || !strings.Contains(err.Error(), "refused the user name or password (HTTP 401)") {
		t.Errorf("HTTP 401: err %v", err)
	}
}

func TestACRMTemplateWithAPlaceholderALookupCannotFillIsRefused(t *testing.T) {
	if _, err := NewURLSource("https://crm.example/?id=<$call_guid>", "", nil, nil); err == nil {
		t.Fatal("a template with <$call_guid> was accepted")
	}
	if _, err := NewURLSource("https://<$remote_party>.example/", "", nil, nil); err == nil {
		t.Fatal("a template with the number in the host was accepted")
	}
}

// TestASourceNobodyAnswersSaysWhatToCheck: a CRM and a directory on a
// port nothing listens on (a real refused connection on loopback) say so
// in dialbridge's words, the same words a phone's error uses
// (phone.NetCause), not Go's "dial tcp …: connect: connection refused".
func TestASourceNobodyAnswersSaysWhatToCheck(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", configtest.FreePort(t))
	crm, err := NewURLSource("http://"+addr+"/?nr=<$remote_party>", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := NewLDAPSource(LDAPOptions{URL: "ldap://" + addr, BaseDN: "dc=example", Timeout: 5 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src  Source
		want string
	}{
		{crm, "the CRM at " + addr + " did not answer: the connection was refused (nothing answers at that address and port)"},
		{dir, "the directory at " + addr + " cannot be reached: the connection was refused (nothing answers at that address and port)"},
	} {
		_, _, err := tc.src.Find(context.Background(), Number{Raw: "030 1234567", Key: "+49301234567"})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v\nwant %s", tc.src.Label(), err, tc.want)
		}
	}
}
