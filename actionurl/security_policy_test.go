package actionurl

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

func mustPolicy(t testing.TB, confirm string, origins ...string) *Policy {
	t.Helper()
	p, err := NewPolicy(61234, nil, origins, confirm, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJudgeClassifiesWhoAsked(t *testing.T) {
	chrome := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	tests := []struct {
		name       string
		hdr        map[string]string
		wantTrust  Trust
		wantOrigin string
		wantAllow  string // Allowable
		wantReason string
	}{
		{"curl", map[string]string{"User-Agent": "curl/8.5.0"}, TrustLocalApp, "", "", "a program on this computer"},
		{"no headers at all", nil, TrustLocalApp, "", "", "a program on this computer"},
		{"legacy WinINet client", map[string]string{"User-Agent": "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0)"}, TrustLocalApp, "", "", "a program"},
		{"address bar", map[string]string{"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "User-Agent": chrome}, TrustUserNavigation, "", "", "Sec-Fetch-Site: none"},
		{"extension tab", map[string]string{"Sec-Fetch-Site": "None", "Sec-Fetch-Mode": "navigate"}, TrustUserNavigation, "", "", "extension tab"},
		{"allowed origin", map[string]string{"Origin": "https://crm.example", "Sec-Fetch-Site": "cross-site"}, TrustAllowedOrigin, "https://crm.example", "", "is in listener.allowed_origins"},
		{"allowed origin, other case", map[string]string{"Origin": "HTTPS://CRM.example"}, TrustAllowedOrigin, "https://crm.example", "", "is in listener.allowed_origins"},
		{"allowed extension", map[string]string{"Origin": "chrome-extension://abcdefgh", "Sec-Fetch-Site": "none"}, TrustAllowedOrigin, "chrome-extension://abcdefgh", "", "allowed_origins"},
		{"other extension with Sec-Fetch-Site none", map[string]string{"Origin": "chrome-extension://zzz", "Sec-Fetch-Site": "none"}, TrustWebPage, "chrome-extension://zzz", "chrome-extension://zzz", "is not in listener.allowed_origins"},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, TrustWebPage, "https://evil.example", "https://evil.example", "is not in"},
		{"Origin null", map[string]string{"Origin": "null"}, TrustWebPage, "null", "", "is not in"},
		{"no-cors with Referer", map[string]string{"Sec-Fetch-Site": "cross-site", "Referer": "https://evil.example/x?token=1"}, TrustWebPage, "https://evil.example", "", "Sec-Fetch-Site: cross-site"},
		{"Referer with user info", map[string]string{"Sec-Fetch-Site": "cross-site", "Referer": "https://user:pw@evil.example/x"}, TrustWebPage, "https://evil.example", "", "cross-site"},
		{"no-cors, no Referer", map[string]string{"Sec-Fetch-Site": "cross-site"}, TrustWebPage, "a web page (cross-site)", "", "a web page asked"},
		{"same-site", map[string]string{"Sec-Fetch-Site": "same-site"}, TrustWebPage, "a web page (same-site)", "", "same-site"},
		{"same-origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, TrustWebPage, "a page claiming to be this listener", "", "serves no pages"},
		{"unknown Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "cross-planet"}, TrustWebPage, "a web page", "", "not a value"},
		{"Sec-Fetch-Mode only", map[string]string{"Sec-Fetch-Mode": "no-cors"}, TrustWebPage, "a web page", "", "without Sec-Fetch-Site"},
		{"old browser with Referer", map[string]string{"Referer": "http://evil.example:8080/"}, TrustWebPage, "http://evil.example:8080", "", "older browser"},
		{"link clicked on an allowed page", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1", "Referer": "https://crm.example/contacts/7"}, TrustAllowedOrigin, "https://crm.example", "", "a link the person clicked"},
		{"link on an allowed page, no click", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Referer": "https://crm.example/"}, TrustWebPage, "https://crm.example", "", "a web page asked"},
		{"click on an allowed page into a frame", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe", "Sec-Fetch-User": "?1", "Referer": "https://crm.example/"}, TrustWebPage, "https://crm.example", "", "a web page asked"},
		{"image on an allowed page", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image", "Referer": "https://crm.example/"}, TrustWebPage, "https://crm.example", "", "a web page asked"},
		{"link clicked on a foreign page", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1", "Referer": "https://crm.example.evil.example/"}, TrustWebPage, "https://crm.example.evil.example", "", "a web page asked"},
		{"link clicked, no Referer", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1"}, TrustWebPage, "a web page (cross-site)", "", "a web page asked"},
		{"empty Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": ""}, TrustWebPage, "a web page", "", "empty"},
		{"empty Origin", map[string]string{"Origin": "", "Referer": "https://evil.example/"}, TrustWebPage, "https://evil.example", "", "empty"},
		{"old browser, no Referer", map[string]string{"User-Agent": "Mozilla/5.0 (Macintosh) Version/15.6 Safari/605.1.15"}, TrustWebPage, "a browser that does not say which page asked", "", "too old"},
	}
	p := mustPolicy(t, ConfirmNever, "https://crm.example", "chrome-extension://abcdefgh")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?action=make_call&target=1", nil)
			for k, v := range tt.hdr {
				r.Header.Set(k, v)
			}
			v := p.Judge(r, false)
			if v.Trust != tt.wantTrust || v.Origin != tt.wantOrigin || v.Allowable != tt.wantAllow || !strings.Contains(v.Reason, tt.wantReason) {
				t.Errorf("got {%v %q allowable %q reason %q}, want {%v %q allowable %q reason containing %q}",
					v.Trust, v.Origin, v.Allowable, v.Reason, tt.wantTrust, tt.wantOrigin, tt.wantAllow, tt.wantReason)
			}
			if strings.Contains(v.Origin+v.Reason, "token=1") || strings.Contains(v.Origin+v.Reason, "pw@") {
				t.Errorf("the Referer's query or user info leaked: %q %q", v.Origin, v.Reason)
			}
		})
	}
}

func TestJudgeAppliesConfirmMode(t *testing.T) {
	web := map[string]string{"Origin": "https://evil.example"}
	allowed := map[string]string{"Origin": "https://crm.example"}
	user := map[string]string{"Sec-Fetch-Site": "none"}
	tests := []struct {
		mode        string
		hdr         map[string]string
		canConfirm  bool
		wantConfirm bool
		wantRefuse  string
	}{
		{ConfirmUntrusted, nil, true, false, ""},
		{ConfirmUntrusted, user, true, false, ""},
		{ConfirmUntrusted, allowed, true, false, ""},
		{ConfirmUntrusted, web, true, true, ""},
		{ConfirmUntrusted, web, false, false, "https://evil.example may not make this phone dial"},
		{ConfirmAlways, nil, true, true, ""},
		{ConfirmAlways, user, true, true, ""},
		{ConfirmAlways, allowed, true, true, ""},
		{ConfirmAlways, web, true, true, ""},
		{ConfirmAlways, nil, false, false, "no one is at the screen"},
		{ConfirmAlways, web, false, false, "may not make this phone dial"},
		{ConfirmNever, nil, true, false, ""},
		{ConfirmNever, allowed, true, false, ""},
		{ConfirmNever, web, true, false, "may not make this phone dial"},
		{ConfirmNever, web, false, false, "may not make this phone dial"},
	}
	for _, tt := range tests {
		p := mustPolicy(t, tt.mode, "https://crm.example")
		r := httptest.NewRequest("GET", "/", nil)
		for k, v := range tt.hdr {
			r.Header.Set(k, v)
		}
		v := p.Judge(r, tt.canConfirm)
		refuse := ""
		if v.Refuse != nil {
			refuse = v.Refuse.Error()
		}
		if v.Confirm != tt.wantConfirm || (tt.wantRefuse == "") != (refuse == "") || !strings.Contains(refuse, tt.wantRefuse) {
			t.Errorf("%s %v canConfirm=%v: confirm=%v refuse=%q, want confirm=%v refuse containing %q",
				tt.mode, tt.hdr, tt.canConfirm, v.Confirm, refuse, tt.wantConfirm, tt.wantRefuse)
		}
	}
}

func TestJudgeLocal(t *testing.T) {
	tests := []struct {
		mode              string
		typed, canConfirm bool
		wantTrust         Trust
		wantConfirm       bool
		wantRefuse        bool
	}{
		{ConfirmUntrusted, false, true, TrustLocalApp, false, false},
		{ConfirmUntrusted, true, true, TrustTyped, false, false},
		{ConfirmAlways, false, true, TrustLocalApp, true, false},
		{ConfirmAlways, true, true, TrustTyped, false, false},
		{ConfirmAlways, false, false, TrustLocalApp, false, true},
		{ConfirmAlways, true, false, TrustTyped, false, false},
		{ConfirmNever, false, false, TrustLocalApp, false, false},
	}
	for _, tt := range tests {
		v := mustPolicy(t, tt.mode).JudgeLocal("tel: link", tt.typed, tt.canConfirm)
		if v.Trust != tt.wantTrust || v.Confirm != tt.wantConfirm || (v.Refuse != nil) != tt.wantRefuse || v.Origin != "tel: link" {
			t.Errorf("%+v: got %+v", tt, v)
		}
	}
}

func TestNewPolicyRefusesWildcardsAndTypos(t *testing.T) {
	for _, o := range []string{"*", "null", "https://*.example", "crm.example", "https://crm.example/path", "https://u:p@crm.example", "https://crm.example?x", "https://crm.example#f", ""} {
		if _, err := NewPolicy(1, nil, []string{o}, ConfirmUntrusted, "", ""); err == nil {
			t.Errorf("allowed_origins %q accepted", o)
		}
	}
	if _, err := NewPolicy(1, nil, nil, "sometimes", "", ""); err == nil || !strings.Contains(err.Error(), "listener.confirm") {
		t.Errorf("confirm = sometimes: err = %v", err)
	}
	p, err := NewPolicy(1, nil, []string{"https://CRM.example:443/", "http://127.0.0.1:8080"}, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.AllowedOrigins, " "); got != "https://crm.example http://127.0.0.1:8080" || p.Confirm != ConfirmUntrusted {
		t.Errorf("origins %q confirm %q", got, p.Confirm)
	}
}

func TestParseOrigin(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://crm.example", "https://crm.example", true},
		{"https://crm.example/", "https://crm.example", true},
		{"HTTPS://Crm.Example:443", "https://crm.example", true},
		{"http://crm.example:80", "http://crm.example", true},
		{"http://crm.example:8080", "http://crm.example:8080", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://127.0.0.1:5000", "http://127.0.0.1:5000", true},
		{"moz-extension://1b2c", "moz-extension://1b2c", true},
		{"null", "", false},
		{"*", "", false},
		{"https://crm.example:", "", false},
		{"https://crm.example:0", "", false},
		{"https://crm.example:08080", "", false},
		{"https://crm.example:99999", "", false},
		{"https://crm.example/x", "", false},
		{"https://a@crm.example", "", false},
		{"//crm.example", "", false},
		{"crm.example", "", false},
		{"https://crm.example\\@evil", "", false},
		{"https:crm.example", "", false},
	}
	for _, tt := range tests {
		got, ok := config.ParseOrigin(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("config.ParseOrigin(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHostAllowed(t *testing.T) {
	p := mustPolicy(t, "")
	p.LANAddr = netip.MustParseAddrPort("192.0.2.5:61234")
	tests := []struct {
		host             string
		dial, event, lan bool
	}{
		{"127.0.0.1:61234", true, true, false},
		{"localhost:61234", true, true, false},
		{"LocalHost:61234", true, true, false},
		{"[::1]:61234", true, true, false},
		{"192.0.2.5:61234", false, true, true},
		{"192.0.2.5:61235", false, false, false},
		{"[::ffff:192.0.2.5]:61234", false, true, false},
		{"192.0.2.6:61234", false, false, false},
		{"", false, false, false},
		{"127.0.0.1", false, false, false},
		{"127.0.0.1:", false, false, false},
		{"127.0.0.1:061234", false, false, false},
		{"127.0.0.1:61234:61234", false, false, false},
		{"127.0.0.1.evil.example:61234", false, false, false},
		{"localhost.evil.example:61234", false, false, false},
		{"localhost.:61234", false, false, false},
		{"evil.example:61234", false, false, false},
		{"127.0.0.2:61234", false, false, false},
		{"0x7f.0.0.1:61234", false, false, false},
		{"2130706433:61234", false, false, false},
		{"[::ffff:127.0.0.1]:61234", false, false, false},
		{"::1:61234", false, false, false},
		{"[::1%lo]:61234", false, false, false},
	}
	for _, tt := range tests {
		if got := p.HostAllowed(tt.host); got != tt.dial {
			t.Errorf("HostAllowed(%q) = %v, want %v", tt.host, got, tt.dial)
		}
		if got := p.EventHostAllowed(tt.host); got != tt.event {
			t.Errorf("EventHostAllowed(%q) = %v, want %v", tt.host, got, tt.event)
		}
		if got := p.LANHostAllowed(tt.host); got != tt.lan {
			t.Errorf("LANHostAllowed(%q) = %v, want %v", tt.host, got, tt.lan)
		}
	}
	p80 := &Policy{Port: 80}
	if !p80.HostAllowed("localhost") || p80.HostAllowed("[::1]") || p80.HostAllowed("evil.example") {
		t.Errorf("port 80: a Host without port must name loopback")
	}
}

func TestCredentialsOK(t *testing.T) {
	p := &Policy{Username: "desk", Password: "pw"}
	tests := []struct {
		name   string
		auth   string
		query  string
		wantOK bool
	}{
		{"Basic right", "Basic ZGVzazpwdw==", "", true},
		{"Basic wrong password", "Basic ZGVzazp3cm9uZw==", "", false},
		{"Basic wrong user", "Basic ZXZlOnB3", "", false},
		{"Basic right, query wrong", "Basic ZGVzazpwdw==", "wrong", true},
		{"Basic wrong, query right", "Basic ZGVzazp3cm9uZw==", "pw", false},
		{"query right", "", "pw", true},
		{"query wrong", "", "pW", false},
		{"nothing", "", "", false},
		{"Bearer", "Bearer pw", "", false},
		{"Basic not base64", "Basic !!!", "", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		for _, lan := range []bool{false, true} {
			if got := p.CredentialsOK(r, tt.query, lan); got != tt.wantOK {
				t.Errorf("%s (LAN socket %v): got %v, want %v", tt.name, lan, got, tt.wantOK)
			}
		}
	}
	if !(&Policy{}).CredentialsOK(httptest.NewRequest("GET", "/", nil), "", false) {
		t.Errorf("without listener credentials everyone passes on loopback")
	}
	if (&Policy{}).CredentialsOK(httptest.NewRequest("GET", "/", nil), "", true) {
		t.Errorf("without listener credentials someone passed on the LAN socket")
	}
}

func TestReporterDebounces(t *testing.T) {
	var rp reporter
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		at          time.Duration
		kind        RefusalKind
		origin      string
		wantReport  bool
		wantEarlier int
	}
	steps := []step{
		{0, RefusedRate, "a", true, 0},
		{time.Second, RefusedRate, "b", false, 0}, // rate: one key for all origins
		{2 * time.Second, RefusedWebPage, "https://evil.example", true, 0},
		{3 * time.Second, RefusedWebPage, "https://evil.example", false, 0},
		{4 * time.Second, RefusedWebPage, "https://other.example", true, 0},
		{50 * time.Second, RefusedRate, "", false, 0},  // 49 s after the last: still the burst
		{109 * time.Second, RefusedRate, "", false, 0}, // 59 s after the last
		{170 * time.Second, RefusedRate, "", true, 3},  // quiet for 61 s: a new burst
		{200 * time.Second, RefusedWebPage, "https://evil.example", true, 1},
	}
	for i, s := range steps {
		got, earlier := rp.admit(s.kind, s.origin, t0.Add(s.at), time.Minute)
		if got != s.wantReport || earlier != s.wantEarlier {
			t.Errorf("step %d (%v %q at %v): report=%v earlier=%d, want %v %d", i, s.kind, s.origin, s.at, got, earlier, s.wantReport, s.wantEarlier)
		}
	}
}

func TestReporterStaysBoundedUnderManyOrigins(t *testing.T) {
	var rp reporter
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reports := 0
	for i := range 10 * maxReportKeys {
		if ok, _ := rp.admit(RefusedWebPage, "https://evil"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+".example/"+string(rune(i)), t0, time.Minute); ok {
			reports++
		}
	}
	if len(rp.keys) > maxReportKeys+1 {
		t.Errorf("%d keys kept, want at most %d", len(rp.keys), maxReportKeys+1)
	}
	if reports > maxReportKeys+1 {
		t.Errorf("%d reports for one flood, want at most %d", reports, maxReportKeys+1)
	}
}

func BenchmarkJudge(b *testing.B) {
	p := mustPolicy(b, ConfirmUntrusted, "https://crm.example", "https://other.example", "chrome-extension://abc")
	r := httptest.NewRequest("GET", "/?action=make_call&target=1", nil)
	r.Header.Set("Origin", "https://evil.example")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	b.ReportAllocs()
	for b.Loop() {
		if v := p.Judge(r, true); !v.Confirm {
			b.Fatal("not confirmed")
		}
	}
}

func BenchmarkRefusedRequest(b *testing.B) {
	p := mustPolicy(b, ConfirmNever, "https://crm.example")
	l := NewListener(ListenerOptions{Policy: p, Switches: Switches{Enabled: true, Incoming: true, MakeCall: true}, Dial: &DialService{}})
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "http://127.0.0.1:61234/?action=make_call&target=0301234", nil)
		r.RemoteAddr = "127.0.0.1:50000"
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		w := httptest.NewRecorder()
		l.ServeHTTP(w, r)
		if w.Code != http.StatusForbidden {
			b.Fatalf("status %d", w.Code)
		}
	}
}
