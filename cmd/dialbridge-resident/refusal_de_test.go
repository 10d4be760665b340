package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/commands"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// A number the blocked list refuses comes back from the resident as a
// sentence beside its English words: a program's dial over the control
// API and a clicked link word the refusal in the person's language, while
// the words on the wire, the status and the English text stay as before.
func TestABlockedNumberIsRefusedInThePersonsLanguageAcrossTheControlAPI(t *testing.T) {
	rg := newReadingRig(t)
	const english = `blocked number: "+49 900 1 234567" is blocked by the rule "0900*" (premium-rate number)`
	for _, tc := range []struct{ language, want string }{
		{"en", english},
		{"de", `Gesperrte Nummer: "+49 900 1 234567" ist durch die Regel "0900*" gesperrt (Premium-Nummer)`},
	} {
		t.Run(tc.language, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			_, err := rg.client.Dial(context.Background(), control.DialCommand{Number: "0900 1234567", Source: "control API"})
			var de *control.DialError
			if !errors.As(err, &de) || de.Status != 403 {
				t.Fatalf("control API: %v, want a refusal with status 403", err)
			}
			if err.Error() != english {
				t.Errorf("control API, Error():\n got %q\nwant %q", err.Error(), english)
			}
			if got := i18n.Error(err); got != tc.want {
				t.Errorf("control API, worded:\n got %q\nwant %q", got, tc.want)
			}
			err = commands.Link(context.Background(), []string{"tel:+49-900-1234567"}, io.Discard, io.Discard)
			if got := errText(err); got != tc.want {
				t.Errorf("clicked link:\n got %q\nwant %q", got, tc.want)
			}
			if d := rg.sim.Dialed(); len(d) != 0 {
				t.Errorf("the phone dialed %v", d)
			}
		})
	}
}

// A number to forward calls to that the dialing rules refuse is refused by
// the resident in the person's language on the command line.
func TestAForwardTargetIsRefusedInThePersonsLanguage(t *testing.T) {
	rg := newReadingRig(t)
	for _, tc := range []struct{ language, want string }{
		{"en", `"030-ABC-1234" is not a phone number: the word "ABC" stands between digits, and letters are read as keypad digits only at the end of a number (as in 0800 FLOWERS)`},
		{"de", `"030-ABC-1234" ist keine Telefonnummer: Das Wort "ABC" steht zwischen Ziffern, und Buchstaben werden nur am Ende einer Nummer als Tastenziffern gelesen (wie in 0800 FLOWERS)`},
	} {
		t.Run(tc.language, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			err := commands.Forward(context.Background(), []string{"--config", rg.cfgPath, "030-ABC-1234"}, io.Discard, io.Discard)
			if got := errText(err); got != tc.want {
				t.Errorf("forward:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// errText is err's words, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
