package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/phone"
)

// sentKeys is the running dialbridge as the key command sees it, recording
// what it is sent and answering with err.
type sentKeys struct {
	got []string
	err error
}

func (s *sentKeys) SendKeys(_ context.Context, keys string) error {
	s.got = append(s.got, keys)
	return s.err
}

// TestKeyCommandSaysWhatItDidInEnglishAndGerman: the sequence goes to the
// running dialbridge as typed (words typed apart are one sequence), and
// the command's own sentences come in the person's language.
func TestKeyCommandSaysWhatItDidInEnglishAndGerman(t *testing.T) {
	for _, tc := range []struct{ lang, said, usage string }{
		{"en", "Asked the phone to press ENTER,50,5000;CANCEL.\n", `key needs the keys to press, e.g. dialbridge key "ENTER,50,5000;CANCEL"`},
		{"de", "Das Telefon wurde gebeten, ENTER,50,5000;CANCEL zu drücken.\n", `key braucht die Tasten, die gedrückt werden sollen, z. B. dialbridge key "ENTER,50,5000;CANCEL"`},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.lang)
			api := &sentKeys{}
			connect := func(context.Context, string) (keyAPI, error) { return api, nil }
			var out bytes.Buffer
			if err := runKey(context.Background(), []string{"ENTER,50,5000;", "CANCEL"}, &out, &bytes.Buffer{}, connect); err != nil {
				t.Fatal(err)
			}
			if len(api.got) != 1 || api.got[0] != "ENTER,50,5000;CANCEL" {
				t.Errorf("sent %q, want [ENTER,50,5000;CANCEL]", api.got)
			}
			if out.String() != tc.said {
				t.Errorf("said %q, want %q", out.String(), tc.said)
			}
			out.Reset()
			if err := runKey(context.Background(), []string{"p1"}, &out, &bytes.Buffer{}, connect); err != nil || !strings.Contains(out.String(), " P1") {
				t.Errorf("p1: %v, said %q, want P1 named as the phone gets it", err, out.String())
			}
			var ue cli.UsageError
			if err := runKey(context.Background(), nil, &out, &bytes.Buffer{}, connect); !errors.As(err, &ue) || ue.Msg != tc.usage {
				t.Errorf("without keys: %v, want the usage error %q", err, tc.usage)
			}
		})
	}
}

// TestKeyCommandPassesTheRefusalOn: the resident's sentence is the
// command's error, and nothing is printed.
func TestKeyCommandPassesTheRefusalOn(t *testing.T) {
	refusal := errors.New("A Yealink phone has no key MENU")
	api := &sentKeys{err: refusal}
	var out bytes.Buffer
	err := runKey(context.Background(), []string{"MENU"}, &out, &bytes.Buffer{}, func(context.Context, string) (keyAPI, error) { return api, nil })
	if !errors.Is(err, refusal) || out.Len() != 0 {
		t.Errorf("err %v, printed %q; want the refusal and nothing printed", err, out.String())
	}
}

// TestKeyCommandWordsATypoInThePersonsLanguage: a sequence the parser
// refuses never reaches the resident, and its sentence comes in English
// (the parser's own words) or German, for every kind of refusal.
func TestKeyCommandWordsATypoInThePersonsLanguage(t *testing.T) {
	for _, tc := range []struct{ keys, german string }{
		{"F_HLD", "F_HLD ist keine Snom-Taste; meinten Sie F_HOLD?"},
		{"BANANA", `BANANA ist keine Snom-Taste ("dialbridge key --help" listet die Tasten auf)`},
		{"ENTER;;CANCEL", "Tastendruck 2 ist leer: Tasten mit einem Semikolon trennen, wie ENTER;CANCEL"},
		{";", "Tastendruck 1 ist leer: Tasten mit einem Semikolon trennen, wie ENTER;CANCEL"},
		{"ENTER,bald", `Die Druckdauer "bald" von ENTER ist keine Zahl von Millisekunden von 0 bis 60000`},
		{"ENTER,5,-1", `Die Pause "-1" nach ENTER ist keine Zahl von Millisekunden von 0 bis 60000`},
		{"ENTER,1,2,3", `"ENTER,1,2,3" hat mehr als eine Taste, eine Druckdauer und eine Pause: TASTE,DAUER,PAUSE schreiben, die Zeiten in Millisekunden`},
		{strings.Repeat("1;", 64) + "1", "Das sind mehr als 64 Tasten; senden Sie sie in Teilen"},
		{"1,40000,30000;2", "Druckdauern und Pausen ergeben zusammen mehr als eine Minute; senden Sie die Tasten in Teilen"},
	} {
		_, parseErr := phone.ParseKeys(tc.keys)
		if parseErr == nil {
			t.Fatalf("ParseKeys(%q) took it", tc.keys)
		}
		for _, lang := range []struct{ code, want string }{{"en", fmt.Sprint(parseErr)}, {"de", tc.german}} {
			t.Run(lang.code+" "+tc.keys, func(t *testing.T) {
				i18ntest.UseLanguage(t, lang.code)
				api := &sentKeys{}
				err := runKey(context.Background(), []string{tc.keys}, &bytes.Buffer{}, &bytes.Buffer{},
					func(context.Context, string) (keyAPI, error) { return api, nil })
				if err == nil || err.Error() != lang.want {
					t.Errorf("err = %v, want %q", err, lang.want)
				}
				if len(api.got) != 0 {
					t.Errorf("the resident was sent %q", api.got)
				}
			})
		}
	}
}
