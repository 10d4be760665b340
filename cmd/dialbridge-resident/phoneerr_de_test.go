package main

import (
	"bytes"
	"fmt"
	"net/url"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// A phone's refusal crosses the control API as a sentence and the command
// line prints it in the person's language: the phone refusing the
// password dialbridge was given, and a brand that cannot do what was
// asked, in English word for word as before and in German.
func TestThePhonesRefusalIsPrintedInThePersonsLanguage(t *testing.T) {
	sims := map[string]string{} // brand -> config path of a resident paired with it
	hosts := map[string]string{}
	for _, brand := range []string{"snom", "yealink"} {
		sim, _, err := brandsim.StartWith(brand, "admin", "pa55")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sim.Close() })
		u, err := url.Parse(sim.URL())
		if err != nil {
			t.Fatal(err)
		}
		hosts[brand] = u.Hostname()
		t.Setenv("DIALBRIDGE_PHONE_PASSWORD", "not the password")
		_, _, sims[brand] = startResidentWith(t, fmt.Sprintf("[phone]\nbrand = %q\naddress = %q\nusername = \"admin\"\n", brand, sim.URL()), nil)
	}
	for _, tc := range []struct {
		name, brand, language string
		args                  []string
		want                  string
	}{
		{"dnd, wrong password, English", "snom", "en", []string{"dnd", "on"},
			"dialbridge: The phone at " + hosts["snom"] + " refused the user name or password (HTTP 401)\n"},
		{"dnd, wrong password, German", "snom", "de", []string{"dnd", "on"},
			"dialbridge: Das Telefon unter " + hosts["snom"] + " hat Benutzername oder Passwort abgelehnt (HTTP 401)\n"},
		{"dial, wrong password, German", "snom", "de", []string{"dial", "030 1234567"},
			"dialbridge: Das Telefon unter " + hosts["snom"] + " hat Benutzername oder Passwort abgelehnt (HTTP 401)\n"},
		{"dnd on a brand without it, English", "yealink", "en", []string{"dnd", "off"},
			"dialbridge: A Yealink phone cannot switch do not disturb remotely\n"},
		{"dnd on a brand without it, German", "yealink", "de", []string{"dnd", "off"},
			"dialbridge: Ein Yealink-Telefon lässt sich nicht aus der Ferne steuern, um Nicht stören umzuschalten\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			var out, errOut bytes.Buffer
			if code := run(append(tc.args, "--config", sims[tc.brand]), &out, &errOut); code != 1 {
				t.Errorf("exit status %d; want 1 (stdout %q)", code, out.String())
			}
			if got := errOut.String(); got != tc.want {
				t.Errorf("stderr\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
