package brandsim_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/sip"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// contract is the list of phone.brand values the README's Configuration
// section promises.
var contract = []string{"snom", "snom-csta", "yealink", "auerswald", "grandstream", "polycom", "fanvil", "cisco", "sip", "demo"}

func TestEveryBrandHasASimulator(t *testing.T) {
	if got, want := brandsim.Names(), brands.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("simulators for %q, want one for each brand %q", got, want)
	}
}

func TestNamesCoverTheContract(t *testing.T) {
	for _, n := range contract {
		if !brands.Known(n) {
			t.Errorf("brands.Known(%q) = false", n)
		}
	}
	want := append([]string(nil), contract[:len(contract)-1]...)
	got := brands.Names()
	if len(got) != len(want) {
		t.Fatalf("brands.Names() = %q, want the %d brands of the contract", got, len(want))
	}
	for _, n := range want {
		if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+n+" ") {
			t.Errorf("brands.Names() lacks %q", n)
		}
	}
	if brands.Known("panasonic") {
		t.Error(`brands.Known("panasonic") = true`)
	}
}

// TestEverySimulatorDials pairs every brand with its demo simulator and
// dials through it: the demo mode works for every brand.
func TestEverySimulatorDials(t *testing.T) {
	for _, name := range contract {
		t.Run(name, func(t *testing.T) {
			sim, s, err := brandsim.Start(name)
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			s.Timeout = 10 * time.Second
			drv, err := brands.Open(s)
			if err != nil {
				t.Fatal(err)
			}
			if !drv.Capabilities().Has(phone.CanDial) {
				t.Fatalf("%s cannot dial: %v", name, drv.Capabilities())
			}
			if err := drv.Dial(context.Background(), phone.DialOptions{Number: "+4930123456"}); err != nil {
				t.Fatalf("Dial: %v", err)
			}
			reqs := sim.(interface{ Requests() []phonesim.Request }).Requests()
			if len(reqs) == 0 {
				t.Fatal("the simulator saw no request")
			}
			if drv.Brand() != s.Brand {
				t.Errorf("Brand() = %q, want %q", drv.Brand(), s.Brand)
			}
		})
	}
}

func TestCapabilities(t *testing.T) {
	all := phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold | phone.CanResume | phone.CanTransfer | phone.CanDTMF
	want := map[string]phone.Capability{
		"snom":        all | phone.CanConsult | phone.CanDND | phone.CanForward,
		"snom-csta":   all&^phone.CanDTMF | phone.CanConsult | phone.CanDND | phone.CanForward,
		"yealink":     all,
		"auerswald":   all | phone.CanConsult | phone.CanConference,
		"grandstream": phone.CanDial | phone.CanAnswer | phone.CanHangup | phone.CanHold,
		"polycom":     all,
		"fanvil":      phone.CanDial | phone.CanHangup | phone.CanHold | phone.CanResume,
		"cisco":       phone.CanDial | phone.CanDTMF,
		"sip":         phone.CanDial | phone.CanAnswer | phone.CanHold | phone.CanResume,
	}
	for _, name := range brands.Names() {
		sim, s, err := brandsim.Start(name)
		if err != nil {
			t.Fatal(err)
		}
		s.Timeout = 10 * time.Second
		drv, err := brands.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := drv.Capabilities(); got != want[name] {
			t.Errorf("%s: Capabilities() = %v, want %v", name, got, want[name])
		}
		_ = sim.Close()
	}
}

func TestIdentityIsTheDefault(t *testing.T) {
	sim, s, err := brandsim.Start("yealink")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	s.Identity, s.Timeout = "4711@pbx.example", 10*time.Second
	drv, err := brands.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := drv.Dial(ctx, phone.DialOptions{Number: "200"}); err != nil {
		t.Fatal(err)
	}
	if err := drv.Dial(ctx, phone.DialOptions{Number: "300", Identity: "other@pbx.example"}); err != nil {
		t.Fatal(err)
	}
	want := []yealink.Dialed{{Number: "200", OutgoingURI: "4711@pbx.example"}, {Number: "300", OutgoingURI: "other@pbx.example"}}
	if got := sim.(*yealink.Sim).Dialed(); !reflect.DeepEqual(got, want) {
		t.Errorf("dialed = %+v, want %+v", got, want)
	}
	if _, ok := brands.Underlying(drv).(*yealink.Driver); !ok {
		t.Errorf("brands.Underlying() = %T, want *yealink.Driver", brands.Underlying(drv))
	}
}

