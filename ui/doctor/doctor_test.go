package doctor

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// resident is a running dialbridge for the checks: the real phone-event
// handler on a loopback server. base, when set, is where the phone is
// told to send its events instead (a path a firewall blocks, a former
// address).
type resident struct {
	srv    *httptest.Server
	events *phoneevents.PhoneEvents
	token  string
	base   string
	down   bool
}

func (r *resident) Ping(context.Context) error {
	if r.down {
		return control.ErrNotRunning
	}
	return nil
}

func (r *resident) EventsBase(context.Context, string) (string, string, error) {
	if r.base != "" {
		return r.base, r.token, nil
	}
	return r.srv.URL, r.token, nil
}

func (r *resident) Seen(context.Context) (control.PhoneSeen, error) { return r.events.Seen(), nil }

func (r *resident) HandleEvent(context.Context, phone.Event) error { return nil }

func startResident(t *testing.T) *resident {
	t.Helper()
	r := &resident{token: "pairing-token-0123456789"}
	r.events = phoneevents.NewPhoneEvents(phoneevents.PhoneEventsOptions{
		Token: func() string { return r.token }, PhoneAddrs: func() []netip.Addr { return nil }, Sink: r,
	})
	r.srv = httptest.NewServer(r.events)
	t.Cleanup(r.srv.Close)
	return r
}

type secrets map[string]string

func (s secrets) Get(user string) (string, error) {
	if v, ok := s[user]; ok {
		return v, nil
	}
	return "", config.ErrNoSecret
}

// setup is a config file pairing dialbridge with the phone in s, whose
// listener port is the resident's.
func setup(t *testing.T, s brands.Settings, res *resident, edit func(*config.Config)) string {
	t.Helper()
	u, _ := url.Parse(res.srv.URL)
	port, _ := strconv.Atoi(u.Port())
	cfg := config.Default()
	cfg.Listener.Port = port
	cfg.Phone.Brand, cfg.Phone.Address, cfg.Phone.Username = s.Brand, s.Address, s.Username
	cfg.Phone.PairingToken = res.token
	if edit != nil {
		edit(&cfg)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := config.Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, path string, res *resident, password string) Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d := &Doctor{ConfigPath: path, Resident: res, Secrets: secrets{config.SecretPhone: password},
		Pairer: &pairing.Pairer{PollEvery: 10 * time.Millisecond}, TestTimeout: time.Second,
		PortHolder: func(int) string { return "squatter (PID 42)" }}
	return d.Run(ctx)
}

