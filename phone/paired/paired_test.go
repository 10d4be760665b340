package paired

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// newPhone is a Phone whose password is pw (or err) and whose log is kept
// in the returned buffer.
func newPhone(t *testing.T, pw string, err error) (*Phone, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	p := New(Options{
		Password:         func() (string, error) { return pw, err },
		OnNewFingerprint: func(string) {},
		Log:              slog.New(slog.NewTextHandler(&log, nil)),
	})
	t.Cleanup(p.Close)
	return p, &log
}

// TestTheDemoPhoneKeepsItsCallEventsAcrossPairings: pairing the demo phone
// again starts a new simulator and stops the old one, but the call events
// (and so the calls in progress) stay; pairing a real phone stops the
// simulator.
func TestTheDemoPhoneKeepsItsCallEventsAcrossPairings(t *testing.T) {
	p, _ := newPhone(t, "", nil)
	if got := p.Status(); got.Paired || p.Driver() != nil || p.DemoEvents() != nil {
		t.Fatalf("before pairing: status %+v, driver %v", got, p.Driver())
	}
	if err := p.Pair(phone.Settings{Brand: brands.Demo}); err != nil {
		t.Fatal(err)
	}
	first, events := p.Status(), p.DemoEvents()
	if !first.Paired || first.SimulatorURL == "" || events == nil {
		t.Fatalf("paired with the demo phone: status %+v, events %v", first, events)
	}
	if err := p.Pair(phone.Settings{Brand: brands.Demo}); err != nil {
		t.Fatal(err)
	}
	second := p.Status()
	if second.SimulatorURL == "" || second.SimulatorURL == first.SimulatorURL {
		t.Errorf("paired again: the simulator is at %q, before at %q; want a new one", second.SimulatorURL, first.SimulatorURL)
	}
	if p.DemoEvents() != events {
		t.Error("paired again: the demo phone's call events were replaced")
	}
	if res, err := http.Get(first.SimulatorURL); err == nil {
		res.Body.Close()
		t.Errorf("the first simulator still answers at %s", first.SimulatorURL)
	}
	if err := p.Pair(phone.Settings{Brand: "snom", Address: "http://192.0.2.10"}); err != nil {
		t.Fatal(err)
	}
	if got := p.Status(); !got.Paired || got.SimulatorURL != "" {
		t.Errorf("paired with a real phone: status %+v; want paired, no simulator", got)
	}
}

// TestAFailedPairingKeepsTheDriver: a phone that cannot be paired leaves
// the one paired before in use, and says why.
func TestAFailedPairingKeepsTheDriver(t *testing.T) {
	p, _ := newPhone(t, "", nil)
	if err := p.Pair(phone.Settings{Brand: "snom", Address: "http://192.0.2.10"}); err != nil {
		t.Fatal(err)
	}
	before := p.Driver()
	err := p.Pair(phone.Settings{Brand: "no-such-brand"})
	if err == nil || !strings.Contains(err.Error(), `unknown phone brand "no-such-brand"`) {
		t.Errorf("pairing an unknown brand: got %v", err)
	}
	if p.Driver() != before {
		t.Error("the failed pairing replaced the driver")
	}
}

// TestThePasswordReachesThePhone pairs a simulated Snom phone that wants
// a password: the one Password reads dials, and one that cannot be read
// is logged while the pairing still happens (the dial then fails).
func TestThePasswordReachesThePhone(t *testing.T) {
	sim, s, err := brandsim.StartWith("snom", "admin", "pa55")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	s.Password = ""
	tests := []struct {
		name     string
		pw       string
		pwErr    error
		wantDial bool
		wantLog  string
	}{
		{"stored", "pa55", nil, true, ""},
		{"not readable", "", errors.New("the keyring is locked"), false, "the phone password is not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, log := newPhone(t, tt.pw, tt.pwErr)
			if err := p.Pair(s); err != nil {
				t.Fatal(err)
			}
			err := p.Driver().Dial(context.Background(), phone.DialOptions{Number: "0301234567"})
			if got := err == nil; got != tt.wantDial {
				t.Errorf("dial: got error %v, want success %v", err, tt.wantDial)
			}
			if !strings.Contains(log.String(), tt.wantLog) {
				t.Errorf("log %q does not say %q", log.String(), tt.wantLog)
			}
		})
	}
}
