package actionurl

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
)

// eventRecorder is the call tracker as the events see it.
type eventRecorder struct {
	mu     sync.Mutex
	events []phone.Event
}

func (e *eventRecorder) HandleEvent(_ context.Context, ev phone.Event) error {
	e.mu.Lock()
	e.events = append(e.events, ev)
	e.mu.Unlock()
	return nil
}

func (e *eventRecorder) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.events)
}

const pairingToken = "pairtok-0123456789abcdef"

// eventRig is an attack rig whose listener also takes the paired phone's
// events: the phone is at 192.0.2.10 and reaches this computer at
// 192.0.2.5 (documentation addresses: requests "from" them are built in
// memory, nothing is sent there).
type eventRig struct {
	*attackRig
	sink *eventRecorder
}

var (
	phoneAddr = netip.MustParseAddr("192.0.2.10")
	lanAddr   = netip.MustParseAddr("192.0.2.5")
)

func newEventRig(t *testing.T) *eventRig {
	t.Helper()
	sink := &eventRecorder{}
	r := newAttackRig(t, attackOptions{events: func(log *slog.Logger) http.Handler {
		return phoneevents.NewPhoneEvents(phoneevents.PhoneEventsOptions{
			Token:      func() string { return pairingToken },
			PhoneAddrs: func() []netip.Addr { return []netip.Addr{phoneAddr} },
			Sink:       sink,
			Log:        log,
		})
	}})
	// The resident sets the LAN address once it opened the LAN socket.
	st := r.l.state.Load()
	p := *st.policy
	p.LANAddr = netip.AddrPortFrom(lanAddr, uint16(r.port))
	r.l.Update(&p, st.switches, st.canConfirm)
	return &eventRig{attackRig: r, sink: sink}
}

// serve runs one request through handler in memory, as if it came from
// remote to host.
func serveFrom(h http.Handler, method, target, host, remote string, hdr http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.Host = host
	req.RemoteAddr = remote
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestAttackPhoneEvents: the phone-event paths take events only from the
// paired phone's address, with the pairing token, addressed to this
// computer; the LAN socket serves nothing else.
func TestAttackPhoneEvents(t *testing.T) {
	good := "/phone/" + pairingToken + "/snom/incoming?" + phone.KeyCallID + "=42&remote=0301234"
	lanHost := fmt.Sprintf("%s:%d", lanAddr, 0) // port filled per rig
	phoneRemote := phoneAddr.String() + ":5060"
	tests := []struct {
		name       string
		lan        bool // through LANHandler, else the loopback handler
		method     string
		target     string
		host       string // "" means the LAN address with the right port
		remote     string
		hdr        http.Header
		wantStatus int
		wantReason string
	}{
		{"dial path on the LAN socket from a computer not in allow_ips", true, "GET", "/command.htm?number=0301", "", phoneRemote, nil, 403, "add it to listener.allow_ips"},
		{"native dial on the LAN socket from a computer not in allow_ips", true, "GET", "/?action=make_call&target=0301", "", phoneRemote, nil, 403, "add it to listener.allow_ips"},
		{"native dial on the LAN socket from this computer's loopback", true, "GET", "/?action=make_call&target=0301", "", "127.0.0.1:40000", nil, 403, "add it to listener.allow_ips"},
		{"native dial on the LAN socket with a loopback Host", true, "GET", "/?action=make_call&target=0301", "127.0.0.1:PORT", phoneRemote, nil, 400, "does not name this listener"},
		{"control API on the LAN socket", true, "POST", "/api/v1/dial", "", phoneRemote, http.Header{"Authorization": {"Bearer guessed"}}, 404, "control API answers only"},
		{"event from another LAN host", true, "GET", good, "", "192.0.2.77:5060", nil, 403, "only the paired phone"},
		{"event with a wrong token", true, "GET", "/phone/pairtok-0123456789abcdeX/snom/incoming?call_id=1", "", phoneRemote, nil, 404, "pairing token"},
		{"event with a token prefix", true, "GET", "/phone/pairtok/snom/incoming?call_id=1", "", phoneRemote, nil, 404, "pairing token"},
		{"event without a token", true, "GET", "/phone/", "", phoneRemote, nil, 404, "pairing token"},
		{"event with a foreign Host", true, "GET", good, "evil.example:61234", phoneRemote, nil, 400, "does not name this listener"},
		{"event with the LAN address on the wrong port", true, "GET", good, "192.0.2.5:1", phoneRemote, nil, 400, "does not name this listener"},
		{"event from a web page on this computer", false, "GET", good, "127.0.0.1:PORT", "127.0.0.1:40000", http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403, "do not come from web pages"},
		{"event posted by a page's form", false, "POST", good, "127.0.0.1:PORT", "127.0.0.1:40000", http.Header{"Origin": {"https://evil.example"}}, 403, "do not come from web pages"},
		{"LAN address on a dial path of the loopback socket", false, "GET", "/command.htm?number=0301", "", "127.0.0.1:40000", nil, 400, "does not name this listener"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newEventRig(t)
			host := tt.host
			switch host {
			case "":
				host = strings.TrimSuffix(lanHost, ":0") + fmt.Sprintf(":%d", r.port)
			case "127.0.0.1:PORT":
				host = fmt.Sprintf("127.0.0.1:%d", r.port)
			}
			h := http.Handler(r.l)
			if tt.lan {
				h = r.l.LANHandler()
			}
			w := serveFrom(h, tt.method, tt.target, host, tt.remote, tt.hdr)
			if w.Code != tt.wantStatus || !strings.Contains(w.Body.String(), tt.wantReason) {
				t.Errorf("got %d %q, want %d containing %q", w.Code, w.Body.String(), tt.wantStatus, tt.wantReason)
			}
			if n := r.sink.count(); n != 0 {
				t.Errorf("%d events reached the call tracker, want none", n)
			}
			r.phoneUntouched(t)
			if strings.Contains(r.logs.String(), pairingToken) {
				t.Errorf("the pairing token reached the log")
			}
			// The phone itself still gets through, and so does a dial.
			w = serveFrom(r.l.LANHandler(), "GET", good, fmt.Sprintf("%s:%d", lanAddr, r.port), phoneRemote, nil)
			if w.Code != 200 || r.sink.count() != 1 {
				t.Errorf("the paired phone's event: %d %q, %d events", w.Code, w.Body.String(), r.sink.count())
			}
			r.legitDial(t, "0301234567")
		})
	}
}

