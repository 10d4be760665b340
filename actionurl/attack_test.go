package actionurl

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// The attack suite: each attack is sent to a listener in front of a simulated
// phone, and must leave the phone untouched, while a legitimate local client
// in the same run still dials. The headers are those the browsers send:
// Sec-Fetch-Site and Origin, which headless Chromium shows in browser_test.go
// (a no-cors GET carries no Origin at all).
func TestAttacksNeverReachThePhone(t *testing.T) {
	type attack struct {
		name string
		// text is the raw request; {port} stands for the listener's port.
		text       string
		wantStatus int
		wantReason string
		// wantReport is the kind of refusal the person is told about, or -1.
		wantReport RefusalKind
	}
	const none = RefusalKind(-1)
	host := "Host: 127.0.0.1:{port}"
	chromeUA := "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	attacks := []attack{
		// Cross-site requests a page can send without any permission.
		{"cross-site image", rawGet("/?action=make_call&target=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: image", "Referer: https://evil.example/promo?session=abc"),
			403, "https://evil.example may not make this phone dial", RefusedWebPage},
		{"cross-site top-level navigation", rawGet("/command.htm?number=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Sec-Fetch-User: ?1"),
			403, "may not make this phone dial", RefusedWebPage},
		{"cross-site navigation in an iframe", rawGet("/servlet?key=number=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: iframe"),
			403, "may not make this phone dial", RefusedWebPage},
		{"fetch no-cors (no Origin at all)", rawGet("/?action=make_call&target=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: empty"),
			403, "may not make this phone dial", RefusedWebPage},
		{"fetch cors from a foreign origin", rawGet("/?action=make_call&target=204", host, chromeUA, "Origin: https://evil.example", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors"),
			403, "https://evil.example may not make this phone dial", RefusedWebPage},
		{"form POST", "POST /command.htm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnumber=204",
			403, "https://evil.example may not make this phone dial", RefusedWebPage},
		{"form POST as text/plain", "POST /command.htm?number=204 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnumber=204",
			403, "may not make this phone dial", RefusedWebPage},
		{"Origin null (sandboxed frame)", rawGet("/?action=make_call&target=204", host, "Origin: null", "Sec-Fetch-Site: cross-site"),
			403, "null may not make this phone dial", RefusedWebPage},
		{"Origin null without Sec-Fetch-Site", rawGet("/?action=make_call&target=204", host, "Origin: null"),
			403, "may not make this phone dial", RefusedWebPage},
		{"same-site page on another loopback port", rawGet("/?action=make_call&target=204", host, "Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: no-cors"),
			403, "may not make this phone dial", RefusedWebPage},
		{"old browser without Sec-Fetch, with Referer", rawGet("/?action=make_call&target=204", host, "User-Agent: Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/15.6 Safari/605.1.15", "Referer: https://evil.example/"),
			403, "https://evil.example may not make this phone dial", RefusedWebPage},
		{"old browser with no-referrer policy", rawGet("/?action=make_call&target=204", host, "User-Agent: Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/15.6 Safari/605.1.15"),
			403, "may not make this phone dial", RefusedWebPage},
		{"a click on a foreign page", rawGet("/?action=make_call&target=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Sec-Fetch-User: ?1", "Referer: https://evil.example/"),
			403, "https://evil.example may not make this phone dial", RefusedWebPage},
		{"an allowed page's link without a click", rawGet("/?action=make_call&target=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Referer: https://crm.example/"),
			403, "https://crm.example may not make this phone dial", RefusedWebPage},
		{"an allowed page's link opened in a frame", rawGet("/?action=make_call&target=204", host, chromeUA, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: iframe", "Sec-Fetch-User: ?1", "Referer: https://crm.example/"),
			403, "may not make this phone dial", RefusedWebPage},
		{"look-alike of an allowed origin", rawGet("/?action=make_call&target=204", host, "Origin: https://crm.example.evil.example", "Sec-Fetch-Site: cross-site"),
			403, "may not make this phone dial", RefusedWebPage},
		{"allowed host, other scheme", rawGet("/?action=make_call&target=204", host, "Origin: http://crm.example", "Sec-Fetch-Site: cross-site"),
			403, "may not make this phone dial", RefusedWebPage},
		{"allowed host, other port", rawGet("/?action=make_call&target=204", host, "Origin: https://crm.example:8443", "Sec-Fetch-Site: cross-site"),
			403, "may not make this phone dial", RefusedWebPage},
		{"two Origin headers", rawGet("/?action=make_call&target=204", host, "Origin: https://crm.example", "Origin: https://evil.example"),
			403, "may not make this phone dial", RefusedWebPage},
		{"preflight from a foreign origin", "OPTIONS /?action=make_call&target=204 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Private-Network: true\r\nConnection: close\r\n\r\n",
			403, "this origin may not dial", none},
		{"control API from a page that guessed the token", "POST /api/v1/dial HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAuthorization: Bearer guessed\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"number\":\"204\"}\n",
			403, "not for web pages", none},

		// DNS rebinding: the page is same-origin with a name that
		// resolves to 127.0.0.1, so the Host header is the attacker's.
		{"rebinding Host", rawGet("/?action=make_call&target=204", "Host: evil.example:{port}"), 400, "does not name this listener", RefusedHost},
		{"look-alike Host 127.0.0.1.evil.example", rawGet("/?action=make_call&target=204", "Host: 127.0.0.1.evil.example:{port}"), 400, "does not name this listener", RefusedHost},
		{"look-alike Host localhost.evil.example", rawGet("/?action=make_call&target=204", "Host: localhost.evil.example:{port}"), 400, "does not name this listener", RefusedHost},
		{"Host with trailing dot", rawGet("/?action=make_call&target=204", "Host: localhost.:{port}"), 400, "does not name this listener", RefusedHost},
		{"Host without port", rawGet("/?action=make_call&target=204", "Host: 127.0.0.1"), 400, "does not name this listener", RefusedHost},
		{"Host with another loopback address", rawGet("/?action=make_call&target=204", "Host: 127.0.0.2:{port}"), 400, "does not name this listener", RefusedHost},
		{"Host as a decimal address", rawGet("/?action=make_call&target=204", "Host: 2130706433:{port}"), 400, "does not name this listener", RefusedHost},
		{"Host as mapped IPv6", rawGet("/?action=make_call&target=204", "Host: [::ffff:127.0.0.1]:{port}"), 400, "does not name this listener", RefusedHost},
		{"Host with a port suffix", rawGet("/?action=make_call&target=204", "Host: 127.0.0.1:{port}.evil.example"), 400, "does not name this listener", RefusedHost},
		{"empty Host, HTTP/1.0", "GET /?action=make_call&target=204 HTTP/1.0\r\n\r\n", 400, "does not name this listener", RefusedHost},
		{"empty Host header", "GET /?action=make_call&target=204 HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n", 400, "does not name this listener", RefusedHost},
		{"missing Host, HTTP/1.1", "GET /?action=make_call&target=204 HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "", none},
		{"rebound page, right Host, same-origin", rawGet("/?action=make_call&target=204", host, "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors"),
			403, "a page claiming to be this listener", RefusedWebPage},

		// Toll fraud: premium numbers from a client that is trusted.
		{"premium number, Snom format", rawGet("/command.htm?number=09001234567", host), 403, `the rule "0900*"`, RefusedBlocked},
		{"premium number with separators", rawGet("/?action=make_call&target=0900-123%20456", host), 403, `the rule "0900*"`, RefusedBlocked},
		{"premium number, Yealink, escaped", rawGet("/servlet?key=number=%30900123456", host), 403, `the rule "0900*"`, RefusedBlocked},
		{"premium number from an allowed origin", rawGet("/?action=make_call&target=09001234567", host, "Origin: https://crm.example", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors"),
			403, `the rule "0900*"`, RefusedBlocked},

		// Size limits.
		{"oversized headers", rawGet("/command.htm?number=204", host, "X-Pad: "+strings.Repeat("a", 20<<10)), 431, "", none},
		{"oversized URL", rawGet("/command.htm?number=204&pad="+strings.Repeat("b", 20<<10), host), 431, "", none},
		{"oversized body", "POST /command.htm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\nConnection: close\r\n\r\nnumber=204&" + strings.Repeat("x", 9989),
			413, "larger than 4096 bytes", none},
		{"oversized chunked body", "POST /command.htm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk("number=204&"+strings.Repeat("x", 8000)) + "0\r\n\r\n",
			413, "larger than 4096 bytes", none},
		{"oversized control API body", "POST /api/v1/dial HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n" + strings.Repeat(" ", 70000),
			413, "larger than 65536 bytes", none},
		{"oversized number", rawGet("/command.htm?number="+strings.Repeat("1", 100), host), 400, "too many digits", none},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			r := newAttackRig(t, attackOptions{})
			text := strings.ReplaceAll(a.text, "{port}", strconv.Itoa(r.port))
			res, body := r.raw(t, text)
			if res.StatusCode != a.wantStatus || !strings.Contains(body, a.wantReason) {
				t.Errorf("got %d %q, want %d containing %q", res.StatusCode, body, a.wantStatus, a.wantReason)
			}
			for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Private-Network"} {
				if v := res.Header.Get(h); v != "" && a.wantReport != RefusedBlocked {
					t.Errorf("%s: %q on a refused request", h, v)
				}
			}
			if strings.Contains(body, "session=abc") || strings.Contains(r.logs.String(), "session=abc") {
				t.Errorf("the page's path and query leaked into the answer or the log")
			}
			r.phoneUntouched(t)
			reps := r.refusals()
			switch {
			case a.wantReport == none && len(reps) != 0:
				t.Errorf("reported %+v, want no report", reps)
			case a.wantReport != none && (len(reps) != 1 || reps[0].Kind != a.wantReport):
				t.Errorf("reported %+v, want one %v report", reps, a.wantReport)
			}
			r.legitDial(t, "0301234567")
		})
	}
}

