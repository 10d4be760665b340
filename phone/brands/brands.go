// Package brands is the registry of the phone brands dialbridge can drive,
// built from one slice of the brands' descriptors (phone.Brand): it turns
// the [phone] settings into a phone.Driver, names each brand's event format
// and pairing words, and starts the demo phone. It is the one place that
// imports the brand packages, so the rest of the program only ever sees
// phone.Driver and the optional capabilities in package phone.
package brands

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/auerswald"
	"github.com/dialbridge/dialbridge/phone/cisco"
	"github.com/dialbridge/dialbridge/phone/fanvil"
	"github.com/dialbridge/dialbridge/phone/grandstream"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/polycom"
	"github.com/dialbridge/dialbridge/phone/sip"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// Settings is what a driver needs to reach its phone; see phone.Settings.
type Settings = phone.Settings

// Simulator is a running simulated phone; see phone.Simulator.
type Simulator = phone.Simulator

// Demo is the brand name that pairs with a built-in simulated phone.
const Demo = "demo"

// DemoUsername and DemoPassword are the credentials of the demo phones. They
// are not secrets: the simulators only listen on loopback.
const (
	DemoUsername = "admin"
	DemoPassword = "demo"
)

// all are the brands dialbridge drives, one descriptor each, in the order
// pairing tries their Detect words. Adding a brand is adding its line here.
var all = []phone.Brand{
	snom.Descriptor(),
	snomcsta.Descriptor(),
	yealink.Descriptor(),
	auerswald.Descriptor(),
	grandstream.Descriptor(),
	polycom.Descriptor(),
	fanvil.Descriptor(),
	cisco.Descriptor(),
	sip.Descriptor(),
}

// demoBrand is the brand the demo phone simulates: a Snom phone, whose
// driver, events and simulator the demo mode uses under the name "demo".
var demoBrand = snom.Descriptor()

// NewDemoEvents makes what the demo phone reports its calls through: the
// far end picks up a dialed call after pause, and onError hears of a report
// the phone could not deliver. It lives longer than one simulator, so calls
// survive a reload.
func NewDemoEvents(local string, pause time.Duration, onError func(error)) phone.CallPlayer {
	return snom.NewEventSim(snom.EventSimOptions{Local: local, Pause: pause, OnError: onError})
}

var registry = func() map[string]phone.Brand {
	m := make(map[string]phone.Brand, len(all))
	for _, b := range all {
		m[b.Name] = b
	}
	return m
}()

// Lookup returns the descriptor of brand name; "demo" gives the demo
// phone's brand under that name.
func Lookup(name string) (phone.Brand, bool) {
	if name == Demo {
		b := demoBrand
		b.Name = Demo
		return b, true
	}
	b, ok := registry[name]
	return b, ok
}

// All returns every brand's descriptor, in the registry's order, without
// "demo".
func All() []phone.Brand { return append([]phone.Brand(nil), all...) }

// Names lists the brand names the config accepts, sorted, without "demo".
func Names() []string { return slices.Sorted(maps.Keys(registry)) }

// Known reports whether name is a brand of the config contract (or "demo").
func Known(name string) bool {
	_, ok := registry[name]
	return ok || name == Demo
}

// Open returns the driver for s.Brand talking to s.Address. When
// s.Identity is set, dials that name no identity use it; Underlying gives
// the brand's own driver back for its extra operations.
func Open(s Settings) (phone.Driver, error) {
	b, ok := registry[s.Brand]
	if !ok {
		return nil, fmt.Errorf("unknown phone brand %q (known: %s)", s.Brand, strings.Join(Names(), ", "))
	}
	drv, err := b.Open(s)
	if err != nil {
		return nil, err
	}
	if s.Identity != "" {
		drv = withIdentity{Driver: drv, identity: s.Identity}
	}
	return drv, nil
}

// withIdentity gives dials without an identity the configured one.
type withIdentity struct {
	phone.Driver
	identity string
}

func (d withIdentity) Dial(ctx context.Context, opts phone.DialOptions) error {
	if opts.Identity == "" {
		opts.Identity = d.identity
	}
	return d.Driver.Dial(ctx, opts)
}

