package auerswald

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

const token = "abcdefg"

func startSim(t *testing.T, opts SimOptions) *Sim {
	t.Helper()
	if opts.Password == "" {
		opts.Password = token
	}
	return simtest.Start(t, func() (*Sim, error) { return StartSim(opts) })
}

func newClient(t *testing.T, url, tok string, timeout time.Duration) *phonehttp.Client {
	t.Helper()
	return simtest.Client(t, phonehttp.Options{Brand: Brand, Address: url, BearerToken: tok, Timeout: timeout})
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(s *Sim)
		run       func(ctx context.Context, d *Driver) error
		wantQuery string
		check     func(t *testing.T, s *Sim)
	}{
		{"dial", nil,
			func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "+4930123"}) },
			"action=call&number=%2B4930123",
			wantCalls(SimCall{ID: "TC@1", Remote: "+4930123", State: phonesim.Connected})},
		{"answer by id", func(s *Sim) { s.Ring("42"); s.Ring("43") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "TC@2") },
			"action=accept&callId=TC%402",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Ringing}, SimCall{ID: "TC@2", Remote: "43", State: phonesim.Connected})},
		{"answer the ringing call", func(s *Sim) { s.Ring("42") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "") },
			"action=accept",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected})},
		{"hang up", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "TC@1") },
			"action=terminate&callId=TC%401", wantCalls()},
		{"hold", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "TC@1") },
			"action=hold&callId=TC%401", wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Held})},
		{"resume", func(s *Sim) { s.Connect("42"); hold(s, "TC@1") },
			func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "TC@1") },
			"action=resume&callId=TC%401", wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected})},
		{"transfer", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.Transfer(ctx, "TC@1", "45") },
			"action=transfer&callId=TC%401&number=45",
			func(t *testing.T, s *Sim) {
				wantCalls()(t, s)
				if got := s.Transferred(); !reflect.DeepEqual(got, []string{"45"}) {
					t.Errorf("transferred = %q", got)
				}
			}},
		{"DTMF", func(s *Sim) { s.Connect("42") },
			func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "TC@1", "12*#") },
			"action=dtmf&callId=TC%401&digits=12%2A%23",
			func(t *testing.T, s *Sim) {
				if got := s.DTMF(); got != "12*#" {
					t.Errorf("DTMF = %q", got)
				}
			}},
		{"join", func(s *Sim) { s.Connect("42"); s.Connect("46") },
			func(ctx context.Context, d *Driver) error { return d.Join(ctx, "TC@1", "TC@2") },
			"action=join&callId=TC%401&callId2=TC%402", wantCalls()},
		{"conference", func(s *Sim) { s.Connect("42"); s.Connect("46"); hold(s, "TC@1") },
			func(ctx context.Context, d *Driver) error { return d.Conference(ctx, "TC@1", "TC@2") },
			"action=conference&callId=TC%401&callId2=TC%402",
			wantCalls(SimCall{ID: "TC@1", Remote: "42", State: phonesim.Connected, Conference: "TC@2"},
				SimCall{ID: "TC@2", Remote: "46", State: phonesim.Connected, Conference: "TC@1"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSim(t, SimOptions{})
			if tt.setup != nil {
				tt.setup(s)
			}
			d := New(newClient(t, s.URL(), token, 10*time.Second), Options{})
			if err := tt.run(context.Background(), d); err != nil {
				t.Fatalf("err = %v", err)
			}
			got := simtest.Last(t, s)
			simtest.Request(t, got, simtest.Want{
				Method: http.MethodGet, Path: CommandPath, RawQuery: tt.wantQuery,
				Header: map[string]string{"Authorization": "Bearer " + token},
			})
			tt.check(t, s)
		})
	}
}

func hold(s *Sim, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.Get(id).State = phonesim.Held
}

// wantCalls checks the simulator's calls after an operation.
func wantCalls(want ...SimCall) func(t *testing.T, s *Sim) { return simtest.WantCalls[*Sim](want...) }

