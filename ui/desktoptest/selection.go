package desktoptest

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// SetPrimary selects text as a person selecting it in another X program
// would (xsel owns PRIMARY in the background until something else is
// selected), and waits until the display says so: xsel returns before
// its background copy owns the selection. For the tests of the hotkey
// (ui/hotkey) and of the resident, which press it over a selection.
func SetPrimary(t testing.TB, text string) {
	t.Helper()
	set := exec.Command("xsel", "-p", "-i")
	set.Stdin = strings.NewReader(text)
	if out, err := set.CombinedOutput(); err != nil {
		t.Fatalf("xsel -p -i: %v %s", err, out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("xsel", "-p", "-o").Output()
		if err == nil && string(out) == text {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("xsel did not take the selection %q", text)
}
