package commands

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
)

// recordingAPI answers like a resident without calls and records what it
// was asked.
type recordingAPI struct {
	asked  []string
	err    error
	active []control.CallEntry // the calls in progress the resident knows
}

func (r *recordingAPI) Calls(context.Context) ([]control.CallEntry, error) { return r.active, nil }
func (r *recordingAPI) Call(_ context.Context, id, op string, cmd control.CallCommand) error {
	r.asked = append(r.asked, id+" "+op+" "+cmd.Target+cmd.Digits)
	return r.err
}
func (r *recordingAPI) SetDND(context.Context, bool) (control.DND, error) { return control.DND{}, nil }
func (r *recordingAPI) DND(context.Context) (control.DND, error)          { return control.DND{}, nil }
func (r *recordingAPI) SetForward(_ context.Context, target string) (control.Forward, error) {
	r.asked = append(r.asked, "forward "+target)
	return control.Forward{Target: target, Known: true}, r.err
}
func (r *recordingAPI) Forward(context.Context) (control.Forward, error) {
	r.asked = append(r.asked, "forward status")
	return control.Forward{}, r.err
}
func (r *recordingAPI) DemoIncoming(_ context.Context, d control.DemoCall) error {
	r.asked = append(r.asked, "ring "+d.Number+" "+d.Name)
	return nil
}

// TestRunCallReadsWhatThePersonTyped: mistakes on the command line are
// usage errors (exit 2) before anything is asked; without a call known,
// the command names the phone's current call, and a resident that knows
// there is none makes it one sentence.
func TestRunCallReadsWhatThePersonTyped(t *testing.T) {
	tests := []struct {
		args        []string
		residentErr error
		wantErr     string
		usage       bool
		wantAsked   []string
	}{
		{[]string{"dtmf"}, nil, "call dtmf needs DIGITS", true, nil},
		{[]string{"consult"}, nil, "call consult needs NUMBER", true, nil},
		{[]string{"hangup", "now"}, nil, "call hangup takes no arguments", true, nil},
		{[]string{"dtmf", "1", "2"}, nil, "call dtmf takes one DIGITS", true, nil},
		{[]string{"explode"}, nil, `call: "explode" is not one of answer, hangup, hold, resume, dtmf, transfer, consult, conference, clear, ring`, true, nil},
		{[]string{"dtmf", "12#"}, nil, "", false, []string{"current dtmf 12#"}},
		{[]string{"ring"}, nil, "", false, []string{"ring  "}},
		{[]string{"ring", "030 1234567"}, nil, "", false, []string{"ring 030 1234567 "}},
		{[]string{"ring", "030", "1234567"}, nil, "", false, []string{"ring 030 1234567 "}},
		{[]string{"--call", "g-7", "transfer", "204"}, nil, "", false, []string{"g-7 transfer 204"}},
		{[]string{"transfer"}, &control.DialError{Status: 404, Err: errors.New(calls.NotInProgress)}, "no call is in progress that could be transferred", false, []string{"current transfer "}},
		{[]string{"dtmf", "1"}, errors.New("A Fanvil phone cannot send DTMF remotely"), "A Fanvil phone cannot send DTMF remotely", false, []string{"current dtmf 1"}},
	}
	for _, tt := range tests {
		api := &recordingAPI{err: tt.residentErr}
		var out, errOut bytes.Buffer
		err := runCall(context.Background(), tt.args, &out, &errOut, func(context.Context, string) (callAPI, error) { return api, nil })
		var usage cli.UsageError
		switch {
		case tt.wantErr == "" && err != nil, tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%q: %v, want %q", tt.args, err, tt.wantErr)
		case errors.As(err, &usage) != tt.usage:
			t.Errorf("%q: %v is a usage error: %v, want %v", tt.args, err, !tt.usage, tt.usage)
		}
		if len(api.asked) != len(tt.wantAsked) || (len(api.asked) > 0 && api.asked[0] != tt.wantAsked[0]) {
			t.Errorf("%q asked %q, want %q", tt.args, api.asked, tt.wantAsked)
		}
	}
}

