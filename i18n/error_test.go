package i18n_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// TestErrorWordsALookupSourcesSentencesInTheUsersLanguage asks a source
// whose address book is broken and a source of a kind nobody knows:
// their sentences come in English, and in German with LANGUAGE=de, each
// with its cause (the vCard reader's own words) after it.
func TestErrorWordsALookupSourcesSentencesInTheUsersLanguage(t *testing.T) {
	book := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(book, []byte("BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\nTEL:030 1234567\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: book}, {Kind: "rolodex"}}
	names, cfgErr := lookup.FromConfig(cfg, nil, nil)
	_, _, findErr := names.Find(context.Background(), "030 1234567")
	for _, tc := range []struct {
		language   string
		find, conf string
	}{
		{"en", "vcard " + book + ": the address book " + book + " cannot be read: card 1 cannot be read: vcard: no END field found",
			`lookup[2].kind: "rolodex" is not one of vcard, csv, carddav, ldap, url`},
		{"de", "vcard " + book + ": das Adressbuch " + book + " ist nicht lesbar: Karte 1 ist nicht lesbar: vcard: no END field found",
			`lookup[2].kind: "rolodex" ist keine dieser Arten: vcard, csv, carddav, ldap, url`},
	} {
		t.Run(tc.language, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			if got := i18n.Error(findErr); got != tc.find {
				t.Errorf("the source's error:\n got %q\nwant %q", got, tc.find)
			}
			if got := i18n.Error(cfgErr); !strings.Contains(got, tc.conf) {
				t.Errorf("the config's error:\n got %q\nwant %q", got, tc.conf)
			}
		})
	}
	// Logs and the English reader keep the sentence as it was.
	if want := "vcard " + book + ": the address book " + book + " cannot be read"; !strings.HasPrefix(findErr.Error(), want) {
		t.Errorf("Error() = %q", findErr.Error())
	}
}

// The dialing rules' refusals and steps come in the person's language,
// the countries in them named in it too; English keeps the rules' own
// sentence apart from the country, which it names rather than codes.
func TestErrorWordsTheDialingRulesInTheUsersLanguage(t *testing.T) {
	de := dialplan.Rules{Country: "DE", AreaCode: "30", OutsideLine: "0"}
	_, tooShort := de.Read("+1 20")
	_, noRules := dialplan.Rules{Country: "XX"}.Read("030 1234567")
	_, nonGeo := de.Read("+882 12")
	_, option := de.Read("030123 --config")
	premium, err := de.Read("0900 123456")
	if err != nil {
		t.Fatal(err)
	}
	abroad, err := de.Read("+43 1 234567")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, language string
		err            error
		want           string
	}{
		{"too short, English", "en", tooShort, `"+1 20" is too short for a phone number of United States`},
		{"too short, German", "de", tooShort, `"+1 20" ist zu kurz für eine Telefonnummer im Land Vereinigte Staaten`},
		{"a number of no country, German", "de", nonGeo, `"+882 12" ist zu kurz für eine Telefonnummer im Land mit der Ländervorwahl +882`},
		{"broken rules, German", "de", noRules, `die Wählregeln sind nicht verwendbar: dialing.country: "XX" ist kein Ländercode nach ISO 3166, den libphonenumber kennt (z. B. „DE“, „AT“, „US“)`},
		{"an option, German", "de", option, `"030123 --config" ist keine Telefonnummer: "--config" sieht aus wie eine Befehlszeilen-Option, nicht wie ein Teil einer Nummer`},
		{"blocked, English", "en", premium.Blocked, `"+49 900 1 23456" is blocked by the rule "0900*" (premium-rate number)`},
		{"blocked, German", "de", premium.Blocked, `"+49 900 1 23456" ist durch die Regel "0900*" gesperrt (Premium-Nummer)`},
		{"a step abroad, English", "en", abroad.Steps[0].Sentence(), `+43 1 234567 is a number of Austria, dialed from Germany with the international prefix 00: 00431234567.`},
		{"a step abroad, German", "de", abroad.Steps[0].Sentence(), `+43 1 234567 ist eine Nummer im Land Österreich, gewählt aus dem Land Deutschland mit der internationalen Vorwahl 00: 00431234567.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			if got := i18n.Error(tc.err); got != tc.want {
				t.Errorf("i18n.Error:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	// Logs keep the code of the country, as they always had it.
	if got, want := tooShort.Error(), `"+1 20" is too short for a phone number of US`; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

// A phone's refusal comes in the person's language, its parts too: the
// phone's address, the brand's phones, what was attempted with the part a
// driver filled in, a fixed detail and the HTTP status; the phone's own
// words and a phrase dialbridge does not know stay as they are. The same
// holds once the sentence has crossed the control API.
func TestErrorWordsAPhonesRefusalInTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct {
		err    *phone.Error
		en, de string
	}{
		{&phone.Error{Kind: phone.ErrAuth, Address: "192.0.2.10", Op: "dial", Status: 401},
			"The phone at 192.0.2.10 refused the user name or password (HTTP 401)",
			"Das Telefon unter 192.0.2.10 hat Benutzername oder Passwort abgelehnt (HTTP 401)"},
		{&phone.Error{Kind: phone.ErrRefused, Brand: "snom", Op: "forward its calls to 204", Detail: "the number is empty"},
			"The phone refused to forward its calls to 204: the number is empty",
			"Das Telefon hat es abgelehnt, seine Anrufe auf 204 umzuleiten: die Nummer ist leer"},
		{&phone.Error{Kind: phone.ErrNotSupported, Brand: "auerswald", Op: "press the keys P1;P2"},
			"An Auerswald phone cannot press the keys P1;P2 remotely",
			"Ein Auerswald-Telefon lässt sich nicht aus der Ferne steuern, um die Tasten P1;P2 zu drücken"},
		{&phone.Error{Kind: phone.ErrNotSupported, Brand: "fanvil", Op: "press MENU", Key: "MENU"},
			"A Fanvil phone has no key MENU", "Ein Fanvil-Telefon hat keine Taste MENU"},
		{&phone.Error{Kind: phone.ErrUnreachable, Address: "phone.local", Op: "hang up", Err: phone.Timeout(errors.New("no answer"))},
			"The phone at phone.local did not answer in time",
			"Das Telefon unter phone.local hat nicht rechtzeitig geantwortet"},
		{&phone.Error{Kind: phone.ErrUnreachable, Address: "192.0.2.10", Op: "dial", Err: syscall.ECONNREFUSED},
			"The phone at 192.0.2.10 cannot be reached: the connection was refused (nothing answers at that address and port)",
			"Das Telefon unter 192.0.2.10 ist nicht erreichbar: die Verbindung wurde abgelehnt (unter dieser Adresse und diesem Port antwortet nichts)"},
		{&phone.Error{Kind: phone.ErrProtocol, Address: "192.0.2.10", Op: "hold the call and call the transfer target", Status: 500, Detail: "Internal Server Error"},
			"The phone at 192.0.2.10 gave an unexpected answer to hold the call and call the transfer target (HTTP 500): Internal Server Error",
			"Das Telefon unter 192.0.2.10 hat auf die Aufforderung, den Anruf zu halten und das Ziel der Weiterverbindung anzurufen, unerwartet geantwortet (HTTP 500): Internal Server Error"},
		{&phone.Error{Kind: phone.ErrRefused, Address: "192.0.2.10", Op: "reboot itself"},
			"The phone at 192.0.2.10 refused to reboot itself",
			"Das Telefon unter 192.0.2.10 hat es abgelehnt, reboot itself"},
		{&phone.Error{Kind: phone.ErrNotSupported, Brand: "snom-csta", Op: "hang up without its CSTA call id",
			Detail: "add csta_id=$csta_id to the phone's action URLs so that dialbridge learns the id of every call"},
			"A Snom phone cannot hang up without its CSTA call id remotely: add csta_id=$csta_id to the phone's action URLs so that dialbridge learns the id of every call",
			"Ein Snom-Telefon lässt sich nicht aus der Ferne steuern, um aufzulegen, ohne seine CSTA-Anruf-ID zu kennen: ergänzen Sie die Action-URLs des Telefons um csta_id=$csta_id, damit dialbridge die ID jedes Anrufs erfährt"},
		{&phone.Error{Kind: phone.ErrRefused, Address: "192.0.2.10", Op: "put a call on hold",
			Detail: "489 Bad Event; the phone does not take the NOTIFY event hold; allow remote control by SIP NOTIFY (talk and hold events) on the phone"},
			"The phone at 192.0.2.10 refused to put a call on hold: 489 Bad Event; the phone does not take the NOTIFY event hold; allow remote control by SIP NOTIFY (talk and hold events) on the phone",
			"Das Telefon unter 192.0.2.10 hat es abgelehnt, einen Anruf zu halten: 489 Bad Event; das Telefon nimmt das NOTIFY-Ereignis hold nicht an; erlauben Sie am Telefon die Fernsteuerung per SIP NOTIFY (Ereignisse talk und hold)"},
		{&phone.Error{Kind: phone.ErrNoSuchCall, Op: "hang up"},
			"That call no longer exists on the phone", "Diesen Anruf gibt es auf dem Telefon nicht mehr"},
	} {
		data, err := json.Marshal(control.ReplyError(tc.err))
		if err != nil {
			t.Fatal(err)
		}
		var reply control.Reply
		if err := json.Unmarshal(data, &reply); err != nil {
			t.Fatal(err)
		}
		crossed := reply.Says.Sentence()
		for _, lc := range []struct{ language, want string }{{"en", tc.en}, {"de", tc.de}} {
			i18ntest.UseLanguage(t, lc.language)
			if got := i18n.Error(tc.err); got != lc.want {
				t.Errorf("%s:\n got %q\nwant %q", lc.language, got, lc.want)
			}
			if got := i18n.Error(crossed); got != lc.want {
				t.Errorf("%s, across the control API:\n got %q\nwant %q", lc.language, got, lc.want)
			}
		}
		if got := tc.err.Error(); got != tc.en {
			t.Errorf("Error() = %q; want %q", got, tc.en)
		}
	}
}
