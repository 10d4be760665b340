package sip

import (
	"context"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

const (
	user = "101"
	pass = "s3cret"
)

func startSim(t *testing.T, opts SimOptions) *Sim {
	t.Helper()
	return simtest.Start(t, func() (*Sim, error) { return StartSim(opts) })
}

func open(t *testing.T, s phone.Settings) *Driver {
	t.Helper()
	if s.Timeout == 0 {
		s.Timeout = 5 * time.Second
	}
	d, err := Open(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.(*Driver)
}

// method returns the recorded requests of one SIP method.
func method(reqs []phonesim.Request, m string) []phonesim.Request {
	var out []phonesim.Request
	for _, r := range reqs {
		if r.Method == m {
			out = append(out, r)
		}
	}
	return out
}

// waitFor waits until the phone has recorded a request of method m.
func waitFor(t *testing.T, s *Sim, m string) phonesim.Request {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for n := 1; ; n++ {
		reqs, err := s.WaitRequests(ctx, n)
		if got := method(reqs, m); len(got) > 0 {
			return got[0]
		}
		if err != nil {
			t.Fatalf("no %s reached the phone: %v", m, err)
		}
	}
}

// TestDialRefersThePhoneToTheNumber dials a phone that challenges: it
// answers the INVITE with the auto-answer headers, takes the REFER to the
// number at the PBX's domain, reports the referred call, and dialbridge
// ends its own call once the report is final.
func TestDialRefersThePhoneToTheNumber(t *testing.T) {
	s := startSim(t, SimOptions{Username: user, Password: pass})
	d := open(t, phone.Settings{Brand: Brand, Address: s.URL(), Password: pass, SIPDomain: "pbx.example"})
	if err := d.Dial(context.Background(), phone.DialOptions{Number: "030123456#"}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Dialed(), []phone.DialOptions{{Number: "030123456#"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("the phone was referred to %v, want %v", got, want)
	}
	bye := waitFor(t, s, "BYE")
	reqs := s.Requests()
	invite := method(reqs, "INVITE")[0]
	for name, want := range map[string]string{
		"Alert-Info":   "<http://www.notused.com>;info=alert-autoanswer;delay=0",
		"Content-Type": "application/sdp",
	} {
		if got := invite.Header.Get(name); got != want {
			t.Errorf("INVITE %s = %q, want %q", name, got, want)
		}
	}
	if got := invite.Header.Get("Call-Info"); !strings.HasSuffix(got, ";answer-after=0") || !strings.HasPrefix(got, "<sip:127.0.0.1>") {
		t.Errorf("INVITE Call-Info = %q", got)
	}
	if invite.Header.Get("Authorization") == "" {
		t.Error("the recorded INVITE is not the authenticated one")
	}
	for _, line := range []string{"v=0", "m=audio ", "a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000", "a=sendrecv"} {
		if !strings.Contains(string(invite.Body), line) {
			t.Errorf("SDP lacks %q:\n%s", line, invite.Body)
		}
	}
	refer := method(reqs, "REFER")[0]
	if got, want := refer.Header.Get("Refer-To"), "<sip:030123456%23@pbx.example>"; got != want {
		t.Errorf("Refer-To = %q, want %q", got, want)
	}
	if bye.Header.Get("Call-Id") != invite.Header.Get("Call-Id") {
		t.Errorf("BYE Call-ID %q, INVITE's %q", bye.Header.Get("Call-Id"), invite.Header.Get("Call-Id"))
	}
	if got := len(method(reqs, "ACK")); got != 1 {
		t.Errorf("%d ACKs, want 1", got)
	}
}

// TestEventsDriveTheLine answers, holds and resumes by NOTIFY talk/hold.
func TestEventsDriveTheLine(t *testing.T) {
	s := startSim(t, SimOptions{Username: user, Password: pass})
	d := open(t, phone.Settings{Brand: Brand, Address: s.URL(), Password: pass})
	ctx := context.Background()
	s.Ring()
	steps := []struct {
		name      string
		run       func() error
		wantEvent string
		wantLine  phonesim.CallState
	}{
		{"answer", func() error { return d.Answer(ctx, "") }, "talk", phonesim.Connected},
		{"hold", func() error { return d.Hold(ctx, "") }, "hold", phonesim.Held},
		{"resume", func() error { return d.Resume(ctx, "") }, "talk", phonesim.Connected},
	}
	for i, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		reqs := method(s.Requests(), "NOTIFY")
		if len(reqs) != i+1 {
			t.Fatalf("%s: %d NOTIFYs reached the phone, want %d", st.name, len(reqs), i+1)
		}
		if got := reqs[i].Header.Get("Event"); got != st.wantEvent {
			t.Errorf("%s: Event = %q, want %q", st.name, got, st.wantEvent)
		}
		if got := s.Line(); got != st.wantLine {
			t.Errorf("%s: line %q, want %q", st.name, got, st.wantLine)
		}
	}
}

func TestCapabilitiesAreWhatSIPReaches(t *testing.T) {
	d := open(t, phone.Settings{Brand: Brand, Address: "sip:101@192.0.2.10"})
	want := phone.CanDial | phone.CanAnswer | phone.CanHold | phone.CanResume
	if got := d.Capabilities(); got != want {
		t.Errorf("Capabilities() = %v, want %v", got, want)
	}
	for name, err := range map[string]error{
		"hang up": d.Hangup(context.Background(), ""),
		"DTMF":    d.SendDTMF(context.Background(), "", "1"),
	} {
		if phone.KindOf(err) != phone.ErrNotSupported {
			t.Errorf("%s: err = %v, want ErrNotSupported", name, err)
		}
	}
}

func TestErrorsSayWhatToChange(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "030123456"}) }
	hold := func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "") }
	tests := []struct {
		name     string
		sim      SimOptions
		settings phone.Settings
		run      func(context.Context, *Driver) error
		wantKind phone.ErrorKind
		wantMsg  string
	}{
		{name: "no auto-answer", sim: SimOptions{NoAutoAnswer: true}, run: dial,
			wantKind: phone.ErrRefused, wantMsg: "it rang but did not answer; is auto-answer allowed for calls from this computer (127.0.0.1)?"},
		{name: "REFER refused", sim: SimOptions{ReferStatus: 403}, run: dial,
			wantKind: phone.ErrRefused, wantMsg: "refused to take the transfer (REFER) to 030123456: SIP 403 Refused"},
		{name: "credentials we lack", sim: SimOptions{Username: user, Password: pass}, run: dial,
			wantKind: phone.ErrAuth, wantMsg: "SIP 401 Unauthorized; the phone asks for credentials: set phone.username and the phone password"},
		{name: "wrong password", sim: SimOptions{Username: user, Password: pass}, settings: phone.Settings{Password: "wrong"}, run: dial,
			wantKind: phone.ErrAuth, wantMsg: "refused the user name or password: SIP 401 Unauthorized"},
		{name: "no sip_domain", settings: phone.Settings{SIPDomain: "-"}, run: dial,
			wantKind: phone.ErrRefused, wantMsg: "phone.sip_domain is empty"},
		{name: "events refused", sim: SimOptions{NoEvents: true}, run: hold,
			wantKind: phone.ErrRefused, wantMsg: "SIP 489 Bad Event; the phone does not take the NOTIFY event hold"},
		{name: "no call to hold", run: hold, wantKind: phone.ErrNoSuchCall, wantMsg: "That call no longer exists"},
		{name: "silent phone", settings: phone.Settings{Address: "silent"}, run: hold,
			wantKind: phone.ErrUnreachable, wantMsg: "did not answer in time"},
		{name: "silent phone dialed", settings: phone.Settings{Address: "silent"}, run: dial,
			wantKind: phone.ErrUnreachable, wantMsg: "did not answer in time"},
		{name: "not a number", run: func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "12;x"}) },
			wantKind: phone.ErrNotSupported, wantMsg: "cannot dial \"12;x\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startSim(t, tc.sim)
			st := tc.settings
			st.Brand, st.Timeout = Brand, time.Second
			switch st.Address {
			case "":
				st.Address = s.URL()
			case "silent":
				pc, err := net.ListenPacket("udp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer pc.Close()
				st.Address = "sip:101@" + pc.LocalAddr().String()
			}
			switch st.SIPDomain {
			case "":
				st.SIPDomain = "pbx.example"
			case "-":
				st.SIPDomain = ""
			}
			start := time.Now()
			err := tc.run(context.Background(), open(t, st))
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s with a timeout of %s", took, st.Timeout)
			}
			if phone.KindOf(err) != tc.wantKind || err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("err = %v (kind %d), want kind %d with %q", err, phone.KindOf(err), tc.wantKind, tc.wantMsg)
			}
		})
	}
}

