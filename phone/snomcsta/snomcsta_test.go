package snomcsta

import (
	"context"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
	"github.com/dialbridge/dialbridge/phone/snom"
)

var update = flag.Bool("update", false, "rewrite the golden request files under testdata/requests")

// bench pairs a simulated Snom phone speaking CSTA and the driver (in
// its default options) with one web login.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthDigest, Username: "admin", Password: "s3cret"}, StartSim,
	func(c *phonehttp.Client) *Driver { return New(c, Options{}) })

func golden(t *testing.T, name string, got []byte) string {
	t.Helper()
	path := filepath.Join("testdata", "requests", name+".xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	return string(want)
}

// fireRecorder stands in for the network when the simulated phone runs its
// firewall test.
type fireRecorder struct {
	mu   sync.Mutex
	urls []string
}

func (f *fireRecorder) fire(_ context.Context, url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.urls = append(f.urls, url)
	return nil
}

// TestOperations runs every operation against the simulator in both
// firmware generations, compares the request with its golden file and
// checks what the phone did.
func TestOperations(t *testing.T) {
	const fwtest = "http://192.0.2.99:61234/phone/tok/fwtest?mac=$mac"
	doc := snom.TextScreen("Caller", "Müller & Söhne")
	tests := []struct {
		name  string
		setup func(s *Sim)
		run   func(ctx context.Context, d *Driver) error
		check func(t *testing.T, s *Sim)
	}{
		{"dial", nil,
			func(ctx context.Context, d *Driver) error {
				return d.Dial(ctx, phone.DialOptions{Number: "+4930123456"})
			},
			func(t *testing.T, s *Sim) {
				want := []SimCall{{ID: "-1", Remote: "+4930123456", Identity: "demo", State: phonesim.Connected}}
				if got := s.Calls(); !reflect.DeepEqual(got, want) {
					t.Errorf("calls = %+v, want %+v", got, want)
				}
			}},
		{"dial_from_identity", nil,
			func(ctx context.Context, d *Driver) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "sip:office@pbx.example"})
			},
			func(t *testing.T, s *Sim) {
				if got := s.Calls(); len(got) != 1 || got[0].Identity != "office" {
					t.Errorf("calls = %+v, want one from identity office", got)
				}
			}},
		{"answer", func(s *Sim) { s.Ring("200") },
			func(ctx context.Context, d *Driver) error { return d.Answer(ctx, "-1") },
			func(t *testing.T, s *Sim) { wantState(t, s, "-1", phonesim.Connected) }},
		{"hangup", func(s *Sim) { s.Ring("200") },
			func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "-1") },
			simtest.WantCalls[*Sim]()},
		{"clear_call", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.ClearCall(ctx, "-1") },
			simtest.WantCalls[*Sim]()},
		{"hold", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.Hold(ctx, "-1") },
			func(t *testing.T, s *Sim) { wantState(t, s, "-1", phonesim.Held) }},
		{"resume", func(s *Sim) { s.Connect("200"); s.mu.Lock(); s.calls.Get("-1").State = phonesim.Held; s.mu.Unlock() },
			func(ctx context.Context, d *Driver) error { return d.Resume(ctx, "-1") },
			func(t *testing.T, s *Sim) { wantState(t, s, "-1", phonesim.Connected) }},
		{"transfer", func(s *Sim) { s.Connect("200") },
			func(ctx context.Context, d *Driver) error { return d.Transfer(ctx, "-1", "sip:300@pbx.example") },
			simtest.WantCalls[*Sim]()},
		{"transfer_calls", func(s *Sim) {
			s.Connect("200")
			s.Connect("300")
			s.mu.Lock()
			s.calls.Get("-1").State = phonesim.Held
			s.mu.Unlock()
		},
			func(ctx context.Context, d *Driver) error { return d.TransferCalls(ctx, "-1", "-2") },
			simtest.WantCalls[*Sim]()},
		{"set_settings", nil,
			func(ctx context.Context, d *Driver) error {
				return d.SetSettings(ctx, Setting{Name: "action_fwtest_url", Value: fwtest}, Setting{Name: "csta_legacy_control", Value: "on"})
			},
			func(t *testing.T, s *Sim) {
				want := map[string]string{"action_fwtest_url": fwtest, "csta_legacy_control": "on"}
				if got := s.Settings(); !reflect.DeepEqual(got, want) {
					t.Errorf("settings = %v, want %v", got, want)
				}
			}},
		{"xml_push", nil,
			func(ctx context.Context, d *Driver) error { return d.XmlPush(ctx, doc) },
			func(t *testing.T, s *Sim) {
				if got := s.Pushed(); len(got) != 1 || got[0] != doc {
					t.Errorf("pushed = %q, want [%q]", got, doc)
				}
			}},
		{"set_leds", nil,
			func(ctx context.Context, d *Driver) error {
				return d.SetLEDs(ctx, "D785", []phone.KeyLight{{Key: 1, Light: phone.LightBlink, Color: "red"}, {Key: 2, Light: phone.LightOn, Color: "green"}}, nil)
			},
			func(t *testing.T, s *Sim) {
				// The same screen the HTTP driver has the phone fetch.
				want, err := os.ReadFile("../snom/testdata/leds/D785_missed_call_blinks_on_P1_call_on_P2.xml")
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Pushed(); len(got) != 1 || got[0]+"\n" != string(want) {
					t.Errorf("pushed = %q, want [%q]", got, want)
				}
			}},
		{"fire_test", func(s *Sim) { s.mu.Lock(); s.settings["action_fwtest_url"] = fwtest; s.mu.Unlock() },
			func(ctx context.Context, d *Driver) error { return d.FireTest(ctx) },
			func(t *testing.T, s *Sim) {
				if got := s.Fired(); len(got) != 1 || got[0] != fwtest {
					t.Errorf("fired = %q, want [%q]", got, fwtest)
				}
			}},
	}
	for _, legacy := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if legacy {
				name += "_legacy"
			}
			t.Run(name, func(t *testing.T) {
				fr := &fireRecorder{}
				s := bench.Sim(t, SimOptions{Legacy: legacy, Identities: []string{"demo", "office"}, Fire: fr.fire})
				if tt.setup != nil {
					tt.setup(s)
				}
				d := New(bench.Login.Client(t, Brand, s.URL(), 10*time.Second), Options{LegacyConnectionID: legacy})
				if err := tt.run(context.Background(), d); err != nil {
					t.Fatalf("err = %v", err)
				}
				got := simtest.Last(t, s)
				simtest.Request(t, got, simtest.Want{
					Method: http.MethodPost, Path: "/csta",
					Header: map[string]string{"Content-Type": "text/xml; charset=utf-8"},
					Body:   golden(t, name, got.Body),
				})
				tt.check(t, s)
			})
		}
	}
}

