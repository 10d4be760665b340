package commands

import (
	"bytes"
	"context"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// `dialbridge normalize` explains a number and refuses a text in the
// person's language: the steps, the verdict with the blocked rule, the
// refusal, each with the countries named in that language.
func TestNormalizeSpeaksThePersonsLanguage(t *testing.T) {
	cfg := config.Default()
	cfg.Dialing.Country, cfg.Dialing.AreaCode, cfg.Dialing.OutsideLine = "DE", "30", "0"
	cfgPath := savedConfig(t, cfg)
	for _, tc := range []struct {
		name, language, text string
		out, err             string
	}{
		{"a number abroad, in English", "en", "+43 1 234567",
			"  +43 1 234567 is a number of Austria, dialed from Germany with the international prefix 00: 00431234567.\n" +
				"  Put the outside line 0 in front, because the number leaves the PBX: 000431234567.\n" +
				"dial: 000431234567\n", ""},
		{"a number abroad, in German", "de", "+43 1 234567",
			"  +43 1 234567 ist eine Nummer im Land Österreich, gewählt aus dem Land Deutschland mit der internationalen Vorwahl 00: 00431234567.\n" +
				"  Die Amtsholung 0 vorangestellt, weil die Nummer die Telefonanlage verlässt: 000431234567.\n" +
				"wählen: 000431234567\n", ""},
		{"a premium-rate number, in German", "de", "0900 1234567",
			"  09001234567 beginnt mit der Verkehrsausscheidungsziffer 0, ist also eine Nummer im Land Deutschland mit Vorwahl.\n" +
				"  +49 900 1 234567 ist eine Nummer der eigenen Ländervorwahl +49, gewählt in nationaler Form: 09001234567.\n" +
				"  Die Amtsholung 0 vorangestellt, weil die Nummer die Telefonanlage verlässt: 009001234567.\n" +
				"wählen: 009001234567 (nur, wenn Sie die Nummer selbst eingeben; Links und Webseiten werden abgelehnt: " +
				`"+49 900 1 234567" ist durch die Regel "0900*" gesperrt (Premium-Nummer))` + "\n", ""},
		{"a number too short, in English", "en", "+1 20", "", `"+1 20" is too short for a phone number of United States`},
		{"a number too short, in German", "de", "+1 20", "", `"+1 20" ist zu kurz für eine Telefonnummer im Land Vereinigte Staaten`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			var out bytes.Buffer
			err := Normalize(context.Background(), []string{"--config", cfgPath, tc.text}, &out, &out)
			if got := errText(err); got != tc.err {
				t.Errorf("error:\n got %q\nwant %q", got, tc.err)
			}
			if got := out.String(); got != tc.out {
				t.Errorf("printed:\n got %q\nwant %q", got, tc.out)
			}
		})
	}
}
