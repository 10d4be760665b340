package actionurl

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// asWritten are the dialing rules of the listener's policy tests: no
// country, so numbers are dialled as written, and premium-rate 0900
// numbers blocked.
var asWritten = dialplan.Rules{InternalMaxDigits: 4, Blocked: []string{"0900*"}}

// testPrepare is the real reading of numbers, under asWritten.
var testPrepare = PrepareWith(func() dialplan.Rules { return asWritten })

type rig struct {
	sim  brandsim.Dialer
	base string // http://127.0.0.1:PORT
	port int
	l    *Listener
}

type rigOptions struct {
	policy   func(p *Policy)
	switches *Switches
	simOpts  phonesim.Options
	phone    phone.Driver // overrides the Snom driver
	// prepare overrides testPrepare (the benchmark uses the real rules).
	prepare func(number string, typed bool) (string, error)
}

func newRig(t testing.TB, o rigOptions) *rig {
	t.Helper()
	if o.simOpts.Auth == phonesim.AuthNone && o.simOpts.Username == "" {
		o.simOpts = phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret"}
	}
	sim, _, err := brandsim.StartDialer("snom", o.simOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	drv, err := brands.Open(phone.Settings{Brand: "snom", Address: sim.URL(), Username: "admin", Password: "s3cret", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if o.phone != nil {
		drv = o.phone
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	p, err := NewPolicy(port, nil, []string{"https://crm.example"}, "untrusted", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if o.policy != nil {
		o.policy(p)
	}
	sw := Switches{Enabled: true, Incoming: true, MakeCall: true}
	if o.switches != nil {
		sw = *o.switches
	}
	prepare := testPrepare
	if o.prepare != nil {
		prepare = o.prepare
	}
	ds := &DialService{Phone: func() phone.Driver { return drv }, Prepare: prepare}
	l := NewListener(ListenerOptions{Policy: p, Switches: sw, Dial: ds, Control: NewControl("tok", testRoutes(ds))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = l.Serve(ctx, []net.Listener{ln}); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &rig{sim: sim, base: fmt.Sprintf("http://127.0.0.1:%d", port), port: port, l: l}
}

// send makes a request to the listener and returns status and body.
func (r *rig) send(t *testing.T, method, target string, hdr http.Header, body string) (int, string) {
	t.Helper()
	req := testRequest(t, method, r.base+target, hdr, body)
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, b := roundTrip(t, http.DefaultClient, req)
	return res.StatusCode, b
}

// testRequest builds a request carrying exactly the headers in hdr, their
// keys as written, and body; a "Host" entry becomes the request's Host,
// as Go would otherwise send the URL's.
func testRequest(t *testing.T, method, url string, hdr http.Header, body string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	if h := hdr.Get("Host"); h != "" {
		req.Host = h
	}
	return req
}

// roundTrip sends req with c and returns the response with its body read.
func roundTrip(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestEveryDialFormatReachesThePhone(t *testing.T) {
	r := newRig(t, rigOptions{})
	tests := []struct {
		name, method, target, body string
		wantNumber, wantURI        string
	}{
		{"native", "GET", "/?action=make_call&target=123", "", "123", ""},
		{"native, parameters reversed", "GET", "/?target=0301234567&action=make_call", "", "0301234567", ""},
		{"native, %2B", "GET", "/?action=make_call&target=%2B49301234567", "", "+49301234567", ""},
		{"native, raw plus", "GET", "/?action=make_call&target=+49301234567", "", "+49301234567", ""},
		{"native, form-encoded spaces", "GET", "/?action=make_call&target=%2B49+30+1234567", "", "+49301234567", ""},
		{"snom GET", "GET", "/command.htm?number=204", "", "204", ""},
		{"snom GET with outgoing_uri", "GET", "/command.htm?number=204&outgoing_uri=101%40pbx.example", "", "204", "101@pbx.example"},
		{"snom POST", "POST", "/command.htm", "number=0301234567&outgoing_uri=101@pbx.example", "0301234567", "101@pbx.example"},
		{"snom service code, raw", "GET", "/command.htm?number=*21*0301234567%23", "", "*21*0301234567#", ""},
		{"snom service code, escaped", "GET", "/command.htm?number=%2A21%23", "", "*21#", ""},
		{"yealink new", "GET", "/servlet?key=number=%2B4930123456", "", "+4930123456", ""},
		{"yealink new, key not first", "GET", "/servlet?outgoing_uri=7%40pbx&key=number=0301234", "", "0301234", "7@pbx"},
		{"yealink new, escaped =", "GET", "/servlet?key=number%3D0301234", "", "0301234", ""},
		{"yealink old V70", "GET", "/cgi-bin/ConfigManApp.com?number=0301234", "", "0301234", ""},
		{"yealink T38G", "GET", "/cgiServer.exx?number=0301234", "", "0301234", ""},
		{"grandstream", "GET", "/cgi-bin/api-make_call?phonenumber=0301234&account=0&password=x", "", "0301234", "0"},
		{"mia IPv6 style host-less path", "GET", "?action=make_call&target=121", "", "121", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.sim.Reset()
			status, body := r.send(t, tt.method, tt.target, nil, tt.body)
			if status != http.StatusOK {
				t.Fatalf("status = %d (%s), want 200", status, body)
			}
			reqs := r.sim.Requests()
			if len(reqs) != 1 {
				t.Fatalf("phone received %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			want := url.Values{"number": {tt.wantNumber}}
			if tt.wantURI != "" {
				want.Set("outgoing_uri", tt.wantURI)
			}
			if got.Method != "GET" || got.Path != "/command.htm" || got.Query.Encode() != want.Encode() {
				t.Errorf("phone got %s %s?%s, want GET /command.htm?%s", got.Method, got.Path, got.RawQuery, want.Encode())
			}
		})
	}
}

func TestRefusedRequestsNeverReachThePhone(t *testing.T) {
	off := Switches{Enabled: false, Incoming: true, MakeCall: true}
	noIncoming := Switches{Enabled: true, Incoming: false, MakeCall: true}
	noMakeCall := Switches{Enabled: true, Incoming: true, MakeCall: false}
	withCreds := func(p *Policy) { p.Username, p.Password = "desk", "pw" }
	tests := []struct {
		name       string
		o          rigOptions
		method     string
		target     string
		hdr        http.Header
		wantStatus int
		wantReason string
	}{
		{"action URLs off", rigOptions{switches: &off}, "GET", "/?action=make_call&target=1", nil, 403, "action URLs are switched off"},
		{"incoming off", rigOptions{switches: &noIncoming}, "GET", "/command.htm?number=1", nil, 403, "incoming action URLs are switched off"},
		{"make_call off", rigOptions{switches: &noMakeCall}, "GET", "/?action=make_call&target=1", nil, 403, "make_call is switched off"},
		{"foreign host", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Host": {"evil.example:%d"}}, 400, "does not name this listener"},
		{"look-alike host", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Host": {"127.0.0.1.evil.example:%d"}}, 400, "does not name this listener"},
		{"wrong port in host", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Host": {"127.0.0.1:1"}}, 400, "does not name this listener"},
		{"cross-site image", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Sec-Fetch-Site": {"cross-site"}, "Sec-Fetch-Dest": {"image"}}, 403, "may not make this phone dial"},
		{"same-site fetch", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Sec-Fetch-Site": {"same-site"}}, 403, "may not make this phone dial"},
		{"foreign origin", rigOptions{}, "POST", "/command.htm?number=1", http.Header{"Origin": {"https://evil.example"}}, 403, "https://evil.example may not make this phone dial"},
		{"origin null", rigOptions{}, "GET", "/?action=make_call&target=1", http.Header{"Origin": {"null"}}, 403, "may not make this phone dial"},
		{"no credentials", rigOptions{policy: withCreds}, "GET", "/?action=make_call&target=1", nil, 401, "needs the user name and password"},
		{"wrong credentials", rigOptions{policy: withCreds}, "GET", "/?action=make_call&target=1", http.Header{"Authorization": {"Basic ZGVzazp3cm9uZw=="}}, 401, "needs the user name and password"},
		{"bad number", rigOptions{}, "GET", "/?action=make_call&target=abc", nil, 400, "contains no phone number"},
		{"empty number", rigOptions{}, "GET", "/command.htm?number=", nil, 400, "no number given"},
		{"unknown action", rigOptions{}, "GET", "/?action=reboot", nil, 400, "unknown action"},
		{"yealink key event", rigOptions{}, "GET", "/servlet?key=OK", nil, 400, "only key=number=NUMBER dials"},
		{"too long", rigOptions{}, "GET", "/command.htm?number=" + strings.Repeat("1", 65), nil, 400, "too many digits"},
		{"premium number", rigOptions{}, "GET", "/command.htm?number=09001234567", nil, 403, `the rule "0900*"`},
		{"unknown path", rigOptions{}, "GET", "/favicon.ico", nil, 404, "not found"},
		{"bad method", rigOptions{}, "DELETE", "/command.htm?number=1", nil, 405, "use GET or POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.o)
			hdr := http.Header{}
			for k, vs := range tt.hdr {
				for _, v := range vs {
					if strings.Contains(v, "%d") {
						v = fmt.Sprintf(v, r.port)
					}
					hdr.Add(k, v)
				}
			}
			status, body := r.send(t, tt.method, tt.target, hdr, "")
			if status != tt.wantStatus || !strings.Contains(body, tt.wantReason) {
				t.Errorf("got %d %q, want %d containing %q", status, body, tt.wantStatus, tt.wantReason)
			}
			if n := len(r.sim.Requests()); n != 0 {
				t.Errorf("the phone received %d requests, want none", n)
			}
		})
	}
}

func TestCredentialsLikeAPhone(t *testing.T) {
	r := newRig(t, rigOptions{policy: func(p *Policy) { p.Username, p.Password = "desk", "pw" }})
	// A browser first gets the challenge...
	status, _ := r.send(t, "GET", "/servlet?key=number=204", nil, "")
	if status != 401 {
		t.Fatalf("without credentials: status %d, want 401", status)
	}
	// ...and then sends what the user put in the URL.
	req, _ := http.NewRequest("GET", r.base+"/servlet?key=number=204", nil)
	req.SetBasicAuth("desk", "pw")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("with credentials: status %d, want 200", res.StatusCode)
	}
	// Grandstream carries the password in the query.
	if status, body := r.send(t, "GET", "/cgi-bin/api-make_call?phonenumber=205&password=pw", nil, ""); status != 200 {
		t.Fatalf("grandstream password: %d %s", status, body)
	}
	if got := len(r.sim.Dialed()); got != 2 {
		t.Errorf("phone dialed %d times, want 2", got)
	}
}

func TestAllowedOriginGetsCORSAndDials(t *testing.T) {
	r := newRig(t, rigOptions{})
	status, _ := r.send(t, "OPTIONS", "/?action=make_call&target=1", http.Header{
		"Origin": {"https://crm.example"}, "Access-Control-Request-Method": {"GET"},
		"Access-Control-Request-Private-Network": {"true"},
	}, "")
	if status != http.StatusNoContent {
		t.Fatalf("preflight status %d, want 204", status)
	}
	req, _ := http.NewRequest("GET", r.base+"/?action=make_call&target=204", nil)
	req.Header.Set("Origin", "https://crm.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://crm.example" {
		t.Fatalf("got %d with ACAO %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestPhoneFailuresAreExplained(t *testing.T) {
	tests := []struct {
		name       string
		simOpts    phonesim.Options
		stopSim    bool
		wantStatus int
		wantReason string
	}{
		{"wrong password", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "other"}, false, 502, "refused the user name or password (HTTP 401)"},
		{"D8xx without command.htm", phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "s3cret", Missing: []string{"/command.htm"}}, false, 502, "does not accept HTTP commands"},
		{"phone down", phonesim.Options{}, true, 502, "cannot be reached"},
		{"phone too slow", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret", Delay: 10 * time.Second}, false, 502, "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, rigOptions{simOpts: tt.simOpts})
			if tt.stopSim {
				r.sim.Close()
			}
			status, body := r.send(t, "GET", "/command.htm?number=204", nil, "")
			if status != tt.wantStatus || !strings.Contains(body, tt.wantReason) {
				t.Errorf("got %d %q, want %d containing %q", status, body, tt.wantStatus, tt.wantReason)
			}
		})
	}
}

func TestControlAPINeedsTokenAndRefusesBrowsers(t *testing.T) {
	r := newRig(t, rigOptions{})
	cf := control.File{URL: r.base, Token: "tok"}
	if _, err := control.NewClient(control.File{URL: r.base, Token: "wrong"}, nil).Dial(context.Background(), control.DialCommand{Number: "204"}); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("wrong token: err = %v, want a token error", err)
	}
	status, _ := r.send(t, "POST", "/api/v1/dial", http.Header{"Authorization": {"Bearer tok"}, "Origin": {"https://evil.example"}, "Content-Type": {"application/json"}}, `{"number":"204"}`)
	if status != 403 {
		t.Errorf("browser request with token: status %d, want 403", status)
	}
	if n := len(r.sim.Requests()); n != 0 {
		t.Fatalf("phone received %d requests, want 0", n)
	}
	dialed, err := control.NewClient(cf, nil).Dial(context.Background(), control.DialCommand{Number: "+49 30 1234", Typed: true})
	if err != nil || dialed != "+49301234" {
		t.Fatalf("Dial = %q, %v", dialed, err)
	}
}