func chunk(s string) string { return fmt.Sprintf("%x\r\n%s\r\n", len(s), s) }

// TestAttackNoWildcardEver: whatever the request, the listener never
// answers with a wildcard or someone else's origin.
func TestAttackNoWildcardEver(t *testing.T) {
	r := newAttackRig(t, attackOptions{origins: []string{"https://crm.example", "chrome-extension://abcdefghijklmnop"}})
	origins := []string{"", "*", "null", "https://evil.example", "https://crm.example", "https://CRM.example", "chrome-extension://abcdefghijklmnop", "https://crm.example.evil.example"}
	for _, method := range []string{"GET", "POST", "OPTIONS"} {
		for _, o := range origins {
			hdr := http.Header{"Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Private-Network": {"true"}}
			if o != "" {
				hdr.Set("Origin", o)
			}
			res, _ := r.do(t, method, "/?action=make_call&target=0301", hdr, "")
			acao := res.Header.Get("Access-Control-Allow-Origin")
			if acao == "*" || (acao != "" && acao != o) {
				t.Errorf("%s with Origin %q: Access-Control-Allow-Origin %q", method, o, acao)
			}
			if acao != "" && o != "https://crm.example" && o != "https://CRM.example" && o != "chrome-extension://abcdefghijklmnop" {
				t.Errorf("%s with Origin %q: allowed although not in allowed_origins", method, o)
			}
			if pna := res.Header.Get("Access-Control-Allow-Private-Network"); pna != "" && acao == "" {
				t.Errorf("%s with Origin %q: Private Network Access granted without CORS", method, o)
			}
			if !strings.Contains(res.Header.Get("Vary"), "Origin") {
				t.Errorf("%s with Origin %q: no Vary: Origin", method, o)
			}
		}
	}
}

