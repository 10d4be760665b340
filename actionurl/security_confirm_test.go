package actionurl

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestConfirmFlow: which requests are shown to the person, and what their
// answer does, for each listener.confirm mode. The fake confirmer stands in
// for the person at the screen.
func TestConfirmFlow(t *testing.T) {
	web := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
	imgWeb := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Referer": {"https://evil.example/page"}}
	allowed := http.Header{"Origin": {"https://crm.example"}, "Sec-Fetch-Site": {"cross-site"}}
	user := http.Header{"Sec-Fetch-Site": {"none"}}
	crmLink := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Sec-Fetch-Mode": {"navigate"}, "Sec-Fetch-Dest": {"document"},
		"Sec-Fetch-User": {"?1"}, "Referer": {"https://crm.example/"}}
	yes, no, unanswered := Decision{Allow: true}, Decision{}, Decision{Unanswered: time.Minute}
	tests := []struct {
		name       string
		mode       string
		hdr        http.Header
		decision   Decision
		wantAsked  bool
		wantStatus int
		wantReason string
	}{
		{"untrusted: web page, person agrees", ConfirmUntrusted, web, yes, true, 200, ""},
		{"untrusted: web page, person refuses", ConfirmUntrusted, web, no, true, 403, "refused by the person"},
		{"untrusted: web page, nobody answers", ConfirmUntrusted, web, unanswered, true, 403, "not confirmed within 60 s"},
		{"untrusted: image request, person agrees", ConfirmUntrusted, imgWeb, yes, true, 200, ""},
		{"untrusted: local program not asked", ConfirmUntrusted, nil, no, false, 200, ""},
		{"untrusted: address bar not asked", ConfirmUntrusted, user, no, false, 200, ""},
		{"untrusted: allowed origin not asked", ConfirmUntrusted, allowed, no, false, 200, ""},
		{"untrusted: link clicked on the allowed CRM not asked", ConfirmUntrusted, crmLink, no, false, 200, ""},
		{"never: link clicked on the allowed CRM dials", ConfirmNever, crmLink, no, false, 200, ""},
		{"always: local program asked", ConfirmAlways, nil, no, true, 403, "refused by the person"},
		{"always: allowed origin asked", ConfirmAlways, allowed, yes, true, 200, ""},
		{"always: address bar asked", ConfirmAlways, user, yes, true, 200, ""},
		{"never: web page refused, not asked", ConfirmNever, web, yes, false, 403, "may not make this phone dial"},
		{"never: local program not asked", ConfirmNever, nil, no, false, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := &fakeConfirmer{decision: tt.decision}
			r := newAttackRig(t, attackOptions{confirm: tt.mode, canConfirm: true, confirmer: fc})
			res, body := r.do(t, "GET", "/command.htm?number=0301234", tt.hdr, "")
			if res.StatusCode != tt.wantStatus || !strings.Contains(body, tt.wantReason) {
				t.Errorf("got %d %q, want %d containing %q", res.StatusCode, body, tt.wantStatus, tt.wantReason)
			}
			asked := fc.questions()
			if (len(asked) == 1) != tt.wantAsked || len(asked) > 1 {
				t.Fatalf("person asked %d times, want asked=%v", len(asked), tt.wantAsked)
			}
			if tt.wantStatus == 200 {
				if d := r.sim.Dialed(); len(d) != 1 || d[0].Number != "0301234" {
					t.Errorf("phone dialed %v", d)
				}
			} else {
				r.phoneUntouched(t)
			}
			if len(asked) == 1 {
				q := asked[0]
				if q.Number != "0301234" || q.Dial != "0301234" || q.Reason == "" {
					t.Errorf("the person was shown %+v", q)
				}
				if tt.hdr.Get("Origin") == "https://evil.example" && (q.Origin != "https://evil.example" || !q.CanRemember) {
					t.Errorf("a web page's exact origin must be shown and rememberable: %+v", q)
				}
				if tt.hdr.Get("Referer") != "" && (q.Origin != "https://evil.example" || q.CanRemember) {
					t.Errorf("a Referer is shown but never rememberable: %+v", q)
				}
			}
		})
	}
}

