// Package brands knows every phone brand dialbridge can drive: it turns the
// [phone] settings into a phone.Driver, and starts the matching simulator for
// the demo mode. It is the one place that imports all brand packages, so the
// rest of the program only ever sees phone.Driver.
package brands

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// Settings is what a driver needs to reach its phone. It mirrors the [phone]
// table of the config file, plus the password from the keyring.
type Settings struct {
	Brand    string
	Address  string
	Username string
	Password string
	Identity string
	// Transport overrides the HTTP transport (tests, certificate pinning).
	Transport http.RoundTripper
}

// Demo is the brand name that pairs with a built-in simulated phone.
const Demo = "demo"

type brand struct {
	open     func(s Settings, c *phonehttp.Client) (phone.Driver, error)
	simulate func() (Simulator, error)
}

var registry = map[string]brand{
	snom.Brand: {
		open: func(_ Settings, c *phonehttp.Client) (phone.Driver, error) { return snom.New(c), nil },
		simulate: func() (Simulator, error) {
			return snom.StartSim(snom.SimOptions{Options: phonesim.Options{
				Auth: phonesim.AuthDigest, Username: DemoUsername, Password: DemoPassword,
			}})
		},
	},
}

// DemoUsername and DemoPassword are the credentials of the demo phones. They
// are not secrets: the simulators only listen on loopback.
const (
	DemoUsername = "admin"
	DemoPassword = "demo"
)

// Names lists the brand names the config accepts, sorted, without "demo".
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Known reports whether name is a brand of the config contract (or "demo").
func Known(name string) bool {
	_, ok := registry[name]
	return ok || name == Demo
}

// Open returns the driver for s.Brand talking to s.Address.
func Open(s Settings) (phone.Driver, error) {
	b, ok := registry[s.Brand]
	if !ok {
		return nil, fmt.Errorf("unknown phone brand %q (known: %s)", s.Brand, strings.Join(Names(), ", "))
	}
	c, err := phonehttp.New(phonehttp.Options{
		Brand: s.Brand, Address: s.Address, Username: s.Username, Password: s.Password, Transport: s.Transport,
	})
	if err != nil {
		return nil, err
	}
	return b.open(s, c)
}

// Simulator is a running simulated phone.
type Simulator interface {
	// URL is the simulator's base address.
	URL() string
	// Close stops it.
	Close() error
}

// StartSimulator starts the simulator of brand on a free loopback port and
// returns it with the Settings that pair a driver with it. For "demo" it
// starts a Snom simulator.
func StartSimulator(brandName string) (Simulator, Settings, error) {
	if brandName == Demo {
		brandName = snom.Brand
	}
	b, ok := registry[brandName]
	if !ok || b.simulate == nil {
		return nil, Settings{}, fmt.Errorf("no simulator for phone brand %q", brandName)
	}
	sim, err := b.simulate()
	if err != nil {
		return nil, Settings{}, err
	}
	return sim, Settings{Brand: brandName, Address: sim.URL(), Username: DemoUsername, Password: DemoPassword}, nil
}
