package commands

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
)

// In German, what call, dnd and forward print and their mistakes on the
// command line are German.
func TestCallDNDAndForwardSpeakGerman(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	notInProgress := &control.DialError{Status: 404, Err: errors.New(calls.NotInProgress)}
	tests := []struct {
		run     func(ctx context.Context, args []string, stdout, stderr io.Writer, connect callConnect) error
		args    []string
		resErr  error
		wantOut string
		wantErr string
	}{
		{runCall, []string{"dtmf", "12#"}, nil, "Das Telefon wurde gebeten, im Anruf die Töne 12# zu senden.\n", ""},
		{runCall, []string{"consult", "204"}, nil, "Das Telefon wurde gebeten, den Anruf zu halten und 204 anzurufen.\n", ""},
		{runCall, []string{"transfer"}, nil, "Das Telefon wurde gebeten, die Vermittlung abzuschließen: Es verbindet den gehaltenen Anruf mit dem anderen.\n", ""},
		{runCall, []string{"hangup"}, notInProgress, "", "Kein laufender Anruf, der aufgelegt werden könnte"},
		{runCall, []string{"consult"}, nil, "", "call consult braucht NUMBER"},
		{runCall, []string{"explode"}, nil, "", `call: "explode" ist keins von answer, hangup, hold, resume, dtmf, transfer, consult, conference, clear, ring`},
		{runDND, []string{"status"}, nil, "Nicht stören: unbekannt (weder das Telefon noch dialbridge hat es umgeschaltet, seit dialbridge läuft).\n", ""},
		{runDND, []string{"maybe"}, nil, "", "dnd braucht on, off oder status"},
		{runForward, []string{"204"}, nil, "Anrufe werden an 204 umgeleitet: Das Telefon leitet jeden ankommenden Anruf dorthin.\n", ""},
		{runForward, nil, nil, "", "forward braucht eine NUMMER, off oder status"},
	}
	for _, tt := range tests {
		api := &recordingAPI{err: tt.resErr}
		var out, errOut bytes.Buffer
		err := tt.run(context.Background(), tt.args, &out, &errOut, func(context.Context, string) (callAPI, error) { return api, nil })
		if got := errText(err); got != tt.wantErr {
			t.Errorf("%q: error %q, want %q", tt.args, got, tt.wantErr)
		}
		if got := out.String(); got != tt.wantOut {
			t.Errorf("%q printed %q, want %q", tt.args, got, tt.wantOut)
		}
	}
	// What dial, quit and a second start print are German too.
	for key, english := range map[string]string{"dial.dialing": "The phone is dialing {{.Number}}", "quit.quitting": "dialbridge is quitting.",
		"tray.already_running": "dialbridge is already running; its dial pad is open."} {
		if got := lang.X(key, english); got == english {
			t.Errorf("%s has no German sentence: %q", key, got)
		}
	}
	// Every operation's two sentences are German, not the English default.
	for name, o := range ops {
		for key, english := range map[string]string{"call.none." + name: o.none, "call.did." + name: o.did} {
			if got := lang.X(key, english); got == english {
				t.Errorf("%s has no German sentence: %q", key, got)
			}
		}
	}
}

// errText is err's sentence, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
