package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The dial pad's preview and Settings' "try a number" say why a number
// cannot be dialled, and that a number is blocked, in the person's
// language, the countries in it too.
func TestDialPadAndTryFieldWordTheDialingRulesInThePersonsLanguage(t *testing.T) {
	for _, tc := range []struct {
		name, language, typed string
		preview, try          string
	}{
		{"too short, English", "en", "+1 20",
			`Cannot dial this: "+1 20" is too short for a phone number of United States`,
			`Cannot dial this: "+1 20" is too short for a phone number of United States`},
		{"too short, German", "de", "+1 20",
			`Nicht wählbar: "+1 20" ist zu kurz für eine Telefonnummer im Land Vereinigte Staaten`,
			`Nicht wählbar: "+1 20" ist zu kurz für eine Telefonnummer im Land Vereinigte Staaten`},
		{"blocked, German", "de", "0900 1234567",
			"Das Telefon wählt 09001234567 (nationale Nummer)",
			"Das Telefon wählt 09001234567 (nationale Nummer)\n" +
				`Für Links und Webseiten gesperrt: "+49 900 1 234567" ist durch die Regel "0900*" gesperrt (Premium-Nummer)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useLanguage(t, tc.language)
			p := newTestDialPad(t, &fakeResident{})
			test.Type(p.number, tc.typed)
			if p.preview.Text != tc.preview {
				t.Errorf("preview:\n got %q\nwant %q", p.preview.Text, tc.preview)
			}
			s := newSettingsRig(t, berlinConfig()).s
			test.Type(s.tryNumber, tc.typed)
			if s.tryResult.Text != tc.try {
				t.Errorf("try:\n got %q\nwant %q", s.tryResult.Text, tc.try)
			}
		})
	}
}

// A dialing rule Settings cannot save is explained next to its field in
// the person's language, in the dialing rules' own words.
func TestSettingsExplainsABadDialingRuleInThePersonsLanguage(t *testing.T) {
	useLanguage(t, "de")
	r := newSettingsRig(t, berlinConfig())
	retype(r.s.area, "030")
	r.s.Save()
	if want := `"030" muss ohne die Verkehrsausscheidungsziffer 0 geschrieben werden, z. B. "30"`; !strings.Contains(r.problems()["dialing.area_code"], want) {
		t.Errorf("problem next to the area code = %q, want it to say %q", r.problems()["dialing.area_code"], want)
	}
}