// TestCapabilitiesFollowFirmware checks the lazy cache: one action=?
// look-up, capabilities from its answer, and no request for a command the
// firmware lacks.
func TestCapabilitiesFollowFirmware(t *testing.T) {
	s := startSim(t, SimOptions{Actions: []string{"call", "accept", "terminate", "log"}})
	d := New(newClient(t, s.URL(), token, 10*time.Second), Options{})
	want := phone.CanDial | phone.CanAnswer | phone.CanHangup
	for i := 0; i < 3; i++ {
		if got := d.Capabilities(); got != want {
			t.Fatalf("Capabilities() = %v, want %v", got, want)
		}
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("the phone was asked %d times, want once", n)
	}
	simtest.Request(t, s.Requests()[0], simtest.Want{Method: http.MethodGet, Path: CommandPath, RawQuery: "action=%3F",
		Header: map[string]string{"Authorization": "Bearer " + token}})
	err := d.Hold(context.Background(), "TC@1")
	if phone.KindOf(err) != phone.ErrNotSupported || !strings.Contains(err.Error(), `no "hold" command`) {
		t.Fatalf("Hold on firmware without hold: err = %v", err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("an unsupported command reached the phone (%d requests)", n)
	}
	list, err := d.Learn(context.Background())
	if err != nil || !reflect.DeepEqual(list, []string{"accept", "call", "log", "terminate"}) {
		t.Errorf("Learn() = %q, %v", list, err)
	}
}

// TestCapabilitiesRetry: a failed look-up assumes firmware 1.4 and is
// retried only after RetryAfter on the injected clock.
func TestCapabilitiesRetry(t *testing.T) {
	var mu sync.Mutex
	broken := true
	srv, err := phonesim.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if broken {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("call, terminate"))
	}), phonesim.Options{Auth: phonesim.AuthBearer, Password: token})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	now := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	d := New(newClient(t, srv.URL(), token, 10*time.Second), Options{Now: func() time.Time { return now }})
	if got, want := d.Capabilities(), capabilities(Firmware14); got != want {
		t.Fatalf("while the phone fails: %v, want the firmware 1.4 set %v", got, want)
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	now = now.Add(RetryAfter / 2)
	d.Capabilities()
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("asked %d times before RetryAfter, want 1", n)
	}
	now = now.Add(RetryAfter)
	if got, want := d.Capabilities(), phone.CanDial|phone.CanHangup; got != want {
		t.Fatalf("after RetryAfter: %v, want %v", got, want)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("asked %d times, want 2", n)
	}
}

func TestErrors(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "42"}) }
	tests := []struct {
		name     string
		sim      SimOptions
		handler  http.Handler
		token    string
		timeout  time.Duration
		run      func(ctx context.Context, d *Driver) error
		wantKind phone.ErrorKind
		wantMsg  []string
	}{
		{name: "wrong token (401)", token: "wrong", run: dial, wantKind: phone.ErrAuth,
			wantMsg: []string{"(HTTP 401)", "access token"}},
		{name: "action URLs off (403)", sim: SimOptions{Disabled: true}, run: dial, wantKind: phone.ErrRefused,
			wantMsg: []string{"refused to dial (HTTP 403)", "Settings > Access"}},
		{name: "old firmware (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "<h1>Not Found</h1>"),
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{"(HTTP 404)", "firmware 1.4A"}},
		{name: "unknown call (404)", run: func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "TC@9") },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"That call no longer exists on the phone", "TC@9"}},
		{name: "unknown command (400)", sim: SimOptions{Actions: []string{"accept"}}, run: dial,
			wantKind: phone.ErrNotSupported, wantMsg: []string{"An Auerswald phone cannot dial remotely", "unknown action 'call'"}},
		{name: "wrong state (400)", run: func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "") },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"no call to resume"}},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "application/json", `{"error":"internal error"}`),
			run: dial, wantKind: phone.ErrProtocol, wantMsg: []string{"(HTTP 500)", `"internal error"`}},
		{name: "200 saying error", handler: simtest.Status(http.StatusOK, "application/json", `{"success":false,"message":"line busy"}`),
			run: dial, wantKind: phone.ErrRefused, wantMsg: []string{"refused to dial", `"line busy"`}},
		{name: "timeout", sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}}, timeout: 50 * time.Millisecond,
			run: dial, wantKind: phone.ErrUnreachable, wantMsg: []string{"did not answer in time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokenOnly := phonesim.Options{Auth: phonesim.AuthBearer, Password: token, TLS: true}
			url := simtest.FaultOr(t, tt.handler, tokenOnly, func() string { return startSim(t, tt.sim).URL() })
			tok := tt.token
			if tok == "" {
				tok = token
			}
			timeout := simtest.Timeout(tt.timeout)
			err := tt.run(context.Background(), New(newClient(t, url, tok, timeout), Options{}))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg...)
		})
	}
}

func TestTokenNeverInURL(t *testing.T) {
	s := startSim(t, SimOptions{})
	d := New(newClient(t, s.URL(), token, 10*time.Second), Options{})
	if err := d.Dial(context.Background(), phone.DialOptions{Number: "42"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if strings.Contains(r.RawQuery, token) {
			t.Errorf("the token is in the query %q", r.RawQuery)
		}
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{
		Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
			s := startSim(t, SimOptions{})
			return New(newClient(t, s.URL(), token, 10*time.Second), Options{}), s, simtest.Prepare(state, s.Ring, s.Connect)
		},
		StartTLS: func(t *testing.T, addr string) simtest.Phone {
			return startSim(t, SimOptions{Options: phonesim.Options{Addr: addr}})
		},
		Client: phonehttp.Options{Brand: Brand, BearerToken: token},
		Open:   func(c *phonehttp.Client) phone.Driver { return New(c, Options{}) },
	})
}
