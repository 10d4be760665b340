// Package brandsim starts the simulated phone of any brand, for tests that
// pair with a phone of a given brand. The programs import only phone/brands,
// which builds in the demo phone alone, so the other simulators stay out of
// the binaries.
package brandsim

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/auerswald"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/cisco"
	"github.com/dialbridge/dialbridge/phone/fanvil"
	"github.com/dialbridge/dialbridge/phone/grandstream"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/polycom"
	"github.com/dialbridge/dialbridge/phone/sip"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// simulators start each brand's simulator with the given credentials; a
// test checks that every brand of the registry has one.
var simulators = map[string]func(user, password string) (phone.Simulator, error){
	snom.Brand:        snom.Simulated,
	snomcsta.Brand:    snomcsta.Simulated,
	yealink.Brand:     yealink.Simulated,
	auerswald.Brand:   auerswald.Simulated,
	grandstream.Brand: grandstream.Simulated,
	polycom.Brand:     polycom.Simulated,
	fanvil.Brand:      fanvil.Simulated,
	cisco.Brand:       cisco.Simulated,
	sip.Brand:         sip.Simulated,
}

// Names lists the brands with a simulator, sorted.
func Names() []string { return slices.Sorted(maps.Keys(simulators)) }

// Start starts the simulator of brand (or the demo phone for "demo") on a
// free loopback port with the demo credentials, and returns it with the
// Settings that pair a driver with it.
func Start(brand string) (phone.Simulator, phone.Settings, error) {
	if brand == brands.Demo {
		return brands.StartSimulator(brand)
	}
	return StartWith(brand, brands.DemoUsername, brands.DemoPassword)
}

// Phone is a started simulated phone as tests look at it: besides its
// address, the requests it accepted (every simulator records them).
type Phone interface {
	phone.Simulator
	Requests() []phonesim.Request
	WaitRequests(ctx context.Context, n int) ([]phonesim.Request, error)
}

// StartWith starts the simulator of brand taking user and password, for
// tests of the whole program that pair it through a config file.
func StartWith(brand, user, password string) (Phone, phone.Settings, error) {
	start, ok := simulators[brand]
	if !ok {
		return nil, phone.Settings{}, fmt.Errorf("no simulator for phone brand %q", brand)
	}
	return recording(brands.Simulate(brand, user, password, start))
}

// recording returns a started simulator as a Phone, closing it when it
// does not record its requests.
func recording(sim phone.Simulator, s phone.Settings, err error) (Phone, phone.Settings, error) {
	if err != nil {
		return nil, s, err
	}
	p, ok := sim.(Phone)
	if !ok {
		_ = sim.Close()
		return nil, s, fmt.Errorf("the %s simulator does not record its requests", s.Brand)
	}
	return p, s, nil
}

// tuned start each HTTP brand's simulator with phonesim's knobs as a test sets
// them (authentication scheme, delay, TLS, missing pages). Grandstream's
// commands carry the password as a passcode instead of a login, and
// Auerswald's phone always wants its token, so those two take the password
// their own way. The SIP phone serves no web pages; sip.SimOptions are its
// knobs.
var tuned = map[string]func(o phonesim.Options) (phone.Simulator, error){
	snom.Brand: func(o phonesim.Options) (phone.Simulator, error) { return snom.StartSim(snom.SimOptions{Options: o}) },
	snomcsta.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		return snomcsta.StartSim(snomcsta.SimOptions{Options: o})
	},
	yealink.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		return yealink.StartSim(yealink.SimOptions{Options: o})
	},
	auerswald.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		return auerswald.StartSim(auerswald.SimOptions{Options: o})
	},
	grandstream.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		pass := o.Password
		o.Auth, o.Username, o.Password = phonesim.AuthNone, "", ""
		return grandstream.StartSim(grandstream.SimOptions{Options: o, Passcode: pass})
	},
	polycom.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		return polycom.StartSim(polycom.SimOptions{Options: o})
	},
	fanvil.Brand: func(o phonesim.Options) (phone.Simulator, error) {
		return fanvil.StartSim(fanvil.SimOptions{Options: o})
	},
	cisco.Brand: func(o phonesim.Options) (phone.Simulator, error) { return cisco.StartSim(cisco.SimOptions{Options: o}) },
}

// StartTuned starts the simulator of brand with o: a phone with a wrong
// password, a slow phone, or one whose firmware lacks a page (o.Missing),
// for tests of how dialbridge explains a phone's failures. The Settings
// pair a driver with it under o's credentials.
func StartTuned(brand string, o phonesim.Options) (Phone, phone.Settings, error) {
	start, ok := tuned[brand]
	if !ok {
		return nil, phone.Settings{}, fmt.Errorf("no simulator for phone brand %q", brand)
	}
	return recording(brands.Simulate(brand, o.Username, o.Password, func(string, string) (phone.Simulator, error) { return start(o) }))
}

// Dialer is a simulated phone that also lists the dials it carried out,
// with the identity each was dialed from, and forgets its requests on
// Reset: what tests of the listener look at. Snom's command.htm simulator
// is one.
type Dialer interface {
	Phone
	Dialed() []phone.DialOptions
	Reset()
}

// StartDialer is StartTuned for a brand whose simulator is a Dialer.
func StartDialer(brand string, o phonesim.Options) (Dialer, phone.Settings, error) {
	p, s, err := StartTuned(brand, o)
	if err != nil {
		return nil, s, err
	}
	d, ok := p.(Dialer)
	if !ok {
		_ = p.Close()
		return nil, s, fmt.Errorf("the %s simulator does not list its dials with identities", brand)
	}
	return d, s, nil
}
