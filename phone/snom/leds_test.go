package snom

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/golden"
)

var updateLEDs = golden.Flag("update-leds", "testdata/leds/*.xml")

// ledCases are the screens whose XML is kept as golden files.
var ledCases = []struct {
	name   string
	model  string
	lights []phone.KeyLight
}{
	{"D785_missed_call_blinks_on_P1_call_on_P2", "D785", []phone.KeyLight{
		{Key: 1, Light: phone.LightBlink, Color: "red"}, {Key: 2, Light: phone.LightOn, Color: "green"}}},
	{"D385_every_light_off", "snom D385", []phone.KeyLight{
		{Key: 1, Light: phone.LightOff, Color: "red"}, {Key: 12, Light: phone.LightOff, Color: "orange"}}},
	{"D862_do_not_disturb_on_P3", "snomD862", []phone.KeyLight{{Key: 3, Light: phone.LightOn, Color: "red"}}},
}

func TestLEDScreensMatchTheGoldenFiles(t *testing.T) {
	for _, tt := range ledCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LEDScreen(tt.model, tt.lights)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "leds", tt.name+".xml"), got+"\n", *updateLEDs, "-update-leds")
		})
	}
}

func TestLEDNumbersFollowTheModelAndAnUnknownModelIsASentence(t *testing.T) {
	tests := []struct {
		model   string
		key     int
		want    int
		unknown string // a word the error must hold; "" for none
	}{
		{"D785", 1, 5, ""},
		{"snom D735", 24, 28, ""},
		{"D865", 2, 6, ""},
		{"d335", 1, 2, ""},
		{"snomD385", 48, 49, ""},
		{"D717", 1, 0, "Snom D717"},
		{"", 1, 0, "phone.model"},
	}
	for _, tt := range tests {
		got, err := LEDNumber(tt.model, tt.key)
		if tt.unknown != "" {
			if !errors.Is(err, phone.ErrUnknownModel) || !strings.Contains(err.Error(), tt.unknown) {
				t.Errorf("LEDNumber(%q, %d): err = %v, want ErrUnknownModel naming %q", tt.model, tt.key, err, tt.unknown)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("LEDNumber(%q, %d) = %d, %v; want %d", tt.model, tt.key, got, err, tt.want)
		}
	}
}

// screenHost publishes screens on a test server, as the phone-event path
// does: serve keeps the document and returns where the phone fetches it.
func screenHost(t *testing.T) func(doc string) string {
	var mu sync.Mutex
	var last string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(last))
	}))
	t.Cleanup(srv.Close)
	return func(doc string) string {
		mu.Lock()
		defer mu.Unlock()
		last = doc
		return srv.URL + "/screen"
	}
}

func TestSetLEDsMakesThePhoneFetchTheScreenAndLightItsKeys(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
	ctx := context.Background()
	model, err := d.Model(ctx)
	if err != nil || model != "D785" {
		t.Fatalf("Model = %q, %v; want D785", model, err)
	}
	host := screenHost(t)
	if err := d.SetLEDs(ctx, model, ledCases[0].lights, host); err != nil {
		t.Fatalf("SetLEDs: %v", err)
	}
	want := map[int]SimLED{5: {State: "Blink", Color: "red"}, 6: {State: "On", Color: "green"}}
	if got := s.LEDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("the phone shows %v, want %v", got, want)
	}
	if err := d.SetLEDs(ctx, model, []phone.KeyLight{{Key: 1, Light: phone.LightOff, Color: "red"}}, host); err != nil {
		t.Fatal(err)
	}
	want[5] = SimLED{State: "Off", Color: "red"}
	if got := s.LEDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("after P1 went out the phone shows %v, want %v", got, want)
	}
	err = d.SetLEDs(ctx, "D717", ledCases[0].lights, host)
	if !errors.Is(err, phone.ErrUnknownModel) {
		t.Errorf("SetLEDs on a D717: err = %v, want ErrUnknownModel", err)
	}
	if n := len(s.Fetched()); n != 2 {
		t.Errorf("the minibrowser fetched %d screens, want 2 (none for the unknown model)", n)
	}
}