// TestAttackBurstIsLimitedAndReportedOnce: fifty dials at once from a
// trusted program get five through (the burst), 429 for the rest, and one
// notification; the person's own dial still goes through, and the limit
// refills with time.
func TestAttackBurstIsLimitedAndReportedOnce(t *testing.T) {
	r := newAttackRig(t, attackOptions{limit: rate.NewLimiter(rate.Every(3*time.Second), 5)})
	const n = 50
	counts := map[int]int{}
	for _, s := range r.dialAtOnce(t, n, "0301%04d")() {
		counts[s]++
	}
	if counts[200] != 5 || counts[429] != n-5 {
		t.Errorf("statuses %v, want 5×200 and %d×429", counts, n-5)
	}
	if d := len(r.sim.Dialed()); d != 5 {
		t.Errorf("the phone dialed %d times, want 5", d)
	}
	reps := r.refusals()
	if len(reps) != 1 || reps[0].Kind != RefusedRate {
		t.Fatalf("reports %+v, want exactly one rate-limit report", reps)
	}

	// The person typing a number is not limited.
	if _, err := control.NewClient(control.File{URL: r.base, Token: r.token}, r.client).Dial(context.Background(), control.DialCommand{Number: "0301999", Typed: true}); err != nil {
		t.Fatalf("typed dial during the burst: %v", err)
	}
	// A program is, until the limit refills.
	if res, body := r.do(t, "GET", "/command.htm?number=0301888", nil, ""); res.StatusCode != 429 {
		t.Fatalf("dial right after the burst: %d %q, want 429", res.StatusCode, body)
	}
	r.clock.Advance(3 * time.Second)
	r.legitDial(t, "0301777")
	if got := len(r.refusals()); got != 1 {
		t.Errorf("%d reports after the burst went on, want still 1", got)
	}
	// A new burst after a quiet minute is reported again, with the count
	// of what was swallowed.
	r.clock.Advance(2 * time.Minute)
	for range 6 {
		res, _ := r.do(t, "GET", "/command.htm?number=0301666", nil, "")
		_ = res
	}
	reps = r.refusals()
	if len(reps) != 2 || reps[1].Earlier != n-5 {
		t.Errorf("reports %+v, want a second one counting %d earlier refusals", reps, n-5)
	}
}