// paired starts a simulated phone of brand and points its event URLs at
// res, as "dialbridge pair" does.
func paired(t *testing.T, brand string, res *resident) brands.Settings {
	t.Helper()
	sim, s, err := brandsim.Start(brand)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := (&pairing.Pairer{Listener: res}).SetUpEvents(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAHealthySnomSetupHoldsEveryLink(t *testing.T) {
	res := startResident(t)
	s := paired(t, "snom", res)
	r := run(t, setup(t, s, res, nil), res, s.Password)
	if !r.OK() {
		t.Fatalf("report:\n%s", strings.Join(r.Lines(), "\n"))
	}
	want := []Link{LinkConfig, LinkListener, LinkResident, LinkKeyring, LinkPhone, LinkPassword, LinkEventURLs, LinkTestEvent, LinkTLSPin}
	for i, c := range r.Checks {
		if c.Link != want[i] || c.Status != OK {
			t.Errorf("line %d = %+v, want %s ok", i, c, want[i])
		}
	}
}

// TestDoctorNamesTheFirstBrokenLink: each fault a person meets breaks the
// link that explains it, with the sentence that says what to do.
func TestDoctorNamesTheFirstBrokenLink(t *testing.T) {
	tests := []struct {
		name     string
		fault    func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config)
		password string // "" means the right one
		want     Link
		wantText string
	}{
		{"a phone that is down", func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config) {
			cfg.Phone.Address = closedAddress(t)
		}, "", LinkPhone, "check that the phone is switched on"},
		{"a wrong password", nil, "wrong", LinkPassword, "refused the user name or password"},
		{"a blocked event path", func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config) {
			// The phone is told to report to a port a firewall drops.
			res.base = "http://" + strings.TrimPrefix(closedAddress(t), "http://")
			if _, err := (&pairing.Pairer{Listener: res}).SetUpEvents(context.Background(), *s); err != nil {
				t.Fatal(err)
			}
		}, "", LinkTestEvent, "blocks the phone's requests"},
		{"a changed address of this computer", func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config) {
			res.base = strings.Replace(res.srv.URL, "127.0.0.1", "localhost", 1)
		}, "", LinkEventURLs, "its setting action_incoming_url must be http://localhost:"},
		{"dialbridge not running", func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config) {
			res.down = true
			cfg.Listener.Port = configtest.FreePort(t)
		}, "", LinkListener, "Nothing listens on port"},
		{"another program on the port", func(t *testing.T, s *brands.Settings, res *resident, cfg *config.Config) {
			res.down = true
		}, "", LinkListener, "is held by squatter (PID 42)"},
		{"no password in the keyring", nil, "-", LinkKeyring, "holds no password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := startResident(t)
			s := paired(t, "snom", res)
			path := setup(t, s, res, func(cfg *config.Config) {
				if tt.fault != nil {
					tt.fault(t, &s, res, cfg)
				}
			})
			pw := s.Password
			switch tt.password {
			case "":
			case "-":
				pw = ""
			default:
				pw = tt.password
			}
			d := &Doctor{ConfigPath: path, Resident: res, Secrets: secrets{}, Pairer: &pairing.Pairer{PollEvery: 10 * time.Millisecond},
				TestTimeout: time.Second, PortHolder: func(int) string { return "squatter (PID 42)" }}
			if pw != "" {
				d.Secrets = secrets{config.SecretPhone: pw}
			}
			r := d.Run(context.Background())
			if r.FirstBroken != tt.want {
				t.Fatalf("first broken = %q, want %q; report:\n%s", r.FirstBroken, tt.want, strings.Join(r.Lines(), "\n"))
			}
			for _, c := range r.Checks {
				if c.Link == tt.want && !strings.Contains(c.Message, tt.wantText) {
					t.Errorf("%s says %q, want it to contain %q", c.Link, c.Message, tt.wantText)
				}
			}
		})
	}
}

func TestAChangedCertificateBreaksTheTLSPin(t *testing.T) {
	res := startResident(t)
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{TLS: true, Auth: phonesim.AuthDigest, Username: "admin", Password: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	s := brands.Settings{Brand: "snom", Address: sim.URL(), Username: "admin", Password: "pw"}
	path := setup(t, s, res, func(cfg *config.Config) {
		cfg.Phone.TLSFingerprint = strings.Repeat("AB:", 31) + "AB" // the certificate trusted before
	})
	r := run(t, path, res, "pw")
	if r.FirstBroken != LinkTLSPin {
		t.Fatalf("first broken = %q, want tls_pin; report:\n%s", r.FirstBroken, strings.Join(r.Lines(), "\n"))
	}
	last := r.Checks[len(r.Checks)-1]
	if !strings.Contains(last.Message, "delete phone.tls_fingerprint from the config file and run \"dialbridge pair\"") {
		t.Errorf("tls_pin says %q", last.Message)
	}
}

func TestAnInvalidConfigSkipsEverythingElse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := writeFile(path, "[listener]\nport = \"many\"\n"); err != nil {
		t.Fatal(err)
	}
	r := run(t, path, startResident(t), "")
	if r.FirstBroken != LinkConfig || len(r.Checks) != 9 {
		t.Fatalf("report:\n%s", strings.Join(r.Lines(), "\n"))
	}
	for _, c := range r.Checks[1:] {
		if c.Status != Skipped {
			t.Errorf("%s = %s, want skipped", c.Link, c.Status)
		}
	}
}

