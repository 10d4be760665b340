package leds

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/golden"
)

var update = golden.Flag("update", "testdata/scenarios/*.golden")

// TestScenariosPushWhatTheGoldenFilesSay plays every scenario under
// testdata/scenarios (*.txt) on an engine with a fake clock and compares
// the pushes with the golden file beside it. A scenario is lines of
//
//	keys KEY=LED ...        the bindings
//	+DURATION STATE ...     the clock moves on, then the state is (ringing,
//	                        in_call, missed=N, crm_failing, confirm_pending, dnd)
//	+DURATION tick          the clock moves on, then whatever is due is pushed
//	quit                    the lights dialbridge clears when it quits
func TestScenariosPushWhatTheGoldenFilesSay(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			golden.Check(t, strings.TrimSuffix(file, ".txt")+".golden", play(t, file), *update, "-update")
		})
	}
}

// play runs one scenario file and returns what was pushed, one line per
// push.
func play(t *testing.T, file string) string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var elapsed time.Duration
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	e := New(func() time.Time { return start.Add(elapsed) }, 300*time.Millisecond)
	var bindings []Binding
	var out strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		switch {
		case fields[0] == "keys":
			bindings = nil
			for _, kv := range fields[1:] {
				k, led, _ := strings.Cut(kv, "=")
				key, err := strconv.Atoi(k)
				if err != nil {
					t.Fatalf("%s:%d: %v", file, n, err)
				}
				bindings = append(bindings, Binding{Key: key, LED: led})
			}
		case fields[0] == "quit":
			fmt.Fprintf(&out, "%v quit %s\n", elapsed, format(e.Clear()))
		case strings.HasPrefix(fields[0], "+"):
			d, err := time.ParseDuration(fields[0][1:])
			if err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			elapsed += d
			if len(fields) > 1 && fields[1] == "tick" {
				if lights, _ := e.Due(); len(lights) > 0 {
					fmt.Fprintf(&out, "%v push %s\n", elapsed, format(lights))
					e.Shown(lights)
				}
				continue
			}
			e.Update(bindings, parseState(t, fields[1:]))
		default:
			t.Fatalf("%s:%d: %q is not a scenario line", file, n, line)
		}
	}
	return out.String()
}

func parseState(t *testing.T, words []string) State {
	var st State
	for _, w := range words {
		switch {
		case w == "idle":
		case w == "ringing":
			st.Ringing = true
		case w == "in_call":
			st.InCall = true
		case strings.HasPrefix(w, "missed="):
			st.Missed, _ = strconv.Atoi(strings.TrimPrefix(w, "missed="))
		case w == "crm_failing":
			st.CRMFailing = true
		case w == "confirm_pending":
			st.ConfirmPending = true
		case w == "dnd":
			st.DND = true
		default:
			t.Fatalf("%q is not a state", w)
		}
	}
	return st
}

func format(lights []phone.KeyLight) string {
	parts := make([]string, len(lights))
	for i, l := range lights {
		parts[i] = fmt.Sprintf("%d=%s/%s", l.Key, l.Light, l.Color)
	}
	return strings.Join(parts, " ")
}

// TestEveryLEDOfTheConfigHasALight checks that each led name the config
// accepts lights in some state and is off when nothing happens, so that
// no binding is a setting that does nothing.
func TestEveryLEDOfTheConfigHasALight(t *testing.T) {
	all := State{Ringing: true, InCall: true, Missed: 1, CRMFailing: true, ConfirmPending: true, DND: true}
	for _, led := range []string{MissedCalls, InCall, CRMFailing, ConfirmPending, DND} {
		if got := LightOf(led, State{}).Light; got != phone.LightOff {
			t.Errorf("%s when idle: got %s, want Off", led, got)
		}
		if got := LightOf(led, all).Light; got == phone.LightOff {
			t.Errorf("%s when everything happens: got Off, want a light", led)
		}
		if LightOf(led, all).Color == "" {
			t.Errorf("%s has no colour", led)
		}
	}
}
