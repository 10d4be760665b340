//go:build linux

package hotkey

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/dialbridge/dialbridge/ui/desktoptest"
	"github.com/dialbridge/dialbridge/ui/hotkey/keys"
)

// The tests here press real keys on the X display of the throwaway desktop
// session (.ci/desktop-session.sh) with xdotool and set the selection with
// xsel, as a person would in another program.

// TestMain holds one X connection for the whole run: Xvfb resets itself
// whenever its last client leaves, and a test connecting during the reset
// would be turned away. A desktop always has clients (the panel, the
// window manager), so this is the desktop's normal state.
func TestMain(m *testing.M) {
	var anchor *xgb.Conn
	if os.Getenv("DISPLAY") != "" {
		anchor, _ = xgb.NewConn()
	}
	code := m.Run()
	if anchor != nil {
		anchor.Close()
	}
	os.Exit(code)
}

// needX skips without an X display or the tools that play the person.
func needX(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X display: run inside .ci/desktop-session.sh")
	}
	for _, tool := range []string{"xdotool", "xsel"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (bash .ci/deps.sh installs it)", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func mustParse(t *testing.T, s string) keys.Combo {
	t.Helper()
	c, err := keys.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitPress waits for one press on pressed, failing after a while.
func waitPress(t *testing.T, pressed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-pressed:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: the hotkey was not reported", what)
	}
}

func TestTheHotkeyFiresWhenPressedWithAnyLockOn(t *testing.T) {
	needX(t)
	pressed := make(chan struct{}, 8)
	g, err := Register(mustParse(t, "ctrl+alt+d"), func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	run(t, "xdotool", "key", "ctrl+alt+d")
	waitPress(t, pressed, "ctrl+alt+d")

	// With Caps Lock on, the same keys are still the hotkey.
	time.Sleep(debounce + 100*time.Millisecond)
	run(t, "xdotool", "key", "Caps_Lock")
	defer run(t, "xdotool", "key", "Caps_Lock")
	run(t, "xdotool", "key", "ctrl+alt+d")
	waitPress(t, pressed, "ctrl+alt+d with Caps Lock on")

	// Another combination is not the hotkey.
	time.Sleep(debounce + 100*time.Millisecond)
	run(t, "xdotool", "key", "ctrl+alt+e")
	select {
	case <-pressed:
		t.Error("ctrl+alt+e was reported as the hotkey")
	case <-time.After(500 * time.Millisecond):
	}
}

func TestAComboAnotherProgramHoldsIsTaken(t *testing.T) {
	needX(t)
	desktoptest.GrabKey(t, 'k', xproto.ModMaskControl|xproto.ModMask1)
	_, err := Register(mustParse(t, "ctrl+alt+k"), func() {})
	if !errors.Is(err, ErrTaken) {
		t.Fatalf("Register(ctrl+alt+k) = %v, want ErrTaken", err)
	}
	if got, want := err.Error(), "Ctrl+Alt+K is already taken by another program"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestCloseGivesTheKeyBackAtOnce(t *testing.T) {
	needX(t)
	c := mustParse(t, "ctrl+alt+j")
	g, err := Register(c, func() {})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { g.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close waited (for a key press?)")
	}
	pressed := make(chan struct{}, 1)
	g, err = Register(c, func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatalf("registering again after Close: %v", err)
	}
	defer g.Close()
	run(t, "xdotool", "key", "ctrl+alt+j")
	waitPress(t, pressed, "ctrl+alt+j after registering again")
}

func TestSelectionReadsPrimary(t *testing.T) {
	needX(t)
	ctx := context.Background()
	run(t, "xsel", "-p", "-c")
	if got, err := Selection(ctx); err != nil || got != "" {
		t.Errorf("with nothing selected: %q, %v; want \"\"", got, err)
	}
	for _, text := range []string{"030 1234567", "Tel. +49 (30) 123-4567 — Zentrale"} {
		desktoptest.SetPrimary(t, text)
		got, err := Selection(ctx)
		if err != nil || got != text {
			t.Errorf("Selection = %q, %v; want %q", got, err, text)
		}
	}
	desktoptest.SetPrimary(t, strings.Repeat("1", MaxText+10))
	if got, err := Selection(ctx); !errors.Is(err, ErrTooLong) {
		t.Errorf("a long selection: %d bytes, %v; want ErrTooLong", len(got), err)
	}
	run(t, "xsel", "-p", "-c")
}

func TestRepeatsOfOneHoldCountOnce(t *testing.T) {
	var f repeatFilter
	t0 := time.Unix(0, 0)
	steps := []struct {
		at   time.Duration
		want bool
	}{
		{0, true},
		{660 * time.Millisecond, false}, // the keyboard's repeat delay
		{700 * time.Millisecond, false}, // and its repeats
		{740 * time.Millisecond, false},
		{2 * time.Second, true}, // pressed again after a rest
	}
	for _, s := range steps {
		if got := f.counts(t0.Add(s.at)); got != s.want {
			t.Errorf("a press at %v counts = %v, want %v", s.at, got, s.want)
		}
	}
}
