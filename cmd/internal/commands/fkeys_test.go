package commands

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// yealinkKeyConfig is a Yealink phone on the LAN with P3 bound.
const yealinkKeyConfig = `
[listener]
port = 61234
lan_address = "192.0.2.5"

[phone]
brand = "yealink"
address = "http://192.0.2.10"
pairing_token = "0123456789abcdef0123456789abcdef"

[[phone.keys]]
key = 3
label = "Missed"
action = "callback_missed"
`

// pairing-urls --keys prints the settings that bind the function keys, the
// ones the resident writes where it can: for Yealink, to enter by hand.
func TestPairingURLsPrintsTheKeySettings(t *testing.T) {
	cfgPath := configtest.Write(t, t.TempDir(), yealinkKeyConfig)
	var out, errOut bytes.Buffer
	if err := PairingURLs(context.Background(), []string{"--keys", "--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	want := "linekey.3.type = 17\n" +
		"linekey.3.value = http://192.0.2.5:61234/phone/0123456789abcdef0123456789abcdef/key/3\n" +
		"linekey.3.label = Missed\n"
	if out.String() != want {
		t.Errorf("pairing-urls --keys printed\n%s\nwant\n%s", out.String(), want)
	}
}

// pairing-urls --keys warns as pairing-urls does when the phone cannot
// reach the address in its URLs yet (no lan_address): the same note, or
// none, for the same config.
func TestPairingURLsKeysNotesWhatPairingURLsNotes(t *testing.T) {
	cfgPath := configtest.Write(t, t.TempDir(), strings.Replace(yealinkKeyConfig, "lan_address = \"192.0.2.5\"\n", "", 1))
	notes := map[bool]string{}
	for _, keys := range []bool{false, true} {
		args := []string{"--config", cfgPath}
		if keys {
			args = append(args, "--keys")
		}
		var out, errOut bytes.Buffer
		if err := PairingURLs(context.Background(), args, &out, &errOut); err != nil {
			t.Skipf("no route to 192.0.2.10 here: %v", err)
		}
		notes[keys] = errOut.String()
	}
	if notes[true] != notes[false] {
		t.Errorf("pairing-urls --keys noted %q, pairing-urls %q", notes[true], notes[false])
	}
}

// fkeysRecorder answers the function-keys command as a resident would.
type fkeysRecorder struct {
	status control.KeysStatus
	err    error
	wrote  bool
	// reloaded: the config file was read again before the write.
	reloaded bool
}

func (f *fkeysRecorder) Reload(context.Context) error {
	f.reloaded = true
	return nil
}

func (f *fkeysRecorder) Keys(context.Context) (control.KeysStatus, error) {
	return f.status, nil
}

func (f *fkeysRecorder) WriteKeys(context.Context) (control.KeysStatus, error) {
	f.wrote = f.reloaded
	return f.status, f.err
}

// TestFunctionKeysShowsEveryKeyAndSaysWhyAWriteFailed: status and
// write print each key's state, the keys to reset, why a write failed and
// why the lights cannot be set, as the Settings page does.
func TestFunctionKeysShowsEveryKeyAndSaysWhyAWriteFailed(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.Local)
	refused := "The phone at 192.0.2.10 refused to save its settings (HTTP 403)"
	tests := []struct {
		args  []string
		rec   fkeysRecorder
		wrote bool
		want  []string
		err   string
	}{
		{[]string{"status"}, fkeysRecorder{status: control.KeysStatus{Keys: []control.KeyStatus{
			{Key: 1, Label: "Missed", Action: "callback_missed", State: control.KeyWritten, At: &at},
			{Key: 2, Label: "DND", Action: "dnd", State: control.KeyPending},
		}, Removed: []int{4}}}, false, []string{
			"P1   Missed               callback_missed              written 2026-12-07 09:30:00",
			"P2   DND                  dnd                          not written yet",
			"P4 is no longer bound; dialbridge resets it at the next write.",
		}, ""},
		{[]string{"write"}, fkeysRecorder{status: control.KeysStatus{Keys: []control.KeyStatus{
			{Key: 1, Label: "Missed", Action: "callback_missed", State: control.KeyFailed, Error: refused, At: &at},
		}, Error: refused}, err: errors.New(refused)}, true, []string{
			"P1   Missed               callback_missed              not written: " + refused,
		}, refused},
		{[]string{"status"}, fkeysRecorder{}, false, []string{"No function key is bound ([[phone.keys]] in the config file)."}, ""},
		{[]string{"status"}, fkeysRecorder{status: control.KeysStatus{Keys: []control.KeyStatus{
			{Key: 1, Label: "Missed", Action: "callback_missed", State: control.KeyWritten, At: &at},
		}, Lights: "dialbridge does not know which light belongs to which key on a Snom D999; set phone.model"}}, false, []string{
			"P1   Missed               callback_missed              written 2026-12-07 09:30:00",
			"The keys' lights: dialbridge does not know which light belongs to which key on a Snom D999; set phone.model",
		}, ""},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		rec := tt.rec
		err := runFunctionKeys(context.Background(), tt.args, &out, &errOut, func(context.Context, string) (functionKeysAPI, error) { return &rec, nil })
		if got := ""; err != nil {
			got = err.Error()
			if got != tt.err {
				t.Errorf("%v: error %q, want %q", tt.args, got, tt.err)
			}
		} else if tt.err != "" {
			t.Errorf("%v: no error, want %q", tt.args, tt.err)
		}
		if rec.wrote != tt.wrote {
			t.Errorf("%v: wrote after reading the config file again = %v, want %v", tt.args, rec.wrote, tt.wrote)
		}
		if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%v printed\n%s\nwant\n%s", tt.args, out.String(), strings.Join(tt.want, "\n"))
		}
	}
}
