package launch

import (
	"context"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/ui"
)

// fakeWindow stands in for `dialbridge ui confirm`: a shell that exits with
// the given script, recording the arguments it was opened with.
func fakeWindow(script string, gotArgs *[]string) func(string, ...string) (*exec.Cmd, error) {
	return func(name string, args ...string) (*exec.Cmd, error) {
		*gotArgs = append([]string{name}, args...)
		cmd := exec.Command("sh", "-c", script)
		return cmd, cmd.Start()
	}
}

func TestWindowConfirmer(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		want    actionurl.Decision
		wantErr string
	}{
		{"dial", "exit 0", actionurl.Decision{Allow: true}, ""},
		{"refuse", "exit 1", actionurl.Decision{}, ""},
		{"always allow", "exit 3", actionurl.Decision{Allow: true, Remember: true}, ""},
		{"window's countdown ran out", "exit 4", actionurl.Decision{Unanswered: time.Minute}, ""},
		{"window crashed", "exit 2", actionurl.Decision{}, "exit status 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args []string
			var asked []actionurl.ConfirmRequest
			c := &Confirmer{
				Open:    fakeWindow(tt.script, &args),
				Timeout: time.Minute,
				Asking:  func(r actionurl.ConfirmRequest) { asked = append(asked, r) },
			}
			req := actionurl.ConfirmRequest{Origin: "-https://evil.example", Number: "030 1234", Dial: "0301234"}
			got, err := c.Confirm(context.Background(), req)
			if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Confirm = %+v, %v; want %+v, error containing %q", got, err, tt.want, tt.wantErr)
			}
			wantArgs := []string{"confirm", "--origin=-https://evil.example", "--number=030 1234", "--timeout=1m0s", "--dial=0301234"}
			if !reflect.DeepEqual(args, wantArgs) {
				t.Errorf("window opened with %q, want %q", args, wantArgs)
			}
			if len(asked) != 1 {
				t.Errorf("asking called %d times, want 1", len(asked))
			}
		})
	}
}

func TestWindowConfirmerNoAnswerRefuses(t *testing.T) {
	var args []string
	c := &Confirmer{Open: fakeWindow("exec sleep 60", &args), Timeout: 10 * time.Millisecond}
	got, err := c.Confirm(context.Background(), actionurl.ConfirmRequest{Origin: "https://crm.example", Number: "1"})
	if err != nil || got != (actionurl.Decision{Unanswered: 10 * time.Millisecond}) {
		t.Errorf("Confirm = %+v, %v; want no dial, unanswered after 10ms", got, err)
	}
}

func TestWindowConfirmerRequestGone(t *testing.T) {
	var args []string
	c := &Confirmer{Open: fakeWindow("exec sleep 60", &args), Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := c.Confirm(ctx, actionurl.ConfirmRequest{Origin: "https://crm.example", Number: "1"})
	if err != nil || got.Allow {
		t.Errorf("Confirm = %+v, %v; want a refusal", got, err)
	}
}

// The window program answers with ui.Decision as its exit status, and
// Confirm reads the same numbers: one contract, checked from both ends.
func TestConfirmReadsTheWindowsDecisions(t *testing.T) {
	tests := []struct {
		window ui.Decision
		code   int
	}{
		{ui.Dial, confirmDial},
		{ui.Refuse, confirmRefuse},
		{ui.AlwaysAllow, confirmAlways},
		{ui.Expired, confirmExpired},
	}
	for _, tt := range tests {
		if int(tt.window) != tt.code {
			t.Errorf("the window exits %d where Confirm reads %d", tt.window, tt.code)
		}
	}
}
