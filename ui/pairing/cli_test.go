package pairing

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/ui/form"
)

// files is the config file in a test's folder.
type files struct{ path string }

func (f files) Load() (config.Config, error) { return config.Load(f.path) }
func (f files) Save(c config.Config) error   { return config.Save(f.path, c) }

// keyring is the system keyring of a test.
type keyring map[string]string

func (k keyring) Set(user, pw string) error { k[user] = pw; return nil }
func (k keyring) Delete(user string) error  { delete(k, user); return nil }
func (k keyring) Get(user string) (string, error) {
	if v, ok := k[user]; ok {
		return v, nil
	}
	return "", config.ErrNoSecret
}

// cliRig pairs through the command line with a config file whose token
// is the test resident's.
func cliRig(t *testing.T, res *resident, answers ...string) (*CLI, files, keyring, *bytes.Buffer) {
	t.Helper()
	f := files{filepath.Join(t.TempDir(), "config.toml")}
	cfg := config.Default()
	cfg.Phone.PairingToken = res.token
	if err := f.Save(cfg); err != nil {
		t.Fatal(err)
	}
	k := keyring{}
	var out bytes.Buffer
	next := func(string) (string, error) {
		if len(answers) == 0 {
			return "", fmt.Errorf("asked more than the test answers")
		}
		a := answers[0]
		answers = answers[1:]
		return a, nil
	}
	c := &CLI{Pairer: &Pairer{Listener: res, PollEvery: 10 * time.Millisecond}, Saver: form.Saver{Files: f, Keyring: k},
		Secrets: k, Term: Terminal{Out: &out, Ask: next, AskSecret: next}}
	return c, f, k, &out
}

// TestPairSetsUpASnomPhoneOverHTTPWithoutCopying: "dialbridge pair ADDRESS"
// finds the brand, asks only for the password, saves the pairing, writes
// the action URLs (exactly what pairing-urls prints), reads them back and
// hears the phone's test request.
func TestPairSetsUpASnomPhoneOverHTTPWithoutCopying(t *testing.T) {
	sim, s := startSimulator(t, "snom")
	res := startResident(t)
	c, f, k, out := cliRig(t, res, s.Password)
	if err := c.Pair(ctx(t), Request{Address: s.Address, Username: s.Username}); err != nil {
		t.Fatalf("Pair: %v\n%s", err, out)
	}
	cfg, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Phone.Brand != "snom" || cfg.Phone.Address != s.Address || cfg.Phone.Username != s.Username || k[config.SecretPhone] != s.Password {
		t.Errorf("saved %+v with password %q", cfg.Phone, k[config.SecretPhone])
	}
	printed := pairingURLsLines(t, "snom", res)
	onPhone := sim.(interface{ Settings() map[string]string }).Settings()
	for _, line := range strings.Split(strings.TrimSpace(printed), "\n") {
		name, value, _ := strings.Cut(line, " = ")
		if onPhone[name] != value {
			t.Errorf("the phone's %s = %q, pairing-urls prints %q", name, onPhone[name], value)
		}
		if !strings.Contains(out.String(), "  "+line+"\n") {
			t.Errorf("pair did not show %q", line)
		}
	}
	for _, want := range []string{"is a snom phone", "accepted the user name and password", "read them back", "test request reached dialbridge"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestPairAsksOnceWhenTheStoredPasswordIsRefused: a stored password the
// phone refuses is not tried again; the person is asked once, and a
// second refusal ends pairing (Yealink locks a client out after a few).
func TestPairAsksOnceWhenTheStoredPasswordIsRefused(t *testing.T) {
	s := startSim(t, "yealink")
	res := startResident(t)
	c, f, k, out := cliRig(t, res, "still wrong")
	cfg, _ := f.Load()
	cfg.Phone.Brand, cfg.Phone.Address, cfg.Phone.Username = "yealink", s.Address, s.Username
	if err := f.Save(cfg); err != nil {
		t.Fatal(err)
	}
	k[config.SecretPhone] = "old"
	err := c.Pair(ctx(t), Request{})
	if err == nil || !strings.Contains(err.Error(), "refused the user name or password") {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Count(out.String(), "refused the stored password"); got != 1 {
		t.Errorf("said %d times that the stored password was refused:\n%s", got, out)
	}
	if k[config.SecretPhone] != "old" {
		t.Error("a refused password was stored")
	}
}

// TestPairPrintsWhatToEnterOnAYealinkPhone: Yealink lets no program write
// its settings; pair prints each one, the allow list included, exactly
// as pairing-urls does.
func TestPairPrintsWhatToEnterOnAYealinkPhone(t *testing.T) {
	s := startSim(t, "yealink")
	res := startResident(t)
	c, _, _, out := cliRig(t, res, s.Password)
	if err := c.Pair(ctx(t), Request{Address: s.Address, Brand: "yealink", Username: s.Username}); err != nil {
		t.Fatalf("Pair: %v\n%s", err, out)
	}
	printed := pairingURLsLines(t, "yealink", res)
	for _, line := range strings.Split(strings.TrimSpace(printed), "\n") {
		if !strings.Contains(out.String(), "  "+line+"\n") {
			t.Errorf("pair did not show %q:\n%s", line, out)
		}
	}
	if !strings.Contains(out.String(), "features.action_uri_limit_ip = 127.0.0.1") {
		t.Errorf("no allow list:\n%s", out)
	}
}

// stopped is a resident that is not running: it cannot say what it heard.
type stopped struct{ *resident }

func (stopped) Seen(context.Context) (control.PhoneSeen, error) {
	return control.PhoneSeen{}, control.ErrNotRunning
}

func TestPairWithoutARunningDialbridgeSavesAndSaysHowToCheck(t *testing.T) {
	s := startSim(t, "snom")
	res := startResident(t)
	c, f, _, out := cliRig(t, res, s.Password)
	c.Pairer.Listener = stopped{res}
	if err := c.Pair(ctx(t), Request{Address: s.Address, Username: s.Username}); err != nil {
		t.Fatalf("Pair: %v\n%s", err, out)
	}
	if cfg, _ := f.Load(); cfg.Phone.Address != s.Address {
		t.Errorf("not saved: %+v", cfg.Phone)
	}
	if !strings.Contains(out.String(), "dialbridge is not running") || !strings.Contains(out.String(), "read them back") {
		t.Errorf("output:\n%s", out)
	}
}