func wantState(t *testing.T, s *Sim, id string, st phonesim.CallState) {
	t.Helper()
	simtest.WantState(t, s.Calls(), id, st, func(c SimCall) (string, phonesim.CallState) { return c.ID, c.State })
}

func TestErrors(t *testing.T) {
	fault := string(readAnswer(t, "ed5_fault.xml"))
	tests := []struct {
		name     string
		sim      SimOptions
		handler  http.Handler // instead of the simulator
		timeout  time.Duration
		driver   Options
		run      func(ctx context.Context, d *Driver, s *Sim) error
		wantKind phone.ErrorKind
		wantMsg  []string
	}{
		{name: "wrong password (401)",
			sim: SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: bench.Login.Username, Password: "other"}},
			run: func(ctx context.Context, d *Driver, _ *Sim) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200"})
			},
			wantKind: phone.ErrAuth, wantMsg: []string{"refused the user name or password (HTTP 401)"}},
		{name: "forbidden (403)", handler: simtest.Status(http.StatusForbidden, "text/html", "<h1>Forbidden</h1>"),
			run: func(ctx context.Context, d *Driver, _ *Sim) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200"})
			},
			wantKind: phone.ErrRefused, wantMsg: []string{"refused to dial (HTTP 403)", "do not allow CSTA"}},
		{name: "no CSTA on this firmware (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"),
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Answer(ctx, "-1") },
			wantKind: phone.ErrRefused, wantMsg: []string{"(HTTP 404)", "does not accept CSTA requests over HTTP"}},
		{name: "SOAP fault invalidCallID (500)",
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Answer(ctx, "-42") },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"That call no longer exists on the phone", `"invalidCallID"`}},
		{name: "SOAP fault from a canned 500", handler: simtest.Status(http.StatusInternalServerError, "text/xml", fault),
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Hold(ctx, "-7") },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"That call no longer exists on the phone"}},
		{name: "modern driver, legacy firmware",
			sim:      SimOptions{Legacy: true},
			run:      func(ctx context.Context, d *Driver, s *Sim) error { return d.Answer(ctx, s.Ring("200")) },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{`"Invalid CallID"`, "phone.csta_legacy = true"}},
		{name: "legacy driver, modern firmware", driver: Options{LegacyConnectionID: true},
			run:      func(ctx context.Context, d *Driver, s *Sim) error { return d.Answer(ctx, s.Ring("200")) },
			wantKind: phone.ErrNoSuchCall, wantMsg: []string{"phone.csta_legacy = false"}},
		{name: "answering a call that is not ringing",
			run:      func(ctx context.Context, d *Driver, s *Sim) error { return d.Answer(ctx, s.Connect("200")) },
			wantKind: phone.ErrRefused, wantMsg: []string{"refused to answer a call", "not in a state"}},
		{name: "unknown identity",
			run: func(ctx context.Context, d *Driver, _ *Sim) error {
				return d.Dial(ctx, phone.DialOptions{Number: "200", Identity: "nobody"})
			},
			wantKind: phone.ErrRefused, wantMsg: []string{"no identity on the phone matches"}},
		{name: "500 without a fault", handler: simtest.Status(http.StatusInternalServerError, "text/html", "<h1>oops</h1>"),
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Hangup(ctx, "-1") },
			wantKind: phone.ErrProtocol, wantMsg: []string{"unexpected answer to hang up (HTTP 500)"}},
		{name: "200 with an HTML page", handler: simtest.Status(http.StatusOK, "text/html", "<html><body>snom</body></html>"),
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.FireTest(ctx) },
			wantKind: phone.ErrProtocol, wantMsg: []string{"unexpected answer to run the firewall test (HTTP 200)"}},
		{name: "timeout", sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}},
			timeout:  50 * time.Millisecond,
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Hold(ctx, "-1") },
			wantKind: phone.ErrUnreachable, wantMsg: []string{"did not answer in time"}},
		{name: "empty call id",
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.Hangup(ctx, "") },
			wantKind: phone.ErrNotSupported, wantMsg: []string{"A Snom phone cannot hang up without its CSTA call id", "$csta_id"}},
		{name: "DTMF",
			run:      func(ctx context.Context, d *Driver, _ *Sim) error { return d.SendDTMF(ctx, "-1", "123") },
			wantKind: phone.ErrNotSupported, wantMsg: []string{"A Snom phone cannot send DTMF remotely"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *Sim
			url := simtest.FaultOr(t, tt.handler, bench.Login.Options(), func() string {
				s = bench.Sim(t, tt.sim)
				return s.URL()
			})
			timeout := simtest.Timeout(tt.timeout)
			d := New(bench.Login.Client(t, Brand, url, timeout), tt.driver)
			err := tt.run(context.Background(), d, s)
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg...)
		})
	}
}