func TestOpenTakesOnlySIPAddresses(t *testing.T) {
	tests := []struct {
		addr, wantErr string
		wantTransport string
		wantHostPort  string
	}{
		{addr: "sip:101@192.0.2.10:5060", wantTransport: "udp", wantHostPort: "192.0.2.10:5060"},
		{addr: "sip:192.0.2.10", wantTransport: "udp", wantHostPort: "192.0.2.10:5060"},
		{addr: "sip:101@192.0.2.10;transport=TCP", wantTransport: "tcp", wantHostPort: "192.0.2.10:5060"},
		{addr: "http://192.0.2.10", wantErr: "is not a SIP address; write it as sip:101@192.0.2.10:5060"},
		{addr: "192.0.2.10", wantErr: "is not a SIP address"},
		{addr: "sip:101@192.0.2.10;transport=tls", wantErr: `transport "tls" is not supported`},
		{addr: "sip:", wantErr: "is not a SIP address"},
	}
	for _, tc := range tests {
		got, err := parseAddress(tc.addr)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err = %v, want %q", tc.addr, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.transport != tc.wantTransport || got.hostPort() != tc.wantHostPort {
			t.Errorf("%q: got %s %s, %v; want %s %s", tc.addr, got.transport, got.hostPort(), err, tc.wantTransport, tc.wantHostPort)
		}
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
		s := startSim(t, SimOptions{})
		d := open(t, phone.Settings{Brand: Brand, Address: s.URL(), SIPDomain: SimDomain})
		if state != simtest.NoCall {
			s.Ring()
		}
		if state == simtest.Connected {
			if err := d.Answer(context.Background(), ""); err != nil {
				t.Fatal(err)
			}
		}
		return d, s, ""
	}})
}
