package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// In German, the states and the sentences of a phone key are German.
func TestFunctionKeysSpeakGerman(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	var out bytes.Buffer
	PrintFunctionKeys(&out, control.KeysStatus{
		Keys:    []control.KeyStatus{{Key: 2, Label: "DND", Action: "dnd", State: control.KeyPending}},
		Removed: []int{4},
		Manual:  "x",
		Lights:  "y",
	})
	for _, want := range []string{"noch nicht geschrieben", "P4 ist nicht mehr belegt", "Weboberfläche des Telefons", "Die Lichter der Tasten: y"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed\n%s\nwant %q", out.String(), want)
		}
	}
	var cfg config.Config
	cfg.Phone.Brand = "fanvil"
	_, err := phonekeys.Settings(cfg, "http://192.0.2.5:61234", "t", "", nil)
	if got := i18n.Error(err); !strings.HasPrefix(got, "Ein fanvil-Telefon hat keinen dokumentierten Weg") {
		t.Errorf("the refusal reads %q in German", got)
	}
	cfgPath := configtest.Write(t, t.TempDir(), "[phone]\nbrand = \"fanvil\"\naddress = \"http://127.0.0.1\"\npairing_token = \"0123456789abcdef0123456789abcdef\"\n")
	err = PairingURLs(t.Context(), []string{"--keys", "--config", cfgPath}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "Ein fanvil-Telefon hat keinen dokumentierten Weg") {
		t.Errorf("pairing-urls --keys refuses with %v in German", err)
	}
}
