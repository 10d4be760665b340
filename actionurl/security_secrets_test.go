package actionurl

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// Canary passwords: if either string shows up in a log line, an answer, an
// error or a report, a secret leaked.
const (
	canaryListener = "CANARY-listener-7f3a9c1e"
	canaryPhone    = "CANARY-phone-b41e0d55"
)

// leakWatch collects every text the outside world could see.
type leakWatch struct {
	mu    sync.Mutex
	texts []string
}

func (lw *leakWatch) add(what string, s string) {
	lw.mu.Lock()
	lw.texts = append(lw.texts, what+": "+s)
	lw.mu.Unlock()
}

func (lw *leakWatch) response(what string, res *http.Response, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s\n", res.StatusCode, body)
	for k, vs := range res.Header {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	lw.add(what, b.String())
}

func (lw *leakWatch) check(t *testing.T) {
	t.Helper()
	lw.mu.Lock()
	defer lw.mu.Unlock()
	for _, s := range lw.texts {
		for _, c := range []string{canaryListener, canaryPhone, "CANARY"} {
			if strings.Contains(s, c) {
				t.Errorf("a secret leaked into %s", s)
			}
		}
	}
}

// panickyPhone is a phone driver bug: it panics with a value that carries
// the phone's password, as careless code might.
type panickyPhone struct {
	phone.Driver
	runtime bool
}

func (p panickyPhone) Dial(ctx context.Context, o phone.DialOptions) error {
	if p.runtime {
		var m map[string]int
		m[canaryPhone]++ // a runtime error: assignment to entry in nil map
	}
	panic(fmt.Errorf("driver state: password=%s", canaryPhone))
}

// TestSecretsNeverLeak runs the listener with listener credentials and a
// phone password that are canary strings, drives successes and every kind
// of failure, and looks for the canaries in every log line, answer, error,
// confirmation question and refusal report.
func TestSecretsNeverLeak(t *testing.T) {
	lw := &leakWatch{}
	fc := &fakeConfirmer{decision: Decision{Allow: true}}
	basic := func(pw string) http.Header {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetBasicAuth("desk", pw)
		return http.Header{"Authorization": r.Header["Authorization"]}
	}
	withOrigin := func(h http.Header, origin string) http.Header {
		h = h.Clone()
		h.Set("Origin", origin)
		return h
	}
	steps := []struct {
		name, target string
		hdr          http.Header
		wantStatus   int
	}{
		{"Basic success", "/command.htm?number=0301", basic(canaryListener), 200},
		{"Grandstream query password success", "/cgi-bin/api-make_call?phonenumber=0302&password=" + canaryListener, nil, 200},
		{"Grandstream passcode success", "/cgi-bin/api-make_call?phonenumber=0303&passcode=" + canaryListener, nil, 200},
		{"no credentials", "/command.htm?number=0304", nil, 401},
		{"wrong Basic password", "/command.htm?number=0305", basic("wrong"), 401},
		{"wrong query password", "/cgi-bin/api-make_call?phonenumber=0306&password=wrong", nil, 401},
		{"bad number with the right password", "/cgi-bin/api-make_call?phonenumber=abc&password=" + canaryListener, nil, 400},
		{"premium number with the right password", "/cgi-bin/api-make_call?phonenumber=0900123&password=" + canaryListener, nil, 403},
		{"web page with the right password", "/cgi-bin/api-make_call?phonenumber=0307&password=" + canaryListener, http.Header{"Sec-Fetch-Site": {"cross-site"}, "Referer": {"https://evil.example/?pw=" + canaryListener}}, 200},
		{"foreign origin with Basic", "/command.htm?number=0308", withOrigin(basic(canaryListener), "https://evil.example"), 200},
		{"foreign Host with the password", "/cgi-bin/api-make_call?phonenumber=0309&password=" + canaryListener, http.Header{"Host": {"evil.example:1"}}, 400},
		{"unknown path with the password", "/cgi-bin/api-reboot?password=" + canaryListener, nil, 404},
	}
	r := newAttackRig(t, attackOptions{username: "desk", password: canaryListener, phonePassword: canaryPhone, canConfirm: true, confirmer: fc})
	for _, s := range steps {
		res, body := r.do(t, "GET", s.target, s.hdr, "")
		if res.StatusCode != s.wantStatus {
			t.Errorf("%s: status %d %q, want %d", s.name, res.StatusCode, body, s.wantStatus)
		}
		lw.response(s.name, res, body)
	}
	if d := len(r.sim.Dialed()); d != 5 {
		t.Errorf("the phone dialed %d times, want 5 (the successes and the two confirmed pages)", d)
	}

	// The phone refuses the driver's password (which is the canary).
	wrongPhone := newAttackRig(t, attackOptions{phonePassword: "other", driverPassword: canaryPhone})
	res, body := wrongPhone.do(t, "GET", "/command.htm?number=0301", nil, "")
	if res.StatusCode != 502 {
		t.Errorf("phone refusing the password: %d %q", res.StatusCode, body)
	}
	lw.response("phone refuses", res, body)
	// The phone is gone.
	down := newAttackRig(t, attackOptions{phonePassword: canaryPhone})
	down.sim.Close()
	res, body = down.do(t, "GET", "/command.htm?number=0301", nil, "")
	if res.StatusCode != 502 {
		t.Errorf("phone down: %d %q", res.StatusCode, body)
	}
	lw.response("phone down", res, body)
	// A driver that panics, with the password in the panic value and in a
	// runtime error's map key.
	for _, rt := range []bool{false, true} {
		crash := newAttackRig(t, attackOptions{phonePassword: canaryPhone, wrap: func(d phone.Driver) phone.Driver { return panickyPhone{Driver: d, runtime: rt} }})
		res, body = crash.do(t, "GET", "/command.htm?number=0301", nil, "")
		if res.StatusCode != 500 || !strings.Contains(body, "internal error") {
			t.Errorf("panicking driver: %d %q", res.StatusCode, body)
		}
		lw.response("panic", res, body)
		if !strings.Contains(crash.logs.String(), "internal error while handling a request") {
			t.Errorf("the panic was not logged")
		}
		lw.add("crash log", crash.logs.String())
		// The listener survives its handler's panic.
		crash.do(t, "GET", "/favicon.ico", nil, "")
	}
	// The control API: a dial, a wrong token.
	c := control.NewClient(control.File{URL: r.base, Token: r.token}, r.client)
	if _, err := c.Dial(context.Background(), control.DialCommand{Number: "0310"}); err != nil {
		t.Errorf("control dial: %v", err)
	}
	_, err := control.NewClient(control.File{URL: r.base, Token: "wrong"}, r.client).Dial(context.Background(), control.DialCommand{Number: "0311"})
	lw.add("control error", fmt.Sprint(err))

	for _, rig := range []*attackRig{r, wrongPhone, down} {
		lw.add("log", rig.logs.String())
		for _, rep := range rig.refusals() {
			lw.add("report", fmt.Sprintf("%+v", rep))
		}
	}
	for _, q := range fc.questions() {
		lw.add("confirmation", fmt.Sprintf("%+v", q))
	}
	if !strings.Contains(r.logs.String(), "dialed") || !strings.Contains(wrongPhone.logs.String(), "refused the user name or password") {
		t.Fatalf("the logs are not being captured:\n%s", r.logs.String())
	}
	lw.check(t)
}