// Underlying returns the brand's driver behind one that Open returned, for
// the optional capabilities beyond phone.Driver (phone.SettingsWriter,
// phone.FirewallTester, phone.CommandLister, ...).
func Underlying(d phone.Driver) phone.Driver {
	if w, ok := d.(withIdentity); ok {
		return w.Driver
	}
	return d
}

// StartSimulator starts the demo phone (a simulated Snom phone, the only
// simulator the programs ship) on a free loopback port and returns it with
// the Settings that pair a driver with it. Tests start the other brands'
// simulators through phone/brands/brandsim.
func StartSimulator(brandName string) (Simulator, Settings, error) {
	if brandName != Demo && brandName != demoBrand.Name {
		return nil, Settings{}, fmt.Errorf("no simulator for phone brand %q: only the demo phone is built in", brandName)
	}
	return Simulate(demoBrand.Name, DemoUsername, DemoPassword, snom.Simulated)
}

// Simulate starts a simulated phone of brand with start, taking user and
// password, and returns the Settings that pair a driver with it. A
// simulator that serves HTTPS comes with its certificate's fingerprint
// already in the Settings.
func Simulate(brandName, user, password string, start func(user, password string) (Simulator, error)) (Simulator, Settings, error) {
	sim, err := start(user, password)
	if err != nil {
		return nil, Settings{}, err
	}
	return sim, pairWith(brandName, sim, user, password), nil
}

// StartDemo starts the demo phone: a simulated Snom phone that reports
// the calls it is told to place, answer, hold and hang up through events,
// as a real phone reports them through its action URLs, so that the
// journal, the recent calls and the outgoing URLs fill without hardware.
func StartDemo(events phone.CallPlayer) (Simulator, Settings, error) {
	ev, _ := events.(*snom.EventSim) // made by NewDemoEvents, or none
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: DemoUsername, Password: DemoPassword}, Events: ev})
	if err != nil {
		return nil, Settings{}, err
	}
	return sim, pairWith(demoBrand.Name, sim, DemoUsername, DemoPassword), nil
}

// pairWith is the Settings that pair a driver of brandName with sim.
func pairWith(brandName string, sim Simulator, user, password string) Settings {
	s := Settings{Brand: brandName, Address: sim.URL(), Username: user, Password: password}
	if c, ok := sim.(interface{ CertificateDER() []byte }); ok && c.CertificateDER() != nil {
		s.TLSFingerprint = phonehttp.Fingerprint(c.CertificateDER())
	}
	if c, ok := sim.(phone.SimulatorSettings); ok {
		c.Complete(&s)
	}
	return s
}

// EventFormat returns how phones of brand (a config brand name, or "demo")
// report their calls; false for brands without action URLs for call events.
func EventFormat(name string) (phone.EventFormat, bool) {
	b, ok := Lookup(name)
	if !ok || b.Events == nil {
		return phone.EventFormat{}, false
	}
	return b.Events(), true
}

// EventFormats returns every event format by its name in the URL path.
func EventFormats() map[string]phone.EventFormat {
	out := map[string]phone.EventFormat{}
	for _, b := range all {
		if b.Events != nil {
			f := b.Events()
			out[f.Name] = f
		}
	}
	return out
}

// Detect returns the brand whose Detect words text (a phone's login realm,
// Server header and page title) contains, or "". Case does not matter;
// brands are tried in the registry's order.
func Detect(text string) string {
	text = strings.ToLower(text)
	for _, b := range all {
		for _, w := range b.Detect {
			if strings.Contains(text, w) {
				return b.Name
			}
		}
	}
	return ""
}

// Check returns the problems with the settings of s.Brand by config key
// (see phone.Brand.Check); none for brands without rules of their own.
func Check(s Settings) map[string]string {
	b, ok := registry[s.Brand]
	if !ok || b.Check == nil {
		return nil
	}
	return b.Check(s)
}

// SettingsPage names the page of brand's web interface where its action
// URL settings are entered, or "".
func SettingsPage(name string) string {
	b, _ := Lookup(name)
	return b.SettingsPage
}
