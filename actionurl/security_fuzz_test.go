package actionurl

import (
	"encoding/base64"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

// FuzzHostAllowed: whatever Host arrives, only the three loopback names
// with the listener's port pass, and only the configured LAN address
// besides on the event paths; the LAN socket's dial paths take exactly
// its address and port.
func FuzzHostAllowed(f *testing.F) {
	for _, s := range []string{"127.0.0.1:61234", "localhost:61234", "[::1]:61234", "", "127.0.0.1.evil.example:61234",
		"LOCALHOST:61234", "127.0.0.1:061234", "[::ffff:127.0.0.1]:61234", "192.0.2.5:61234", "[::1%25lo]:61234", "localhost"} {
		f.Add(s)
	}
	p := &Policy{Port: 61234, LANAddr: netip.MustParseAddrPort("192.0.2.5:61234")}
	loopback := []string{"127.0.0.1:61234", "localhost:61234", "[::1]:61234"}
	f.Fuzz(func(t *testing.T, host string) {
		dial, event := p.HostAllowed(host), p.EventHostAllowed(host)
		named := false
		for _, l := range loopback {
			named = named || strings.EqualFold(host, l)
		}
		if dial != named {
			t.Fatalf("HostAllowed(%q) = %v", host, dial)
		}
		if event && !dial && host != "192.0.2.5:61234" && host != "[::ffff:192.0.2.5]:61234" {
			t.Fatalf("EventHostAllowed(%q) = true", host)
		}
		if p.LANHostAllowed(host) != (host == "192.0.2.5:61234") {
			t.Fatalf("LANHostAllowed(%q) = %v: the LAN socket's dial paths take exactly its address and port", host, !(host == "192.0.2.5:61234"))
		}
		if dial && !event {
			t.Fatalf("a loopback Host %q is refused on the event paths", host)
		}
	})
}

// FuzzParseOrigin: a canonical origin is stable, never a wildcard or
// "null", and carries no user info, path or query.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"https://crm.example", "HTTPS://CRM.example:443/", "http://[::1]:8080", "null", "*",
		"chrome-extension://abcdef", "https://u:p@crm.example", "https://crm.example/x?y#z", "http://127.0.0.1:0", "https://%2a.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canon, ok := config.ParseOrigin(s)
		if !ok {
			if canon != "" {
				t.Fatalf("config.ParseOrigin(%q) refused but returned %q", s, canon)
			}
			return
		}
		again, ok2 := config.ParseOrigin(canon)
		if !ok2 || again != canon {
			t.Fatalf("config.ParseOrigin(%q) = %q, which parses to %q, %v", s, canon, again, ok2)
		}
		scheme, host, found := strings.Cut(canon, "://")
		if !found || scheme == "" || host == "" || canon == "null" || strings.ContainsAny(host, "/?#@* \\") {
			t.Fatalf("config.ParseOrigin(%q) = %q is not an origin", s, canon)
		}
		p := &Policy{AllowedOrigins: []string{canon}}
		if !p.originAllowed(canon) {
			t.Fatalf("%q does not match itself", canon)
		}
	})
}

// FuzzJudge: whatever headers a request carries, a request with any mark
// of a browser is never trusted unless its Origin is allowed, a refused
// request is never also confirmed, and the Referer's path and query never
// reach the prompt or the log.
func FuzzJudge(f *testing.F) {
	f.Add("https://crm.example", "cross-site", "", "", "untrusted", true)
	f.Add("", "none", "", "Mozilla/5.0", "always", false)
	f.Add("null", "", "", "", "never", true)
	f.Add("", "cross-site", "https://evil.example/a?secret=1", "", "untrusted", false)
	f.Add("", "", "https://evil.example/?q=1", "curl/8", "never", false)
	f.Add("HTTPS://CRM.EXAMPLE:443", "same-origin", "", "", "untrusted", true)
	p := map[string]*Policy{}
	for _, mode := range []string{ConfirmAlways, ConfirmUntrusted, ConfirmNever} {
		pol, err := NewPolicy(61234, nil, []string{"https://crm.example"}, mode, "", "")
		if err != nil {
			f.Fatal(err)
		}
		p[mode] = pol
	}
	f.Fuzz(func(t *testing.T, origin, site, referer, ua, mode string, canConfirm bool) {
		pol, ok := p[mode]
		if !ok {
			pol = p[ConfirmUntrusted]
		}
		r := httptest.NewRequest("GET", "/", nil)
		for k, v := range map[string]string{"Origin": origin, "Sec-Fetch-Site": site, "Referer": referer, "User-Agent": ua} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		v := pol.Judge(r, canConfirm)
		if v.Confirm && v.Refuse != nil {
			t.Fatalf("both confirmed and refused: %+v", v)
		}
		if v.Confirm && !canConfirm {
			t.Fatalf("confirmation with nobody to ask: %+v", v)
		}
		browser := origin != "" || site != "" || referer != "" || strings.Contains(ua, "Mozilla/5.0")
		if browser && v.Trust < TrustAllowedOrigin && !(origin == "" && strings.EqualFold(strings.TrimSpace(site), "none")) {
			t.Fatalf("a browser's request trusted as %v: %+v", v.Trust, v)
		}
		if v.Trust == TrustAllowedOrigin && !pol.originAllowed(origin) && !pol.originAllowed(originOf(referer)) {
			t.Fatalf("origin %q (Referer %q) trusted without being allowed", origin, referer)
		}
		if v.Trust == TrustWebPage && !v.Confirm && v.Refuse == nil {
			t.Fatalf("a web page would dial silently: %+v", v)
		}
		if _, q, ok := strings.Cut(referer, "?"); ok && len(q) > 3 && strings.Contains(v.Origin+v.Reason, "?"+q) {
			t.Fatalf("the Referer's query reached the verdict: %+v", v)
		}
		if v.Allowable != "" {
			if c, ok := config.ParseOrigin(origin); !ok || c != v.Allowable {
				t.Fatalf("Allowable %q does not come from the Origin header %q", v.Allowable, origin)
			}
		}
	})
}

// FuzzCredentials: an Authorization header or a query password passes only
// when it carries exactly the configured user name and password.
func FuzzCredentials(f *testing.F) {
	f.Add("Basic "+base64.StdEncoding.EncodeToString([]byte("desk:pw")), "")
	f.Add("Basic "+base64.StdEncoding.EncodeToString([]byte("desk:pw:x")), "")
	f.Add("basic ZGVzazpwdw==", "pw")
	f.Add("Bearer pw", "pw")
	f.Add("Basic !!!", "")
	f.Add("", "pw\x00")
	p := &Policy{Username: "desk", Password: "pw"}
	f.Fuzz(func(t *testing.T, auth, query string) {
		r := httptest.NewRequest("GET", "/", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if !p.CredentialsOK(r, query, len(query)%2 == 0) {
			return
		}
		if u, pw, ok := r.BasicAuth(); ok {
			if u != "desk" || pw != "pw" {
				t.Fatalf("accepted Basic %q:%q", u, pw)
			}
			return
		}
		if query != "pw" {
			t.Fatalf("accepted query password %q with Authorization %q", query, auth)
		}
	})
}