// closedAddress is an address where nothing listens any more.
func closedAddress(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

func TestTheSupportZipHoldsTheReportAndNoSecret(t *testing.T) {
	res := startResident(t)
	s := paired(t, "snom", res)
	path := setup(t, s, res, nil)
	if err := writeFile(filepath.Join(filepath.Dir(path), "start-failure.txt"), "port 61234 is in use\n"); err != nil {
		t.Fatal(err)
	}
	r := run(t, path, res, "wrong")
	var buf bytes.Buffer
	if err := WriteBundle(&buf, r, Bundle{ConfigPath: path, Version: "1.2.3", Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	var text strings.Builder
	_ = r.Write(&text, false)
	checks := []struct{ file, want string }{
		{"doctor.txt", text.String()},
		{"versions.txt", "dialbridge 1.2.3\n"},
		{"log.txt", "port 61234 is in use\n"},
	}
	for _, c := range checks {
		if !strings.HasPrefix(got[c.file], c.want) {
			t.Errorf("%s = %q, want it to start with %q", c.file, got[c.file], c.want)
		}
	}
	if !strings.Contains(got["doctor.json"], `"first_broken": "password"`) {
		t.Errorf("doctor.json = %s", got["doctor.json"])
	}
	if strings.Contains(got["config.toml"], res.token) || !strings.Contains(got["config.toml"], "REDACTED") {
		t.Errorf("config.toml keeps the pairing token:\n%s", got["config.toml"])
	}
	for name, body := range got {
		if strings.Contains(body, "wrong") {
			t.Errorf("%s holds the password", name)
		}
	}
}

func TestTheExitSentenceNamesTheFirstBrokenLink(t *testing.T) {
	r := Report{Checks: []Check{{LinkConfig, OK, "fine"}, {LinkPhone, Broken, "The phone at x cannot be reached."}, {LinkTLSPin, Broken, "later"}}, FirstBroken: LinkPhone}
	if got, want := r.Err().Error(), "the first broken link is phone: The phone at x cannot be reached."; got != want {
		t.Errorf("Err = %q, want %q", got, want)
	}
	if (Report{}).Err() != nil {
		t.Error("a report without a broken link fails")
	}
}

func TestASIPPhoneIsNotAskedOverHTTP(t *testing.T) {
	res := startResident(t)
	path := setup(t, brands.Settings{Brand: "sip", Address: "sip:101@127.0.0.1:5060"}, res, func(cfg *config.Config) {
		cfg.Phone.SIPDomain = "pbx.example"
	})
	r := run(t, path, res, "pw")
	if !r.OK() {
		t.Fatalf("report:\n%s", strings.Join(r.Lines(), "\n"))
	}
	for _, c := range r.Checks[4:] {
		if c.Status != Skipped || !strings.Contains(c.Message, "subscribing to its dialog state") {
			t.Errorf("%s = %s %q", c.Link, c.Status, c.Message)
		}
	}
}

// brokenKeyring is a keyring that does not answer.
type brokenKeyring struct{}

func (brokenKeyring) Get(string) (string, error) {
	return "", errors.New("reading the phone password from the system keyring: no Secret Service")
}

func TestAKeyringThatDoesNotAnswerIsTheBrokenLink(t *testing.T) {
	res := startResident(t)
	s := paired(t, "snom", res)
	d := &Doctor{ConfigPath: setup(t, s, res, nil), Resident: res, Secrets: brokenKeyring{}, Pairer: &pairing.Pairer{}, TestTimeout: time.Second}
	r := d.Run(context.Background())
	if r.FirstBroken != LinkKeyring || !strings.Contains(r.Err().Error(), "The system keyring cannot be reached: reading the phone password") {
		t.Errorf("first broken %q, %v", r.FirstBroken, r.Err())
	}
}
