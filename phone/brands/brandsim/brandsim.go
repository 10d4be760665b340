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
	sim, s, err := brands.Simulate(brand, user, password, start)
	if err != nil {
		return nil, s, err
	}
	p, ok := sim.(Phone)
	if !ok {
		_ = sim.Close()
		return nil, s, fmt.Errorf("the %s simulator does not record its requests", brand)
	}
	return p, s, nil
}
