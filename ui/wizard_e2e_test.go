package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// inSession skips a test that needs the real desktop parts unless it runs
// inside .ci/desktop-session.sh (session bus, unlocked gnome-keyring).
func inSession(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" || os.Getenv("DIALBRIDGE_IN_SESSION") != "1" {
		t.Skip("needs a session bus with an unlocked gnome-keyring: run inside .ci/desktop-session.sh")
	}
}

// startRealResident builds the resident program and runs `serve` on a
// config file, as the tray would, and waits until its control API answers.
func startRealResident(t *testing.T, cfgPath string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dialbridge-resident")
	build := exec.Command("go", "build", "-o", bin, "github.com/dialbridge/dialbridge/cmd/dialbridge-resident")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building dialbridge: %v\n%s", err, out)
	}
	var log strings.Builder
	cmd := exec.Command(bin, "serve", "--config", cfgPath)
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("dialbridge serve said:\n%s", log.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := control.WaitReady(ctx, cfgPath, cmd.Process.Pid, done); err != nil {
		t.Fatalf("dialbridge serve did not come up (%v):\n%s", err, log.String())
	}
}

// TestWizardPairsASimulatedSnomEndToEnd pairs the real resident with a
// simulated Snom phone (CSTA, Digest) through the wizard: the brand is
// detected, the password is checked against the phone and stored in the
// real keyring, the config file is saved and the resident reloads it, the
// phone's action URLs are written by SetSettings, and the phone's FireTest
// request reaches the resident. Then the resident dials through the phone
// with the password from the keyring.
func TestWizardPairsASimulatedSnomEndToEnd(t *testing.T) {
	inSession(t)
	// Over CSTA (SetSettings, FireTest) and over plain HTTP (dummy.htm,
	// read back from settings.htm, the minibrowser's test request).
	for _, brand := range []string{"snom-csta", "snom"} {
		t.Run(brand, func(t *testing.T) {
			secrets := config.Secrets{}
			if err := secrets.Delete(config.SecretPhone); err != nil {
				t.Fatalf("the keyring does not answer: %v", err)
			}
			t.Cleanup(func() { _ = secrets.Delete(config.SecretPhone) })

			sim, simSettings, err := brandsim.Start(brand)
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()

			cfgPath := filepath.Join(t.TempDir(), "config.toml")
			cfg := config.Default()
			cfg.Listener.Port = configtest.FreePort(t)
			store := backend.ConfigFile{Path: cfgPath}
			if err := store.Save(cfg); err != nil {
				t.Fatal(err)
			}
			startRealResident(t, cfgPath)
			res := backend.NewResident(cfgPath, nil)

			a := test.NewTempApp(t)
			env := Env{Go: func(f func()) { f() }, Timeout: 30 * time.Second}
			w := NewWizard(a, WizardDeps{
				Env: env, Pairer: &pairing.Pairer{Listener: res, PollEvery: 20 * time.Millisecond},
				Config: store, Secrets: secrets, Resident: res, Address: simSettings.Address,
			})
			step := func(want int) {
				t.Helper()
				if w.step != want {
					t.Fatalf("at step %d, want %d; the wizard says %q", w.step, want, w.outcome.Text)
				}
			}

			w.Next() // detect
			step(stepBrand)
			if w.detected != "snom" {
				t.Errorf("detected %q, want snom", w.detected)
			}
			w.brand.SetSelected(brand) // for snom-csta the person knows it speaks CSTA
			w.Next()
			step(stepCredentials)
			w.username.SetText(simSettings.Username)
			w.password.SetText("wrong")
			w.Next()
			step(stepCredentials) // refused by the phone
			if _, err := secrets.Get(config.SecretPhone); !errors.Is(err, config.ErrNoSecret) {
				t.Errorf("a refused password reached the keyring (%v)", err)
			}
			w.password.SetText(simSettings.Password)
			w.Next()
			step(stepEvents)
			if !w.results[stepEvents].ok || !w.setup.Automatic || w.setup.ReadBack != (brand == "snom") {
				t.Fatalf("events: %+v", w.results[stepEvents])
			}
			w.Next() // the firewall test runs at once
			step(stepFirewall)
			if r := w.results[stepFirewall]; r == nil || !r.ok {
				t.Fatalf("firewall test: %+v", r)
			}
			w.Next()
			step(stepDone)

			// The password is in the real keyring, and only there.
			if pw, err := secrets.Get(config.SecretPhone); err != nil || pw != simSettings.Password {
				t.Errorf("keyring has %q, %v", pw, err)
			}
			raw, err := os.ReadFile(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			// Only settings count: the file's comments explain the keys and may
			// use any word (the demo password is "demo").
			for _, line := range strings.Split(string(raw), "\n") {
				setting, _, _ := strings.Cut(line, "#")
				if strings.Contains(setting, simSettings.Password) {
					t.Errorf("the phone password is in the config file: %q", line)
				}
			}
			saved, err := store.Load()
			if err != nil {
				t.Fatal(err)
			}
			if saved.Phone.Brand != brand || saved.Phone.Address != simSettings.Address || saved.Phone.PairingToken == "" {
				t.Errorf("saved phone = %+v", saved.Phone)
			}
			onPhone := sim.(interface{ Settings() map[string]string }).Settings()
			want := fmt.Sprintf("http://127.0.0.1:%d/phone/%s/snom/incoming", cfg.Listener.Port, saved.Phone.PairingToken)
			if !strings.HasPrefix(onPhone["action_incoming_url"], want) {
				t.Errorf("the phone reports incoming calls to %q, want %q…", onPhone["action_incoming_url"], want)
			}

			// The resident now drives the paired phone with the keyring's password.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := res.Dial(ctx, "204", ""); err != nil {
				t.Errorf("dialing through the paired phone: %v", err)
			}
		})
	}
}