func TestEmptyCallIDSendsNothing(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	for _, err := range []error{d.Answer(ctx, ""), d.Hold(ctx, " "), d.Transfer(ctx, "", "200"), d.TransferCalls(ctx, "-1", "")} {
		if phone.KindOf(err) != phone.ErrNotSupported {
			t.Errorf("err = %v, want ErrNotSupported", err)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("the phone received %d requests, want none", n)
	}
}

func TestCapabilities(t *testing.T) {
	d := New(nil, Options{})
	want := phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume | phone.CanTransfer | phone.CanConsult | phone.CanDND | phone.CanForward
	if got := d.Capabilities(); got != want || got.Has(phone.CanDTMF) {
		t.Errorf("Capabilities() = %v, want %v", got, want)
	}
	if d.Brand() != "snom-csta" {
		t.Errorf("Brand() = %q", d.Brand())
	}
}

// TestTextScreenShowsHostileTextAsText builds a screen for every caller
// name of the hostile corpus and reads it as the phone's minibrowser does:
// a SnomIPPhoneText whose Title and Text are the name's own characters
// (display.Name, then display.XML), with no element of the caller's.
func TestTextScreenShowsHostileTextAsText(t *testing.T) {
	for _, name := range displaytest.Load(t) {
		want := display.Name(name)
		doc := snom.TextScreen(want, want)
		dec := xml.NewDecoder(strings.NewReader(doc))
		var elements, texts []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%.40q: the screen %q does not parse: %v", name, doc, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				elements = append(elements, tok.Name.Local)
			case xml.CharData:
				texts = append(texts, string(tok))
			}
		}
		if got := strings.Join(elements, " "); got != "SnomIPPhoneText Title Text" {
			t.Errorf("%.40q: the screen has the elements %q", name, got)
		}
		if want != "" && (len(texts) != 2 || texts[0] != want || texts[1] != want) {
			t.Errorf("%.40q: the screen shows %q, want %q twice", name, texts, want)
		}
	}
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, bench.Conformance(simtest.RingOrConnect))
}

// TestShowTextPushesTheScreenItself: over CSTA the phone fetches nothing,
// so ShowText pushes the screen (XmlPush) and publishes nothing.
func TestShowTextPushesTheScreenItself(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	served := 0
	if err := d.ShowText(context.Background(), "Anna <Schmidt>", "Schmidt & Co", func(string) string { served++; return "" }); err != nil {
		t.Fatal(err)
	}
	want := snom.TextScreen("Anna <Schmidt>", "Schmidt & Co")
	if got := s.Pushed(); len(got) != 1 || got[0] != want || served != 0 {
		t.Errorf("pushed %q (published %d); want [%q]", got, served, want)
	}
}