// TestAttackSlowlorisNeverStarvesADial: connections that dribble their
// headers or bodies fill every slot of the connection cap, with timeouts
// far beyond the test's life, so only the cap's eviction can let the
// legitimate client in. It must dial, and the cap must hold.
func TestAttackSlowlorisNeverStarvesADial(t *testing.T) {
	const maxConns = 8
	r := newAttackRig(t, attackOptions{limits: Limits{MaxConns: maxConns, HeaderTimeout: time.Hour, ReadTimeout: time.Hour}})
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range 5 * maxConns {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if i%2 == 0 {
			// Headers that never end.
			fmt.Fprintf(c, "GET /command.htm?number=0900111 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: a", r.port)
		} else {
			// A body that never ends.
			fmt.Fprintf(c, "POST /command.htm HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nnumber=09", r.port)
		}
	}
	r.legitDial(t, "0301234567")
	r.legitDial(t, "0301234568")
	if d := r.sim.Dialed(); len(d) != 2 {
		t.Errorf("the phone dialed %v, want only the two legitimate numbers", d)
	}
	if r.wire.n.Load() > 4 {
		t.Errorf("%d requests went to the phone for two dials", r.wire.n.Load())
	}
}

// TestAttackBusySlotsAnswer503: when every connection is busy with a real
// request (a slow phone), a newcomer is answered at once with 503 instead
// of waiting in the kernel's queue; once the phone answers, dials work.
func TestAttackBusySlotsAnswer503(t *testing.T) {
	const maxConns = 2
	gp := &gatedPhone{entered: make(chan struct{}, maxConns), gate: make(chan struct{})}
	r := newAttackRig(t, attackOptions{limits: Limits{MaxConns: maxConns}, wrap: func(d phone.Driver) phone.Driver {
		gp.Driver = d
		return gp
	}})
	wait := r.dialAtOnce(t, maxConns, "030100%d")
	for range maxConns {
		<-gp.entered
	}
	res, body := r.raw(t, rawGet("/command.htm?number=0301999", fmt.Sprintf("Host: 127.0.0.1:%d", r.port)))
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "busy") {
		t.Errorf("newcomer while all slots work: %d %q, want 503", res.StatusCode, body)
	}
	close(gp.gate)
	for _, s := range wait() {
		if s != 200 {
			t.Errorf("slow dial: status %d, want 200", s)
		}
	}
	if d := r.sim.Dialed(); len(d) != maxConns {
		t.Errorf("the phone dialed %v, want the %d slow dials", d, maxConns)
	}
	go func() {
		for range gp.entered {
		}
	}()
	r.legitDial(t, "0301234567")
}

// dialAtOnce sends n dial requests at once, the i-th for the number
// fmt.Sprintf(number, i); the returned wait gives their statuses, in that
// order, once every request is answered.
func (r *attackRig) dialAtOnce(t *testing.T, n int, number string) (wait func() []int) {
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := r.client.Get(r.base + "/command.htm?number=" + fmt.Sprintf(number, i))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	return func() []int {
		wg.Wait()
		return statuses
	}
}
