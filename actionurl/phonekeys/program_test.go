package phonekeys

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
	"github.com/dialbridge/dialbridge/phone/snomcsta"
	"github.com/dialbridge/dialbridge/phone/yealink"
)

const (
	testToken = "0123456789abcdef0123456789abcdef"
	testBase  = "http://192.0.2.5:61234"
)

// testKeys binds two keys; the label of the second needs escaping.
var testKeys = []config.PhoneKey{
	{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"},
	{Key: 2, Label: "Büro & Co", Action: "dial:030123456"},
}

// snomWriter is a Writer for a simulated Snom with opts, binding
// testKeys.
func snomWriter(t *testing.T, opts snom.SimOptions) (*snom.Sim, *Writer, *config.Config) {
	t.Helper()
	sim, err := snom.StartSim(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cfg := config.Default()
	cfg.Phone.Keys = testKeys
	return sim, writerFor(t, "snom", sim.URL(), &cfg), &cfg
}

// The settings requests that bind the keys, per brand and model, as they
// reach the phone; the simulated phone then holds the keys.
func TestTheKeySettingsRequestsAreTheGoldenOnes(t *testing.T) {
	snomSim, err := snom.StartSim(snom.SimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer snomSim.Close()
	cstaSim, err := snomcsta.StartSim(snomcsta.SimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cstaSim.Close()
	tests := []struct {
		name, brand, model string
		sim                interface{ Settings() map[string]string }
		url                string
	}{
		{"snom", "snom", "", snomSim, snomSim.URL()},
		{"snom-D785", "snom", "D785", snomSim, snomSim.URL()},
		{"snom-csta", "snom-csta", "D385", cstaSim, cstaSim.URL()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.url)
			cfg := config.Default()
			cfg.Phone.Keys, cfg.Phone.Model = testKeys, tt.model
			w := writerFor(t, tt.brand, rec.URL, &cfg)
			st := w.Write(context.Background())
			if st.Error != "" || st.Keys[0].State != control.KeyWritten {
				t.Fatalf("status = %+v", st)
			}
			golden(t, "settings-"+tt.name, strings.Join(rec.got, "\n")+"\n")
			held := tt.sim.Settings()
			if held["fkey0"] != "url "+testBase+"/phone/"+testToken+"/key/1" || held["fkey_label1"] != "Büro & Co" {
				t.Errorf("the phone holds %v", held)
			}
		})
	}
}

// A Yealink phone takes no settings from dialbridge: the keys are marked
// for entering by hand, and the settings to enter are the golden ones.
func TestYealinkKeysAreEnteredByHand(t *testing.T) {
	sim, err := yealink.StartSim(yealink.SimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	cfg := config.Default()
	cfg.Phone.Keys = testKeys
	w := writerFor(t, "yealink", sim.URL(), &cfg)
	st := w.Write(context.Background())
	if st.Manual != ManualEntry || st.Keys[0].State != control.KeyManual {
		t.Errorf("status = %+v, want the keys entered by hand", st)
	}
	settings, err := Settings(cfg, testBase, testToken, "", []int{5})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range settings {
		fmt.Fprintf(&b, "%s = %s\n", s.Name, s.Value)
	}
	golden(t, "settings-yealink", b.String())
}

// A binding deleted from the config is reset in the phone at the next
// write, and only once the phone took it is it forgotten.
func TestDeletedBindingsAreReset(t *testing.T) {
	sim, w, cfg := snomWriter(t, snom.SimOptions{})
	w.Write(context.Background())
	cfg.Phone.Keys = testKeys[:1]
	if st := w.Status(); len(st.Removed) != 1 || st.Removed[0] != 2 {
		t.Errorf("before the write Removed = %v, want [2]", st.Removed)
	}
	st := w.Write(context.Background())
	if len(st.Removed) != 0 || st.Error != "" {
		t.Errorf("after the write the status is %+v", st)
	}
	if held := sim.Settings(); held["fkey1"] != "none" || held["fkey_label1"] != "" || !strings.HasPrefix(held["fkey0"], "url ") {
		t.Errorf("the phone holds %v, want P2 reset and P1 bound", held)
	}
}

// A phone that refuses the settings leaves every key failed with the
// phone's sentence, and the deleted bindings still to be removed.
func TestARefusedWriteSaysWhy(t *testing.T) {
	_, w, _ := snomWriter(t, snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "right"}})
	st := w.Write(context.Background())
	if !strings.HasPrefix(st.Error, "The phone at 127.0.0.1 refused") || !strings.Contains(st.Error, "HTTP 401") {
		t.Errorf("Error = %q, want the phone's sentence with HTTP 401", st.Error)
	}
	for _, k := range st.Keys {
		if k.State != control.KeyFailed || k.Error != st.Error {
			t.Errorf("key %d: %+v", k.Key, k)
		}
	}
}
