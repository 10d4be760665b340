package calls

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/cisco"
	"github.com/dialbridge/dialbridge/phone/fanvil"
	"github.com/dialbridge/dialbridge/phone/polycom"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

// keyRequester is a simulated phone that records the key= value of every
// request that pressed keys.
type keyRequester interface{ KeyRequests() []string }

// recordWaits makes the driver of a brand that waits between keys itself
// record the waits (in ms) instead of sleeping.
func recordWaits(drv phone.Driver, waits *[]int) {
	sleep := func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, int(d.Milliseconds()))
		return nil
	}
	if d, ok := phone.Optional[*yealink.Driver](drv); ok {
		d.Sleep = sleep
	}
	if d, ok := phone.Optional[*fanvil.Driver](drv); ok {
		d.Sleep = sleep
	}
	if d, ok := phone.Optional[*cisco.Driver](drv); ok {
		d.Sleep = sleep
	}
}

// TestSendKeysOnEveryBrand presses key sequences through the service on
// each brand's simulated phone: Snom gets the sequence as written, in one
// request; Yealink, Fanvil and Cisco get their own names one key at a
// time, the driver waiting out the times; a key a brand lacks, a brand whose
// protocol has no key events, and a typo are refused in a sentence before
// the phone receives anything.
func TestSendKeysOnEveryBrand(t *testing.T) {
	for _, tc := range []struct {
		name, brand string
		start       func(user, password string) (phone.Simulator, error)
		keys        string
		requests    []string
		waitsMS     []int
		err         string
	}{
		{"snom takes the sequence unchanged", snom.Brand, snom.Simulated,
			"ENTER,50,5000;CANCEL,50,1000", []string{"ENTER,50,5000;CANCEL,50,1000"}, nil, ""},
		{"snom takes every kind of key", snom.Brand, snom.Simulated,
			"OFFHOOK;P15;EK3,200;VOLUME_UP;*;#;ONHOOK", []string{"OFFHOOK;P15;EK3,200;VOLUME_UP;*;#;ONHOOK"}, nil, ""},
		{"yealink presses its own names one by one and waits", yealink.Brand, yealink.Simulated,
			"ENTER,50,5000;CANCEL,80,1000;P3;#;REDIAL;VOLUME_UP;F_HOLD",
			[]string{"OK", "X", "L3", "POUND", "RD", "VOLUME_UP", "F_HOLD"}, []int{5050, 1080, 0, 0, 0, 0, 0}, ""},
		{"yealink's keys by the names it shares", yealink.Brand, yealink.Simulated,
			"OFFHOOK;1;*;F2;ONHOOK,300", []string{"OFFHOOK", "1", "STAR", "F2", "ONHOOK"}, []int{0, 0, 0, 0, 300}, ""},
		{"a key yealink lacks names the brand", yealink.Brand, yealink.Simulated,
			"ENTER;P30", nil, nil, "A Yealink phone has no key P30"},
		{"yealink has no menu key", yealink.Brand, yealink.Simulated, "MENU", nil, nil, "A Yealink phone has no key MENU"},
		{"fanvil presses one key a request and waits", fanvil.Brand, fanvil.Simulated,
			"1,100,400;#;ENTER,50,2000;MUTE;F_HOLD;ONHOOK",
			[]string{"1", "#", "ENTER", "F_MUTE", "F_HOLD", "RELEASE"}, []int{500, 0, 2050, 0, 0, 0}, ""},
		{"a key fanvil lacks names the brand", fanvil.Brand, fanvil.Simulated, "1;P1", nil, nil, "A Fanvil phone has no key P1"},
		{"cisco pushes one Key: URI a request and waits", cisco.Brand, cisco.Simulated,
			"ENTER,100,900;DOWN;P2;#;F_HOLD,0,250;ONHOOK",
			[]string{"Key:NavSelect", "Key:NavDwn", "Key:Line2", "Key:KeyPadPound", "Key:Hold", "Key:Release"}, []int{1000, 0, 0, 0, 250, 0}, ""},
		{"a key cisco lacks names the brand", cisco.Brand, cisco.Simulated, "1;REDIAL", nil, nil, "A Cisco phone has no key REDIAL"},
		{"snom over csta has no key events", snomcsta.Brand, snomcsta.Simulated, "ENTER", nil, nil, "A Snom phone cannot press keys remotely"},
		{"polycom has no key events", polycom.Brand, polycom.Simulated, "ENTER", nil, nil, "A Polycom phone cannot press keys remotely"},
		{"a typo never reaches the phone", snom.Brand, snom.Simulated, "ENTER;F_HLD", nil, nil, "F_HLD is not a Snom key; did you mean F_HOLD?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rig, sim := brandRig(t, tc.brand, "", tc.start)
			var waits []int
			recordWaits(rig.s.o.Driver(), &waits)
			err := rig.s.SendKeys(context.Background(), tc.keys)
			if got := errText(err); got != tc.err {
				t.Fatalf("SendKeys(%q) = %q, want %q", tc.keys, got, tc.err)
			}
			var got []string
			if kr, ok := sim.(keyRequester); ok {
				got = kr.KeyRequests()
			}
			if !reflect.DeepEqual(got, tc.requests) {
				t.Errorf("the phone got key=%q, want %q", got, tc.requests)
			}
			if !reflect.DeepEqual(waits, tc.waitsMS) {
				t.Errorf("waits %v ms, want %v ms", waits, tc.waitsMS)
			}
		})
	}
}

// errText is err's sentence, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSendKeysWithoutAPairedPhone(t *testing.T) {
	rig := newScenarioRig(t, everyAction)
	rig.s.o.Driver = func() phone.Driver { return nil }
	if err := rig.s.SendKeys(context.Background(), "ENTER"); err == nil || err.Error() != "no phone is paired" {
		t.Errorf("SendKeys = %v, want \"no phone is paired\"", err)
	}
}

// TestKeysRouteAnswersInHTTPTerms: the control API's key route answers a
// typo 400, a key or a brand that cannot 501, and pressed keys 200, with
// the service's sentence.
func TestKeysRouteAnswersInHTTPTerms(t *testing.T) {
	for _, tc := range []struct {
		brand  string
		start  func(user, password string) (phone.Simulator, error)
		keys   string
		status int // 0: pressed
	}{
		{snom.Brand, snom.Simulated, "ENTER,50,5000;CANCEL", 0},
		{snom.Brand, snom.Simulated, "F_HLD", http.StatusBadRequest},
		{yealink.Brand, yealink.Simulated, "MENU", http.StatusNotImplemented},
		{polycom.Brand, polycom.Simulated, "ENTER", http.StatusNotImplemented},
	} {
		t.Run(tc.brand+" "+tc.keys, func(t *testing.T) {
			rig, _ := brandRig(t, tc.brand, "", tc.start)
			mux := http.NewServeMux()
			mux.HandleFunc(control.RoutePressKeys, HTTP{S: rig.s}.PressKeys)
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			err := control.NewClient(control.File{URL: srv.URL}, nil).SendKeys(context.Background(), tc.keys)
			want := rig.s.SendKeys(context.Background(), tc.keys) // the same request, straight to the service
			var de *control.DialError
			switch {
			case tc.status == 0 && (err != nil || want != nil):
				t.Errorf("control API: %v; service: %v", err, want)
			case tc.status != 0 && (!errors.As(err, &de) || de.Status != tc.status || want == nil || err.Error() != want.Error()):
				t.Errorf("control API: %v (%+v), want HTTP %d and the service's %v", err, de, tc.status, want)
			}
		})
	}
}
