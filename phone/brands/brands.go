// Package brands knows every phone brand dialbridge can drive: it turns the
// [phone] settings into a phone.Driver, and starts the matching simulator for
// the demo mode. It is the one place that imports all brand packages, so the
// rest of the program only ever sees phone.Driver.
package brands

import (
	"context"
	"fmt"
	"net/http"
	"sort"
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
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// Settings is what a driver needs to reach its phone. It mirrors the [phone]
// table of the config file, plus the password from the keyring.
type Settings struct {
	Brand    string
	Address  string
	Username string
	// Password is the phone's secret from the keyring: the web password,
	// Grandstream's CTI passcode, or Auerswald's access token.
	Password string
	// Identity is the account dials use when the request names none
	// (outgoing_uri, CSTA callingDevice, Grandstream account, Polycom line).
	Identity string
	// CSTALegacyConnectionID (phone.csta_legacy, snom-csta only) writes
	// CSTA ConnectionIDs bare, for firmware before 8.7 or with
	// csta_legacy_control=0.
	CSTALegacyConnectionID bool
	// TLSFingerprint (phone.tls_fingerprint) is the SHA-256 fingerprint of
	// the phone's certificate trusted at pairing, hex with or without
	// colons. Empty means trust the first certificate seen.
	TLSFingerprint string
	// OnNewFingerprint is called with the fingerprint trusted on first use
	// (colon-separated upper-case hex), so that the caller can store it as
	// phone.tls_fingerprint. It runs during a TLS handshake: store it in
	// the background rather than block.
	OnNewFingerprint func(fp string)
	// Transport overrides the HTTP transport (tests); certificate pinning
	// is then the transport's business.
	Transport http.RoundTripper
	// Timeout bounds each request; zero means phonehttp.DefaultTimeout.
	Timeout time.Duration
}

// Demo is the brand name that pairs with a built-in simulated phone.
const Demo = "demo"

// DemoUsername and DemoPassword are the credentials of the demo phones. They
// are not secrets: the simulators only listen on loopback.
const (
	DemoUsername = "admin"
	DemoPassword = "demo"
)

type brand struct {
	// open makes the driver; opts is already filled from the Settings.
	open func(s Settings, opts phonehttp.Options) (phone.Driver, error)
	// simulate starts the brand's simulator with the demo credentials.
	simulate func() (Simulator, error)
}

var demoAuth = func(a phonesim.Auth) phonesim.Options {
	return phonesim.Options{Auth: a, Username: DemoUsername, Password: DemoPassword}
}

var registry = map[string]brand{
	snom.Brand: {
		open: func(_ Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return snom.New(c), nil
		},
		simulate: func() (Simulator, error) {
			return snom.StartSim(snom.SimOptions{Options: demoAuth(phonesim.AuthDigest)})
		},
	},
	snomcsta.Brand: {
		open: func(s Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return snomcsta.New(c, snomcsta.Options{LegacyConnectionID: s.CSTALegacyConnectionID}), nil
		},
		simulate: func() (Simulator, error) {
			return snomcsta.StartSim(snomcsta.SimOptions{Options: demoAuth(phonesim.AuthDigest)})
		},
	},
	yealink.Brand: {
		open: func(_ Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return yealink.New(c), nil
		},
		simulate: func() (Simulator, error) {
			return yealink.StartSim(yealink.SimOptions{Options: demoAuth(phonesim.AuthBasic)})
		},
	},
	auerswald.Brand: {
		// The password is the access token; it travels as a bearer token,
		// and the phone speaks HTTPS unless the address says otherwise.
		open: func(s Settings, o phonehttp.Options) (phone.Driver, error) {
			o.BearerToken, o.Username, o.Password = s.Password, "", ""
			if !strings.Contains(o.Address, "://") {
				o.Address = "https://" + strings.TrimSpace(o.Address)
			}
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return auerswald.New(c, auerswald.Options{}), nil
		},
		simulate: func() (Simulator, error) {
			return auerswald.StartSim(auerswald.SimOptions{Options: phonesim.Options{Password: DemoPassword}})
		},
	},
	grandstream.Brand: {
		// The password is the CTI passcode, sent in the query; no HTTP
		// authentication.
		open: func(s Settings, o phonehttp.Options) (phone.Driver, error) {
			o.Username, o.Password = "", ""
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return grandstream.New(c, s.Password), nil
		},
		simulate: func() (Simulator, error) {
			return grandstream.StartSim(grandstream.SimOptions{Passcode: DemoPassword})
		},
	},
	polycom.Brand: {
		open: func(_ Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return polycom.New(c), nil
		},
		simulate: func() (Simulator, error) {
			return polycom.StartSim(polycom.SimOptions{Options: demoAuth(phonesim.AuthDigest)})
		},
	},
	fanvil.Brand: {
		open: func(_ Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return fanvil.New(c), nil
		},
		simulate: func() (Simulator, error) {
			return fanvil.StartSim(fanvil.SimOptions{Options: demoAuth(phonesim.AuthBasic)})
		},
	},
	cisco.Brand: {
		open: func(_ Settings, o phonehttp.Options) (phone.Driver, error) {
			c, err := phonehttp.New(o)
			if err != nil {
				return nil, err
			}
			return cisco.New(c), nil
		},
		simulate: func() (Simulator, error) {
			return cisco.StartSim(cisco.SimOptions{Options: phonesim.Options{Username: DemoUsername, Password: DemoPassword}})
		},
	},
}

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

// Open returns the driver for s.Brand talking to s.Address. When
// s.Identity is set, dials that name no identity use it; Underlying gives
// the brand's own driver back for its extra operations.
func Open(s Settings) (phone.Driver, error) {
	b, ok := registry[s.Brand]
	if !ok {
		return nil, fmt.Errorf("unknown phone brand %q (known: %s)", s.Brand, strings.Join(Names(), ", "))
	}
	drv, err := b.open(s, phonehttp.Options{
		Brand: s.Brand, Address: s.Address, Username: s.Username, Password: s.Password, Transport: s.Transport,
		Timeout: s.Timeout, TLSFingerprint: s.TLSFingerprint, OnNewFingerprint: s.OnNewFingerprint,
	})
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
// the operations beyond phone.Driver (snomcsta.Driver.FireTest,
// auerswald.Driver.Conference, ...).
func Underlying(d phone.Driver) phone.Driver {
	if w, ok := d.(withIdentity); ok {
		return w.Driver
	}
	return d
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
// starts a Snom simulator. A simulator that serves HTTPS comes with its
// certificate's fingerprint already in the Settings.
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
	return sim, pairWith(brandName, sim), nil
}

// StartDemo starts the demo phone: a simulated Snom phone that reports
// the calls it is told to place, answer, hold and hang up through events,
// as a real phone reports them through its action URLs, so that the
// journal, the recent calls and the outgoing URLs fill without hardware.
func StartDemo(events *snom.EventSim) (Simulator, Settings, error) {
	sim, err := snom.StartSim(snom.SimOptions{Options: demoAuth(phonesim.AuthDigest), Events: events})
	if err != nil {
		return nil, Settings{}, err
	}
	return sim, pairWith(snom.Brand, sim), nil
}

// pairWith is the Settings that pair a driver of brandName with sim.
func pairWith(brandName string, sim Simulator) Settings {
	s := Settings{Brand: brandName, Address: sim.URL(), Username: DemoUsername, Password: DemoPassword}
	if c, ok := sim.(interface{ CertificateDER() []byte }); ok && c.CertificateDER() != nil {
		s.TLSFingerprint = phonehttp.Fingerprint(c.CertificateDER())
	}
	return s
}
