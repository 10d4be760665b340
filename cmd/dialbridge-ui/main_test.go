package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"

	"fyne.io/fyne/v2/test"
)

// Every window the tray and the command line ask for is built, with the
// arguments they pass and --config before or after them; mistakes are
// usage errors naming what is possible.
func TestBuildWindow(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		wantTitle string
		wantUsage string
	}{
		{"dial", nil, "Dial", ""},
		{"dial", []string{"030", "1234567"}, "Dial", ""},
		{"dial", []string{"--transfer=call-7"}, "Transfer", ""},
		{"dial", []string{"030", "--transfer", "call-7"}, "Transfer", ""},
		{"settings", nil, "dialbridge settings", ""},
		{"settings", []string{"security"}, "dialbridge settings", ""},
		{"settings", []string{"nowhere"}, "", `no page "nowhere"`},
		{"pair", []string{"192.0.2.10"}, "Pair a desk phone", ""},
		{"journal", []string{"deliveries"}, "Call journal", ""},
		{"journal", []string{"yesterday"}, "", "journal takes at most calls or deliveries"},
		{"about", nil, "About dialbridge", ""},
		{"about", []string{"more"}, "", "about takes no arguments"},
		{"confirm", []string{"--origin=https://crm.example", "--number=+4930123"}, "Dial this number?", ""},
		{"confirm", nil, "", "confirm needs --number"},
		{"help", nil, "", "unknown window"},
	}
	for _, tt := range tests {
		for _, where := range []string{"flag first", "flag last"} {
			args := append([]string{"--config", cfg}, tt.args...)
			if where == "flag last" {
				args = append(slices.Clone(tt.args), "--config", cfg)
			}
			t.Run(tt.name+" "+strings.Join(args, " "), func(t *testing.T) {
				a := test.NewTempApp(t)
				w, finish, err := buildWindow(a, tt.name, args, &bytes.Buffer{})
				if tt.wantUsage != "" {
					var ue cli.UsageError
					if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tt.wantUsage) {
						t.Fatalf("got %v, want a usage error containing %q", err, tt.wantUsage)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(w.Title(), tt.wantTitle) {
					t.Errorf("title %q, want it to contain %q", w.Title(), tt.wantTitle)
				}
				if finish == nil {
					t.Error("no finish function")
				}
				w.Close()
			})
		}
	}
}

// A missing WINDOW is said once, without the program's name twice.
func TestNoWindowIsOneSentence(t *testing.T) {
	var stderr bytes.Buffer
	code := exitCode(runUI(context.Background(), []string{"--config", "f.toml"}, &stderr), &stderr)
	first, _, _ := strings.Cut(stderr.String(), "\n")
	if code != 2 || first != "dialbridge ui: which window? dial, settings, pair, journal, whatswrong, about or confirm" {
		t.Errorf("exit %d, first line %q", code, first)
	}
	if !strings.Contains(stderr.String(), "  settings [PAGE]") {
		t.Errorf("the usage lacks the windows:\n%s", stderr.String())
	}
}

// The confirmation's answer is the exit status (a contract with the
// resident, whose side is ui/launch's Confirmer): closing it refuses.
func TestConfirmClosedRefuses(t *testing.T) {
	a := test.NewTempApp(t)
	w, finish, err := buildWindow(a, "confirm", []string{"--number=+4930123"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	var ee *cli.ExitError
	if err := finish(); !errors.As(err, &ee) || ee.Code != 1 {
		t.Errorf("closing the confirmation: %v, want exit status 1", err)
	}
	if got := exitCode(finish(), &bytes.Buffer{}); got != 1 {
		t.Errorf("exit code %d, want 1", got)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{cli.UsageError{Msg: "which window? dial, settings, pair, journal, about or confirm"}, 2},
		{&cli.ExitError{Code: 3, Err: errors.New("allowed")}, 3},
		{errors.New("the phone at 192.0.2.10 refused"), 1},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if got := exitCode(tt.err, &stderr); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
		if tt.err != nil && stderr.Len() == 0 {
			t.Errorf("exitCode(%v) said nothing", tt.err)
		}
	}
}

// TestConfirmUnansweredIsNotARefusal: a prompt nobody answers ends with
// exit status 4 and says it was not confirmed in time, so that the
// resident does not report it as refused by the person.
func TestConfirmUnansweredIsNotARefusal(t *testing.T) {
	a := test.NewTempApp(t)
	_, finish, err := buildWindow(a, "confirm", []string{"--number=+4930123", "--timeout=20ms"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var ee *cli.ExitError
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := finish(); errors.As(err, &ee) && ee.Code == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unanswered confirmation ended with %v, want exit status 4", finish())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(ee.Error(), "not confirmed within") {
		t.Errorf("said %q, want it not confirmed in time", ee.Error())
	}
}
