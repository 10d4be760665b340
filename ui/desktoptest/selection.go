package desktoptest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
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

// GrabKey takes the key that types the ASCII character key, with the X
// modifier mask mods, for the whole display until the test ends, as
// another program's global shortcut holds it: over a connection of its
// own, straight with the X protocol, so that what dialbridge meets is the
// X server's own refusal.
func GrabKey(t testing.TB, key byte, mods uint16) {
	t.Helper()
	conn, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	setup := xproto.Setup(conn)
	m, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(m.Keysyms, xproto.Keysym(key))
	if i < 0 {
		t.Fatalf("no key types %q", key)
	}
	code := setup.MinKeycode + xproto.Keycode(i/int(m.KeysymsPerKeycode))
	if err := xproto.GrabKeyChecked(conn, false, setup.DefaultScreen(conn).Root, mods, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check(); err != nil {
		t.Fatalf("grabbing %q: %v", key, err)
	}
}
