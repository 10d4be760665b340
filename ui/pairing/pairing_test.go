package pairing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// startSim starts a simulated phone of brand for the test and returns
// how to reach it.
func startSim(t *testing.T, brand string) brands.Settings {
	t.Helper()
	_, s := startSimulator(t, brand)
	return s
}

// startSimulator is startSim for a test that also looks into the
// simulator.
func startSimulator(t *testing.T, brand string) (phone.Simulator, brands.Settings) {
	t.Helper()
	sim, s, err := brandsim.Start(brand)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim, s
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestDetectAgainstTheSimulators: a phone that guards its start page
// names itself in the login challenge; one that does not cannot be told.
func TestDetectAgainstTheSimulators(t *testing.T) {
	tests := []struct {
		brand, want string // want "" means: not recognizable, the person chooses
	}{
		{"snom", "snom"},
		{"snom-csta", "snom"}, // the same phone; the person picks CSTA
		{"yealink", "yealink"},
		{"auerswald", "auerswald"},
		{"polycom", "polycom"},
		{"fanvil", "fanvil"},
		{"grandstream", ""},
		{"cisco", ""},
	}
	p := &Pairer{}
	for _, tt := range tests {
		t.Run(tt.brand, func(t *testing.T) {
			s := startSim(t, tt.brand)
			got, err := p.Detect(ctx(t), s.Address)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), "did not say which brand it is") {
					t.Errorf("Detect = %q, %v; want the person to choose", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDetectNothingThere(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close() // nothing listens there any more
	_, err := (&Pairer{}).Detect(ctx(t), addr)
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("err = %v, want ErrUnreachable", err)
	}
}

func TestCheckAgainstTheSimulators(t *testing.T) {
	tests := []struct {
		brand      string
		unverified bool // the simulator's start page needs no login
	}{
		{"snom", false},
		{"snom-csta", false},
		{"yealink", false},
		{"auerswald", false}, // its command list needs the token
		{"polycom", false},
		{"fanvil", false},
		{"grandstream", true},
		{"cisco", true},
	}
	p := &Pairer{}
	for _, tt := range tests {
		t.Run(tt.brand, func(t *testing.T) {
			s := startSim(t, tt.brand)
			err := p.Check(ctx(t), s)
			if tt.unverified {
				if !errors.Is(err, ErrUnverifiable) {
					t.Errorf("right password: %v, want ErrUnverifiable", err)
				}
				return
			}
			if err != nil {
				t.Errorf("right password refused: %v", err)
			}
			s.Password = "wrong"
			err = p.Check(ctx(t), s)
			if phone.KindOf(err) != phone.ErrAuth {
				t.Errorf("wrong password: %v, want an authentication error", err)
			}
		})
	}
}

// resident is the resident's side of pairing for the tests: a real
// loopback server with the real phone-event handler, as the listener
// mounts it.
type resident struct {
	srv    *httptest.Server
	events *phoneevents.PhoneEvents
	token  string
	mu     sync.Mutex
	got    []phone.Event
}

func (r *resident) HandleEvent(_ context.Context, ev phone.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, ev)
	return nil
}

func (r *resident) EventsBase(context.Context, string) (string, string, error) {
	return r.srv.URL, r.token, nil
}

func (r *resident) Seen(context.Context) (control.PhoneSeen, error) { return r.events.Seen(), nil }

func startResident(t *testing.T) *resident {
	t.Helper()
	r := &resident{token: "pairing-token-0123456789"}
	r.events = phoneevents.NewPhoneEvents(phoneevents.PhoneEventsOptions{
		Token:      func() string { return r.token },
		PhoneAddrs: func() []netip.Addr { return nil }, // loopback only
		Sink:       r,
	})
	r.srv = httptest.NewServer(r.events)
	t.Cleanup(r.srv.Close)
	return r
}

// TestSetUpEventsWritesWhatPairingURLsPrints: for each brand whose phone
// takes settings from a program, pairing writes exactly the lines
// "dialbridge pairing-urls" prints for the same listener and token, the
// phone keeps them, and where the phone shows its settings they are read
// back.
func TestSetUpEventsWritesWhatPairingURLsPrints(t *testing.T) {
	tests := []struct {
		brand        string
		wantReadBack bool
	}{
		{"snom", true},
		{"snom-csta", false}, // CSTA has no request to read settings
	}
	for _, tt := range tests {
		t.Run(tt.brand, func(t *testing.T) {
			sim, s := startSimulator(t, tt.brand)
			res := startResident(t)
			setup, err := (&Pairer{Listener: res}).SetUpEvents(ctx(t), s)
			if err != nil {
				t.Fatal(err)
			}
			if !setup.Automatic || setup.Where == "" || setup.ReadBack != tt.wantReadBack {
				t.Errorf("setup = %+v, want automatic with the page named, read back %v", setup, tt.wantReadBack)
			}
			printed := pairingURLsLines(t, tt.brand, res)
			var wrote strings.Builder
			onPhone := sim.(interface{ Settings() map[string]string }).Settings()
			for _, st := range setup.Settings {
				fmt.Fprintf(&wrote, "%s = %s\n", st.Name, onPhone[st.Name])
			}
			if wrote.String() != printed {
				t.Errorf("the phone holds\n%s\npairing-urls prints\n%s", wrote.String(), printed)
			}
		})
	}
}

// pairingURLsLines is what "dialbridge pairing-urls" prints for a phone of
// brand on this computer that reports to res.
func pairingURLsLines(t *testing.T, brand string, res *resident) string {
	t.Helper()
	u, err := url.Parse(res.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	cfg := config.Default()
	cfg.Phone.Brand, cfg.Phone.Address, cfg.Listener.Port = brand, "http://127.0.0.1:1", port
	var out, notes bytes.Buffer
	if err := phoneevents.WritePairingURLs(ctx(t), &out, &notes, filepath.Join(t.TempDir(), "config.toml"), cfg, res.token); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSetUpEventsNamesASettingThePhoneDidNotKeep(t *testing.T) {
	reader := fakeReader{"action_incoming_url": "http://old/x"}
	err := VerifySettings(ctx(t), reader, []Setting{{Name: "action_incoming_url", Value: "http://new/x"}})
	want := "the phone's setting action_incoming_url is http://old/x; it must be http://new/x"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	err = VerifySettings(ctx(t), reader, []Setting{{Name: "action_incoming_url", Value: "http://old/x"}})
	if err != nil {
		t.Errorf("matching settings: %v", err)
	}
}

// fakeReader is a phone's settings listing.
type fakeReader map[string]string

func (f fakeReader) ReadSettings(context.Context) (map[string]string, error) { return f, nil }

func TestSetUpEventsListsSettingsToCopy(t *testing.T) {
	s := startSim(t, "yealink")
	res := startResident(t)
	setup, err := (&Pairer{Listener: res}).SetUpEvents(ctx(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if setup.Automatic || len(setup.Settings) == 0 {
		t.Fatalf("setup = %+v, want settings to copy", setup)
	}
	names := map[string]string{}
	for _, st := range setup.Settings {
		names[st.Name] = st.Value
	}
	for _, name := range []string{"action_url.incoming_call", "action_url.call_terminated"} {
		if !strings.HasPrefix(names[name], res.srv.URL+"/phone/"+res.token+"/yealink/") {
			t.Errorf("%s = %q", name, names[name])
		}
	}
	if got := names["features.action_uri_limit_ip"]; got != "127.0.0.1" {
		t.Errorf("the Action URI Allow IP List = %q, want this computer's 127.0.0.1", got)
	}
}

func TestSetUpEventsForABrandWithoutEvents(t *testing.T) {
	s := startSim(t, "polycom")
	_, err := (&Pairer{Listener: startResident(t)}).SetUpEvents(ctx(t), s)
	if err == nil || !strings.Contains(err.Error(), "cannot report its calls") {
		t.Errorf("err = %v", err)
	}
}

// TestFirewallTestEndToEnd: the simulated Snom phone gets its
// action_fwtest_url by SetSettings (CSTA) or dummy.htm (HTTP), FireTest or
// the minibrowser makes it request that URL from the resident's real event
// handler, and the pairing sees it arrive.
func TestFirewallTestEndToEnd(t *testing.T) {
	for _, brand := range []string{"snom", "snom-csta"} {
		t.Run(brand, func(t *testing.T) {
			s := startSim(t, brand)
			res := startResident(t)
			p := &Pairer{Listener: res, PollEvery: 10 * time.Millisecond}
			if err := p.FirewallTest(ctx(t), s); err != nil {
				t.Fatal(err)
			}
			if seen := res.events.Seen(); seen.Event != "test" {
				t.Errorf("the resident saw %+v", seen)
			}
		})
	}
}

func TestFirewallTestFailsWhenNothingArrives(t *testing.T) {
	s := startSim(t, "snom-csta")
	res := startResident(t)
	res.token = "another-token-0123456789" // the phone's requests are refused
	p := &Pairer{Listener: &wrongBase{res}, PollEvery: 10 * time.Millisecond}
	c, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.FirewallTest(c, s); err == nil || !strings.Contains(err.Error(), "did not reach dialbridge") {
		t.Errorf("err = %v", err)
	}
}

// wrongBase hands out a token the resident does not take.
type wrongBase struct{ *resident }

func (w *wrongBase) EventsBase(context.Context, string) (string, string, error) {
	return w.srv.URL, "stale-token-0123456789", nil
}

func TestBrandsWithoutFirewallTest(t *testing.T) {
	s := startSim(t, "yealink")
	err := (&Pairer{Listener: startResident(t)}).FirewallTest(ctx(t), s)
	if !errors.Is(err, ErrNoFirewallTest) {
		t.Errorf("err = %v, want ErrNoFirewallTest", err)
	}
}

func TestWaitForPhone(t *testing.T) {
	res := startResident(t)
	since := time.Now()
	p := &Pairer{Listener: res, PollEvery: 10 * time.Millisecond}
	// An event from before the wait does not count.
	go func() {
		r, err := http.Get(res.srv.URL + "/phone/" + res.token + "/snom/incoming?call_id=1&remote=204")
		if err == nil {
			r.Body.Close()
		}
	}()
	if err := p.WaitForPhone(ctx(t), since); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := p.WaitForPhone(c, time.Now().Add(time.Hour)); err == nil {
		t.Error("an old event counted as a new one")
	}
}

func TestBrandFrom(t *testing.T) {
	tests := []struct {
		header map[string]string
		body   string
		want   string
	}{
		{map[string]string{"WWW-Authenticate": `Digest realm="snom D785", nonce="x"`}, "", "snom"},
		{map[string]string{"WWW-Authenticate": `Basic realm="Yealink SIP-T54W"`}, "", "yealink"},
		{map[string]string{"Server": "PolycomVVX-VVX_450-UA/6.4.3.5018"}, "", "polycom"},
		{nil, "<html><head><TITLE>Grandstream Device Configuration</TITLE>", "grandstream"},
		{map[string]string{"WWW-Authenticate": `Bearer realm="COMfortel D-400"`}, "", "auerswald"},
		{map[string]string{"Server": "nginx"}, "<title>Welcome</title>", ""},
		{nil, "<title>snom</title><title>Yealink</title>", "snom"},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.header {
			h.Set(k, v)
		}
		if got := BrandFrom(h, []byte(tt.body)); got != tt.want {
			t.Errorf("BrandFrom(%v, %q) = %q, want %q", tt.header, tt.body, got, tt.want)
		}
	}
}

func FuzzBrandFrom(f *testing.F) {
	f.Add(`Digest realm="snom D785"`, "", "<html><title>x</title>")
	f.Add("", "Polycom", "")
	f.Add(`Basic realm="`, "", "<title><title></title>")
	f.Fuzz(func(t *testing.T, auth, server, body string) {
		h := http.Header{}
		h.Set("WWW-Authenticate", auth)
		h.Set("Server", server)
		got := BrandFrom(h, []byte(body))
		if got != "" && !brands.Known(got) {
			t.Errorf("BrandFrom named %q, which is no brand", got)
		}
	})
}
