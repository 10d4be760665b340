package actionurl

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// A page's number that the browser extension forwards on the control API
// (with the page's origin) must fare exactly as the same page's own request
// to the listener: the same status, the same question to the person with the
// same origin, the same dial or none. Each case runs both ways on two fresh
// rigs and compares what the phone, the person and the caller saw.
func TestExtensionDialIsJudgedLikeThePagesOwnRequest(t *testing.T) {
	yes, no := Decision{Allow: true}, Decision{}
	tests := []struct {
		mode       string
		canConfirm bool
		origin     string
		number     string
		decision   Decision
		wantStatus int
	}{
		{ConfirmUntrusted, true, "https://shop.example", "0301234", yes, 200},
		{ConfirmUntrusted, true, "https://shop.example", "0301234", no, 403},
		{ConfirmUntrusted, false, "https://shop.example", "0301234", yes, 403},
		{ConfirmUntrusted, false, "https://crm.example", "0301234", no, 200},
		{ConfirmUntrusted, true, "https://crm.example", "0900123456", yes, 403},
		{ConfirmUntrusted, true, "https://shop.example", "0900123456", yes, 403},
		{ConfirmUntrusted, true, "null", "0301234", yes, 200},
		{ConfirmNever, true, "https://shop.example", "0301234", yes, 403},
		{ConfirmNever, true, "https://crm.example", "0301234", no, 200},
		{ConfirmAlways, true, "https://crm.example", "0301234", no, 403},
		{ConfirmAlways, true, "https://crm.example", "0301234", yes, 200},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s canConfirm=%v %s %s allow=%v", tt.mode, tt.canConfirm, tt.origin, tt.number, tt.decision.Allow), func(t *testing.T) {
			type outcome struct {
				status int
				asked  []ConfirmRequest
				dialed int
			}
			run := func(viaExtension bool) outcome {
				fc := &fakeConfirmer{decision: tt.decision}
				r := newAttackRig(t, attackOptions{confirm: tt.mode, canConfirm: tt.canConfirm, confirmer: fc})
				var res *http.Response
				var body string
				if viaExtension {
					b, _ := json.Marshal(control.DialCommand{Number: tt.number, Origin: tt.origin, Source: "browser extension"})
					res, body = r.do(t, "POST", "/api/v1/dial", http.Header{"Authorization": {"Bearer " + r.token}}, string(b))
				} else {
					res, body = r.do(t, "GET", "/command.htm?number="+url.QueryEscape(tt.number),
						http.Header{"Origin": {tt.origin}, "Sec-Fetch-Site": {"cross-site"}}, "")
				}
				if res.StatusCode != tt.wantStatus {
					t.Errorf("extension=%v: %d %q, want %d", viaExtension, res.StatusCode, body, tt.wantStatus)
				}
				asked := fc.questions()
				for i := range asked {
					asked[i].Reason = strings.TrimSuffix(asked[i].Reason, " (through the browser extension)")
				}
				return outcome{res.StatusCode, asked, len(r.sim.Dialed())}
			}
			page, ext := run(false), run(true)
			if fmt.Sprint(page) != fmt.Sprint(ext) {
				t.Errorf("the page's own request: %+v\nthrough the extension: %+v", page, ext)
			}
			for _, q := range ext.asked {
				if q.Origin != tt.origin {
					t.Errorf("the person was shown %q, want the page's origin %q", q.Origin, tt.origin)
				}
			}
		})
	}
}

// The rate limit counts a page's numbers from the extension like any
// untyped dial, and a page's number can never claim to be typed.
func TestExtensionDialIsRateLimitedAndNeverTyped(t *testing.T) {
	r := newAttackRig(t, attackOptions{limit: rate.NewLimiter(rate.Every(1<<62), 1)})
	send := func(cmd control.DialCommand) int {
		b, _ := json.Marshal(cmd)
		res, _ := r.do(t, "POST", "/api/v1/dial", http.Header{"Authorization": {"Bearer " + r.token}}, string(b))
		return res.StatusCode
	}
	if got := send(control.DialCommand{Number: "0900123456", Origin: "https://crm.example", Typed: true}); got != http.StatusBadRequest {
		t.Errorf("typed with an origin: %d, want 400", got)
	}
	if got := send(control.DialCommand{Number: "0301", Origin: "https://crm.example"}); got != http.StatusOK {
		t.Errorf("first dial: %d, want 200", got)
	}
	if got := send(control.DialCommand{Number: "0302", Origin: "https://crm.example"}); got != http.StatusTooManyRequests {
		t.Errorf("second dial at once: %d, want 429", got)
	}
	if d := r.sim.Dialed(); len(d) != 1 {
		t.Errorf("the phone dialed %v, want only the first", d)
	}
}
