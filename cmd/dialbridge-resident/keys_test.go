package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// TestKeyCommandAndControlAPIAgree sends each sequence through both ways
// in, `dialbridge key` (the command table, its exit status and its one
// sentence) and the control API's client, to the demo phone (a simulated
// Snom): both end the same, and the phone receives the sequence exactly as
// typed, or nothing at all when it is refused.
func TestKeyCommandAndControlAPIAgree(t *testing.T) {
	r, c, _ := startCallsResident(t, "[phone]\nbrand = \"demo\"\n")
	sim := r.Phone().Simulator().(*snom.Sim)
	for _, tc := range []struct {
		keys string
		err  string // "" when the phone gets the keys
	}{
		{"ENTER,50,5000;CANCEL,50,1000", ""},
		{"OFFHOOK;1;2;*;#;P15,100;EK0;ONHOOK", ""},
		{"F_HLD", "F_HLD is not a Snom key; did you mean F_HOLD?"},
		{"ENTER,soon", `The press time "soon" of ENTER is not a number of milliseconds from 0 to 60000`},
		{"ENTER;;CANCEL", "Key event 2 is empty: separate keys with one semicolon, like ENTER;CANCEL"},
	} {
		t.Run(tc.keys, func(t *testing.T) {
			before := len(sim.KeyRequests())
			var out, errOut bytes.Buffer
			code := run([]string{"key", "--config", r.ConfigPath(), tc.keys}, &out, &errOut)
			apiErr := c.SendKeys(context.Background(), tc.keys)
			want := []string{tc.keys, tc.keys}
			if tc.err == "" {
				if code != 0 || apiErr != nil {
					t.Fatalf("command: exit %d, %q; control API: %v", code, errOut.String(), apiErr)
				}
				if got, say := out.String(), "Asked the phone to press "+tc.keys+".\n"; got != say {
					t.Errorf("the command said %q, want %q", got, say)
				}
			} else {
				want = nil
				if code != 1 || errOut.String() != "dialbridge: "+tc.err+"\n" {
					t.Errorf("command: exit %d, %q; want exit 1, %q", code, errOut.String(), "dialbridge: "+tc.err)
				}
				var refused *control.DialError
				if !errors.As(apiErr, &refused) || apiErr.Error() != tc.err || refused.Status != http.StatusBadRequest {
					t.Errorf("control API: %v, want %q with HTTP 400", apiErr, tc.err)
				}
			}
			if got := sim.KeyRequests()[before:]; !slices.Equal(got, want) {
				t.Errorf("the phone got key=%q, want %q", got, want)
			}
		})
	}
}

// TestKeyCommandReachesTheSnomUnchanged: the example of Snom's page, typed
// on the command line, is the phone's command.htm?key= to the letter.
func TestKeyCommandReachesTheSnomUnchanged(t *testing.T) {
	r, _, _ := startCallsResident(t, "[phone]\nbrand = \"demo\"\n")
	const keys = "ENTER,50,5000;CANCEL,50,1000"
	var out, errOut bytes.Buffer
	if code := run([]string{"key", keys, "--config", r.ConfigPath()}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	sim := r.Phone().Simulator().(*snom.Sim)
	if got := sim.KeyRequests(); !slices.Equal(got, []string{keys}) {
		t.Errorf("command.htm?key=%q, want %q", got, keys)
	}
	req := sim.Requests()
	if last := req[len(req)-1]; last.Path+"?"+last.RawQuery != "/command.htm?key="+keys {
		t.Errorf("the phone got %s?%s, want /command.htm?key=%s", last.Path, last.RawQuery, keys)
	}
}
