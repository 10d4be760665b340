// Package paired keeps the phone the resident is paired with now: the
// driver every dial and call operation goes through, and in demo mode the
// simulated phone. Settings can change the phone while the resident runs,
// so the driver is asked for at each use rather than held.
//
// The demo phone's call events (what it reports its calls through) live as
// long as the Phone, not as long as one simulator: a reload that starts a
// new simulator keeps the calls in progress.
package paired

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// demoPickUp is when the demo phone's far end picks up a dialed call, so
// that a person sees it ring out first.
const demoPickUp = 1500 * time.Millisecond

// Options are what a Phone needs from the rest of the program.
type Options struct {
	// Password reads the phone's password (the keyring); "" and no error
	// when none is stored. An error is logged, and pairing goes on without
	// the password: the listener, journal and tray still work, and the
	// first dial says the phone refused the password.
	Password func() (string, error)
	// OnNewFingerprint stores the phone certificate's fingerprint trusted
	// on first use, so that a different certificate is refused from then
	// on. It is called during the TLS handshake, so it must not block.
	OnNewFingerprint func(fp string)
	Log              *slog.Logger
}

// Phone is the paired phone. The zero value is not usable; use New.
type Phone struct {
	o Options

	mu     sync.Mutex
	driver phone.Driver
	sim    brands.Simulator
	// demo is what the demo phone reports its calls through; made at the
	// first pairing with it.
	demo phone.CallPlayer
}

// New returns a Phone paired with nothing yet; Pair pairs it.
func New(o Options) *Phone {
	return &Phone{o: o}
}

// Pair opens the driver for s, the configured phone without its password;
// the brand brands.Demo starts the simulated phone instead (stopping the
// one an earlier Pair started). On an error the earlier driver stays.
func (p *Phone) Pair(s phone.Settings) error {
	p.mu.Lock()
	stale := p.sim
	p.sim = nil
	p.mu.Unlock()
	if stale != nil {
		_ = stale.Close()
	}
	identity := s.Identity
	if s.Brand == brands.Demo {
		sim, settings, err := brands.StartDemo(p.demoEvents(identity))
		if err != nil {
			return fmt.Errorf("starting the simulated phone: %w", err)
		}
		p.mu.Lock()
		p.sim = sim
		p.mu.Unlock()
		s = settings
		p.o.Log.Info("paired with the simulated demo phone", "address", sim.URL())
	} else {
		pw, err := p.o.Password()
		if err != nil {
			p.o.Log.Error("the phone password is not available; dialing will fail until it is", "error", err)
		}
		s.Password = pw
		s.OnNewFingerprint = p.o.OnNewFingerprint
	}
	s.Identity = identity
	drv, err := brands.Open(s)
	if err != nil {
		return fmt.Errorf("phone: %w", err)
	}
	p.mu.Lock()
	p.driver = drv
	p.mu.Unlock()
	return nil
}

// demoEvents returns the demo phone's call events, made at the first call
// for the line identity.
func (p *Phone) demoEvents(identity string) phone.CallPlayer {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.demo == nil {
		p.demo = brands.NewDemoEvents(identity, demoPickUp,
			func(err error) { p.o.Log.Warn("the simulated phone could not report a call", "error", err) })
	}
	return p.demo
}

// Driver is the driver of the phone paired now; nil before the first
// successful Pair.
func (p *Phone) Driver() phone.Driver {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.driver
}

// DemoEvents is what the demo phone reports its calls through, for the
// call service to play them as the phone's action URLs; nil when the demo
// phone was never paired.
func (p *Phone) DemoEvents() phone.CallPlayer {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.demo
}

// Status is what a person is shown of the pairing (the tray's phone line).
type Status struct {
	// Paired: a driver is open; Caps are then what it can do.
	Paired bool
	Caps   phone.Capability
	// SimulatorURL is the running demo phone's address; "" without one.
	SimulatorURL string
}

// Status reports the pairing as it is now.
func (p *Phone) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	var s Status
	if p.driver != nil {
		s.Paired, s.Caps = true, p.driver.Capabilities()
	}
	if p.sim != nil {
		s.SimulatorURL = p.sim.URL()
	}
	return s
}

// Close stops the demo phone and its call events; the driver needs no
// closing.
func (p *Phone) Close() {
	p.mu.Lock()
	sim, demo := p.sim, p.demo
	p.sim = nil
	p.mu.Unlock()
	if sim != nil {
		_ = sim.Close()
	}
	if demo != nil {
		demo.Close()
	}
}