func TestConfirmRememberAlwaysAllow(t *testing.T) {
	var mu sync.Mutex
	var remembered []string
	fc := &fakeConfirmer{decision: Decision{Allow: true, Remember: true}}
	r := newAttackRig(t, attackOptions{canConfirm: true, confirmer: fc, remember: func(o string) error {
		mu.Lock()
		defer mu.Unlock()
		remembered = append(remembered, o)
		return nil
	}})
	res, body := r.do(t, "GET", "/command.htm?number=0301", http.Header{"Origin": {"HTTPS://Intranet.example:443"}}, "")
	if res.StatusCode != 200 {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
	// A Referer-only request asks, but cannot be remembered.
	res, body = r.do(t, "GET", "/command.htm?number=0302", http.Header{"Sec-Fetch-Site": {"cross-site"}, "Referer": {"https://other.example/"}}, "")
	if res.StatusCode != 200 {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(remembered) != 1 || remembered[0] != "https://intranet.example" {
		t.Errorf("remembered %q, want exactly the canonical origin https://intranet.example", remembered)
	}
}

func TestConfirmRememberNeverStopsAsking(t *testing.T) {
	fc := &fakeConfirmer{decision: Decision{Allow: false, Remember: true}}
	r := newAttackRig(t, attackOptions{canConfirm: true, confirmer: fc})
	evil := http.Header{"Origin": {"https://evil.example"}}
	for i := range 3 {
		res, body := r.do(t, "GET", "/command.htm?number=0301", evil, "")
		if res.StatusCode != 403 {
			t.Fatalf("request %d: %d %q", i, res.StatusCode, body)
		}
		if i > 0 && !strings.Contains(body, "chose to never let https://evil.example dial") {
			t.Errorf("request %d: %q", i, body)
		}
	}
	if n := len(fc.questions()); n != 1 {
		t.Errorf("asked %d times, want once", n)
	}
	// Another page is still asked.
	r.do(t, "GET", "/command.htm?number=0301", http.Header{"Origin": {"https://other.example"}}, "")
	if n := len(fc.questions()); n != 2 {
		t.Errorf("asked %d times, want twice", n)
	}
	r.phoneUntouched(t)
}

// TestConfirmOneQuestionAtATime: while the person is being asked, further
// doubtful requests are refused at once (429) instead of stacking windows,
// and that is reported once.
func TestConfirmOneQuestionAtATime(t *testing.T) {
	fc := &fakeConfirmer{decision: Decision{Allow: true}, hold: make(chan struct{}), waiting: make(chan struct{}, 1)}
	r := newAttackRig(t, attackOptions{canConfirm: true, confirmer: fc})
	evil := http.Header{"Origin": {"https://evil.example"}}
	done := make(chan int)
	go func() {
		res, _ := r.do(t, "GET", "/command.htm?number=0301", evil, "")
		done <- res.StatusCode
	}()
	<-fc.waiting
	for range 5 {
		res, body := r.do(t, "GET", "/command.htm?number=0302", evil, "")
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "waiting for the person's answer") {
			t.Errorf("second request: %d %q, want 429", res.StatusCode, body)
		}
	}
	// A trusted program is not held up by the open question.
	r.legitDial(t, "0309")
	close(fc.hold)
	if s := <-done; s != 200 {
		t.Errorf("the confirmed request: status %d", s)
	}
	reps := r.refusals()
	if len(reps) != 1 || reps[0].Kind != RefusedBusy {
		t.Errorf("reports %+v, want one busy report", reps)
	}
	if d := r.sim.Dialed(); len(d) != 2 {
		t.Errorf("phone dialed %v, want the program's and the confirmed number", d)
	}
}

// TestConfirmOutlivesReadTimeout: the read timeout is for slow senders; a
// request waiting for the person's answer must not be canceled by it.
func TestConfirmOutlivesReadTimeout(t *testing.T) {
	const readTimeout = 100 * time.Millisecond
	person := confirmerFunc(func(ctx context.Context, _ ConfirmRequest) (Decision, error) {
		// The person takes ten read timeouts to decide.
		select {
		case <-time.After(10 * readTimeout):
			return Decision{Allow: true}, nil
		case <-ctx.Done():
			return Decision{}, ctx.Err()
		}
	})
	r := newAttackRig(t, attackOptions{canConfirm: true, confirmer: person, limits: Limits{ReadTimeout: readTimeout, HeaderTimeout: readTimeout}})
	res, body := r.do(t, "GET", "/command.htm?number=0301", http.Header{"Origin": {"https://evil.example"}}, "")
	if res.StatusCode != 200 {
		t.Fatalf("%d %q: the wait for the person was cut short", res.StatusCode, body)
	}
}

type confirmerFunc func(context.Context, ConfirmRequest) (Decision, error)

func (f confirmerFunc) Confirm(ctx context.Context, r ConfirmRequest) (Decision, error) {
	return f(ctx, r)
}

func TestConfirmWindowFailureRefuses(t *testing.T) {
	fc := &fakeConfirmer{decision: Decision{Allow: true}, err: errors.New("the window could not open: no display")}
	r := newAttackRig(t, attackOptions{canConfirm: true, confirmer: fc})
	res, body := r.do(t, "GET", "/command.htm?number=0301", http.Header{"Origin": {"https://evil.example"}}, "")
	if res.StatusCode != 403 || !strings.Contains(body, "no display") {
		t.Errorf("%d %q, want 403 naming the failure", res.StatusCode, body)
	}
	r.phoneUntouched(t)
}

// TestConfirmControlAPI: the control API follows the same modes: with
// "always" a program's dial is shown to the person, a typed one is not.
func TestConfirmControlAPI(t *testing.T) {
	fc := &fakeConfirmer{decision: Decision{Allow: true}}
	r := newAttackRig(t, attackOptions{confirm: ConfirmAlways, canConfirm: true, confirmer: fc})
	c := control.NewClient(control.File{URL: r.base, Token: r.token}, r.client)
	if _, err := c.Dial(context.Background(), control.DialCommand{Number: "0301", Source: "tel: link"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dial(context.Background(), control.DialCommand{Number: "0302", Typed: true}); err != nil {
		t.Fatal(err)
	}
	q := fc.questions()
	if len(q) != 1 || q[0].Origin != "tel: link" || q[0].Trust != TrustLocalApp || q[0].CanRemember {
		t.Errorf("asked %+v, want one question about the tel: link", q)
	}

	// Headless with "always": nobody to ask, so a program's dial is refused
	// and the person's typed one goes through.
	h := newAttackRig(t, attackOptions{confirm: ConfirmAlways})
	hc := control.NewClient(control.File{URL: h.base, Token: h.token}, h.client)
	if _, err := hc.Dial(context.Background(), control.DialCommand{Number: "0301"}); err == nil || !strings.Contains(err.Error(), "no one is at the screen") {
		t.Errorf("headless always: err = %v", err)
	}
	if _, err := hc.Dial(context.Background(), control.DialCommand{Number: "0302", Typed: true}); err != nil {
		t.Errorf("typed: %v", err)
	}
	// Typed numbers skip the blocked list; programs do not.
	if _, err := hc.Dial(context.Background(), control.DialCommand{Number: "09001", Typed: true}); err != nil {
		t.Errorf("typed premium: %v", err)
	}
	r2 := newAttackRig(t, attackOptions{})
	c2 := control.NewClient(control.File{URL: r2.base, Token: r2.token}, r2.client)
	if _, err := c2.Dial(context.Background(), control.DialCommand{Number: "09001", Source: "tel: link"}); err == nil || !strings.Contains(err.Error(), `the rule "0900*"`) {
		t.Errorf("premium from the tel: handler: err = %v", err)
	}
}