// TestAttackLANSocketWithoutAllowIPsTakesOnlyEvents runs the LAN socket for
// real, on a second loopback address standing in for the LAN one: with
// allow_ips empty, every dial format is refused naming allow_ips (even from
// this computer), the control API is not there, and the phone's events are.
func TestAttackLANSocketWithoutAllowIPsTakesOnlyEvents(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address to stand in for the LAN: %v", err)
	}
	r := newEventRig(t)
	lan := ln.Addr().(*net.TCPAddr)
	st := r.l.state.Load()
	p := *st.policy
	p.LANAddr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.2"), uint16(lan.Port))
	r.l.Update(&p, st.switches, st.canConfirm)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.l.ServeLAN(ctx, ln, nil); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	get := func(target string, hdr http.Header) (int, string) {
		res, b := roundTrip(t, r.client, testRequest(t, "GET", "http://"+ln.Addr().String()+target, hdr, ""))
		return res.StatusCode, b
	}
	for _, tt := range []struct {
		target string
		status int
		reason string
	}{
		{"/command.htm?number=0301", 403, "listener.allow_ips"},
		{"/?action=make_call&target=0301", 403, "listener.allow_ips"},
		{"/servlet?key=number=0301", 403, "listener.allow_ips"},
		{"/api/v1/ping", 404, "control API answers only"},
	} {
		if status, body := get(tt.target, nil); status != tt.status || !strings.Contains(body, tt.reason) {
			t.Errorf("%s on the LAN socket: %d %q, want %d with %q", tt.target, status, body, tt.status, tt.reason)
		}
	}
	if status, body := get("/phone/"+pairingToken+"/snom/incoming?"+phone.KeyCallID+"=7", nil); status != 200 {
		t.Errorf("the phone's event on the LAN socket: %d %q", status, body)
	}
	if status, _ := get("/phone/"+pairingToken+"/snom/incoming?"+phone.KeyCallID+"=8", http.Header{"Origin": {"https://evil.example"}}); status != 403 {
		t.Errorf("a page's event on the LAN socket: %d, want 403", status)
	}
	r.phoneUntouched(t)
	if n := r.sink.count(); n != 1 {
		t.Errorf("%d events recorded, want 1", n)
	}
}