func TestCSTALegacySetting(t *testing.T) {
	sim, err := snomcsta.StartSim(snomcsta.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: brands.DemoUsername, Password: brands.DemoPassword}, Legacy: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	id := sim.Ring("200")
	for _, legacy := range []bool{false, true} {
		drv, err := brands.Open(brands.Settings{Brand: "snom-csta", Address: sim.URL(), Username: brands.DemoUsername, Password: brands.DemoPassword,
			CSTALegacyConnectionID: legacy, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = drv.Answer(context.Background(), id)
		if legacy && err != nil {
			t.Errorf("csta_legacy = true: %v", err)
		}
		if !legacy && phone.KindOf(err) != phone.ErrNoSuchCall {
			t.Errorf("csta_legacy = false on legacy firmware: err = %v, want ErrNoSuchCall", err)
		}
	}
}

// TestAuerswaldPinning: the demo Auerswald serves HTTPS and comes with its
// pin; a wrong pin is refused with both fingerprints, and an empty one is
// trusted on first use and reported.
func TestAuerswaldPinning(t *testing.T) {
	sim, s, err := brandsim.Start("auerswald")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if !strings.HasPrefix(s.Address, "https://") || s.TLSFingerprint == "" {
		t.Fatalf("settings = %+v, want https with a fingerprint", s)
	}
	s.Timeout = 10 * time.Second
	ctx := context.Background()

	wrong := s
	wrong.TLSFingerprint = strings.Repeat("AB", 32)
	drv, err := brands.Open(wrong)
	if err != nil {
		t.Fatal(err)
	}
	err = drv.Dial(ctx, phone.DialOptions{Number: "42"})
	if phone.KindOf(err) != phone.ErrCertificate || !strings.Contains(err.Error(), s.TLSFingerprint) {
		t.Fatalf("wrong pin: err = %v", err)
	}

	tofu := s
	var stored string
	tofu.TLSFingerprint, tofu.OnNewFingerprint = "", func(fp string) { stored = fp }
	if drv, err = brands.Open(tofu); err != nil {
		t.Fatal(err)
	}
	if err := drv.Dial(ctx, phone.DialOptions{Number: "42"}); err != nil {
		t.Fatal(err)
	}
	if stored != s.TLSFingerprint {
		t.Errorf("stored %q on first use, want %q", stored, s.TLSFingerprint)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		s    brands.Settings
		want string
	}{
		{brands.Settings{Brand: "panasonic", Address: "192.0.2.10"}, `unknown phone brand "panasonic"`},
		{brands.Settings{Brand: "yealink", Address: "ftp://192.0.2.10"}, "must start with http"},
		{brands.Settings{Brand: "auerswald", Address: "192.0.2.10", TLSFingerprint: "nope"}, "phone.tls_fingerprint"},
	}
	for _, tt := range tests {
		if _, err := brands.Open(tt.s); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("brands.Open(%+v) = %v, want an error containing %q", tt.s, err, tt.want)
		}
	}
}

// TestEverySimulatorRecordsItsRequests: tests of the whole program look at
// any brand's simulator through brandsim.Phone, and at the dials of those
// that record them through phone.DialRecorder.
func TestEverySimulatorRecordsItsRequests(t *testing.T) {
	for _, name := range brands.Names() {
		sim, s, err := brandsim.StartWith(name, "admin", "pa55")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Timeout = 10 * time.Second
		drv, err := brands.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := drv.Dial(context.Background(), phone.DialOptions{Number: "200"}); err != nil {
			t.Errorf("%s with user admin and password pa55: %v", name, err)
		}
		if len(sim.Requests()) == 0 {
			t.Errorf("%s: the simulator recorded no request", name)
		}
		_ = sim.Close()
	}
	sim, _, err := brandsim.StartWith("snom", "admin", "pa55")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if _, ok := sim.(phone.DialRecorder); !ok {
		t.Error("the Snom simulator does not record its dials")
	}
}

// TestTunedSimulatorsDialAndLackTheirMissingPages starts every brand's
// simulator through StartTuned: it pairs and dials, and once the page the
// dial used is listed as missing, the same dial fails, as on a phone whose
// firmware dropped the page.
func TestTunedSimulatorsDialAndLackTheirMissingPages(t *testing.T) {
	dial := func(t *testing.T, name string, o phonesim.Options) (brandsim.Phone, error) {
		t.Helper()
		sim, s, err := brandsim.StartTuned(name, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sim.Close() })
		s.Timeout = 10 * time.Second
		drv, err := brands.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		return sim, drv.Dial(context.Background(), phone.DialOptions{Number: "+4930123456"})
	}
	for _, name := range brands.Names() {
		t.Run(name, func(t *testing.T) {
			if name == sip.Brand {
				t.Skip("a SIP phone serves no web pages: phonesim's options (login scheme, TLS, missing pages) are not its")
			}
			o := phonesim.Options{Username: brands.DemoUsername, Password: brands.DemoPassword}
			sim, err := dial(t, name, o)
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			reqs := sim.Requests()
			if len(reqs) == 0 {
				t.Fatal("the simulator saw no request")
			}
			o.Missing = []string{reqs[len(reqs)-1].Path}
			if _, err := dial(t, name, o); err == nil {
				t.Errorf("Dial succeeded although %s is missing", o.Missing[0])
			}
		})
	}
}