// TestTransferBeforeTheConsultedPartyAnswersSaysToWait: "transfer" after
// "consult" while the target still rings names the target and what to do,
// instead of claiming there is no call; once it answers, the transfer is
// asked for.
func TestTransferBeforeTheConsultedPartyAnswersSaysToWait(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	held := control.CallEntry{GUID: "g-1", Direction: "outbound", Remote: "030123456", Connected: &at, OnHold: true}
	ringing := control.CallEntry{GUID: "g-2", Direction: "outbound", Remote: "204"}
	answered := ringing
	answered.Connected = &at
	tests := []struct {
		active    []control.CallEntry
		wantErr   string
		wantAsked []string
	}{
		{[]control.CallEntry{held, ringing}, `204 has not answered yet: complete the transfer once the call is connected (or end it with "dialbridge call hangup" and take back the held call with "dialbridge call resume")`, nil},
		{[]control.CallEntry{held, answered}, "", []string{"g-2 transfer "}},
		{[]control.CallEntry{ringing}, "", []string{"current transfer "}},
	}
	for _, tt := range tests {
		api := &recordingAPI{active: tt.active}
		var out, errOut bytes.Buffer
		err := runCall(context.Background(), []string{"transfer"}, &out, &errOut, func(context.Context, string) (callAPI, error) { return api, nil })
		if got := errText(err); got != tt.wantErr {
			t.Errorf("%d calls: error %q, want %q", len(tt.active), got, tt.wantErr)
		}
		if strings.Join(api.asked, "|") != strings.Join(tt.wantAsked, "|") {
			t.Errorf("%d calls: asked %q, want %q", len(tt.active), api.asked, tt.wantAsked)
		}
	}
}

// TestRunForwardReadsWhatThePersonTyped: forward takes one NUMBER, off or
// status; anything else is a usage error before the resident is asked,
// and each answer is one sentence.
func TestRunForwardReadsWhatThePersonTyped(t *testing.T) {
	tests := []struct {
		args      []string
		wantErr   string
		wantOut   string
		wantAsked []string
	}{
		{nil, "forward needs a NUMBER, off or status", "", nil},
		{[]string{"204", "205"}, "forward needs a NUMBER, off or status", "", nil},
		{[]string{"on"}, "forward needs a NUMBER, off or status", "", nil},
		{[]string{"030 1234"}, "", "Calls are forwarded to 030 1234: the phone diverts every incoming call there.\n", []string{"forward 030 1234"}},
		{[]string{"off"}, "", "Call forwarding is off.\n", []string{"forward "}},
		{[]string{"status"}, "", "Call forwarding: not known (neither the phone nor dialbridge has switched it since dialbridge started).\n", []string{"forward status"}},
	}
	for _, tt := range tests {
		api := &recordingAPI{}
		var out, errOut bytes.Buffer
		err := runForward(context.Background(), tt.args, &out, &errOut, func(context.Context, string) (callAPI, error) { return api, nil })
		if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.wantErr)
		}
		if got := out.String(); got != tt.wantOut {
			t.Errorf("%q said %q, want %q", tt.args, got, tt.wantOut)
		}
		if len(api.asked) != len(tt.wantAsked) || (len(api.asked) > 0 && api.asked[0] != tt.wantAsked[0]) {
			t.Errorf("%q asked %q, want %q", tt.args, api.asked, tt.wantAsked)
		}
	}
}

// TestCommandsWithoutARunningDialbridgeSayHowToStartIt: the commands that
// need the running dialbridge say how to start it; quit, with nothing to
// quit, only says that it is not running.
func TestCommandsWithoutARunningDialbridgeSayHowToStartIt(t *testing.T) {
	cfgPath := configtest.Write(t, t.TempDir(), "[phone]\nbrand = \"demo\"\n")
	want := `dialbridge is not running; start it ("dialbridge" for the tray, or "dialbridge serve") and try again`
	for name, run := range map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"call": Call, "dnd": DND, "forward": Forward, "key": Key, "function-keys": FunctionKeys, "quit": Quit,
		"lookup --status": Lookup,
	} {
		args := map[string][]string{"call": {"hangup"}, "dnd": {"status"}, "forward": {"status"}, "key": {"ENTER"}, "function-keys": {"status"}, "lookup --status": {"--status"}}[name]
		err := run(context.Background(), append(args, "--config", cfgPath), io.Discard, io.Discard)
		want := want
		if name == "quit" {
			want = control.ErrNotRunning.Error()
		}
		if !errors.Is(err, control.ErrNotRunning) || err.Error() != want {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}
