package phoneevents

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// screensFor serves h on a loopback test server and returns it with the
// Screens publishing there.
func screensFor(t *testing.T, addrs func() []netip.Addr) (*httptest.Server, *Screens) {
	t.Helper()
	sc := &Screens{Token: func() string { return testToken }}
	h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken }, PhoneAddrs: addrs, Screens: sc})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	sc.Base = func() (string, error) { return srv.URL, nil }
	return srv, sc
}

// TestThePhoneFetchesItsLightsFromTheEventPath: the Snom driver publishes
// the lights' screen on the phone-event path and the phone's minibrowser
// fetches it from there and lights its keys.
func TestThePhoneFetchesItsLightsFromTheEventPath(t *testing.T) {
	_, sc := screensFor(t, nil)
	sim, err := snom.StartSim(snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	drv, err := brands.Open(phone.Settings{Brand: "snom", Address: sim.URL(), Username: "admin", Password: "pw", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	leds, ok := phone.Optional[phone.LEDSetter](drv)
	if !ok {
		t.Fatal("the Snom driver sets no lights")
	}
	lights := []phone.KeyLight{{Key: 1, Light: phone.LightBlink, Color: "red"}}
	if err := leds.SetLEDs(context.Background(), "D785", lights, sc); err != nil {
		t.Fatalf("SetLEDs: %v", err)
	}
	if got, want := sim.LEDs(), map[int]snom.SimLED{5: {State: "Blink", Color: "red"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("the phone shows %v, want %v", got, want)
	}
	if f := sim.Fetched(); len(f) != 1 || !strings.Contains(f[0], "/phone/"+testToken+"/screen/") {
		t.Errorf("the minibrowser fetched %q, want the screen under the event path", f)
	}
}

// TestAScreenIsGivenOnlyToThePhoneWithTheToken: a request with another
// token, from another address, for another screen or with another method
// gets nothing of the screen.
func TestAScreenIsGivenOnlyToThePhoneWithTheToken(t *testing.T) {
	const doc = "<SnomIPPhoneText><Text>secret</Text></SnomIPPhoneText>"
	phoneAddr := netip.MustParseAddr("192.0.2.10")
	_, sc := screensFor(t, func() []netip.Addr { return []netip.Addr{phoneAddr} })
	u, err := sc.PublishScreen(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(u, u[:strings.Index(u, PhoneEventsPrefix)])
	h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken },
		PhoneAddrs: func() []netip.Addr { return []netip.Addr{phoneAddr} }, Screens: sc})
	tests := []struct {
		name, method, path, remote string
		want                       int
	}{
		{"the phone", http.MethodGet, path, "192.0.2.10:5060", http.StatusOK},
		{"loopback", http.MethodGet, path, "127.0.0.1:40000", http.StatusOK},
		{"another address", http.MethodGet, path, "192.0.2.66:5060", http.StatusForbidden},
		{"a wrong token", http.MethodGet, strings.Replace(path, testToken, strings.Repeat("0", len(testToken)), 1), "192.0.2.10:5060", http.StatusNotFound},
		{"no token", http.MethodGet, PhoneEventsPrefix + ScreenFormat + "/1", "192.0.2.10:5060", http.StatusNotFound},
		{"another screen", http.MethodGet, strings.TrimSuffix(path, "1") + "2", "192.0.2.10:5060", http.StatusNotFound},
		{"a POST", http.MethodPost, path, "192.0.2.10:5060", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		r.RemoteAddr = tt.remote
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body, _ := io.ReadAll(w.Result().Body)
		if w.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.want)
		}
		if got := strings.Contains(string(body), "secret"); got != (tt.want == http.StatusOK) {
			t.Errorf("%s: the screen was given: %v (%q)", tt.name, got, body)
		}
	}
}

// TestNoBrandsEventsAreNamedLikeTheScreens: the screens' path name is
// taken before the event formats, so no format may have it.
func TestNoBrandsEventsAreNamedLikeTheScreens(t *testing.T) {
	if _, ok := brands.EventFormats()[ScreenFormat]; ok {
		t.Errorf("an event format is named %q, the screens' path", ScreenFormat)
	}
}

// TestOnlyTheLatestScreensAreKept: the phone fetches a screen at once, so
// old ones go and memory stays bounded.
func TestOnlyTheLatestScreensAreKept(t *testing.T) {
	_, sc := screensFor(t, nil)
	for i := 0; i < screensKept+3; i++ {
		if _, err := sc.PublishScreen("<x/>"); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := sc.screen("1"); ok {
		t.Error("the first screen is still kept")
	}
	if _, ok := sc.screen("19"); !ok {
		t.Error("the latest screen is gone")
	}
}
