//go:build linux

package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/ui/desktoptest"
)

// TestTheHotkeyDialsTheSelectedText runs the real tray on the session's X
// display with a simulated Snom phone, and plays the person: another
// program holds the configured key, so dialbridge says so in one sentence;
// Settings change the key, which works at once; text selected in another
// program (xsel) is dialed through the dialing rules when the key is
// pressed (xdotool), and a premium number selected the same way is
// refused like the tray's clipboard item refuses it.
func TestTheHotkeyDialsTheSelectedText(t *testing.T) {
	display := needDisplay(t)
	for _, tool := range []string{"xdotool", "xsel"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (bash .ci/deps.sh installs it)", tool)
		}
	}
	sim, _, err := brandsim.StartDialer("snom", phonesim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })

	// Another program holds Ctrl+Alt+K, as a desktop's own shortcut would.
	desktoptest.GrabKey(t, 'k', xproto.ModMaskControl|xproto.ModMask1)

	d := startDesktopConfig(t, display, desktoptest.PlainServer, fmt.Sprintf(
		"[phone]\nbrand = \"snom\"\naddress = %q\n[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n[desktop]\nhotkey = \"ctrl+alt+k\"\n", sim.URL()), "tray")
	const taken = "Ctrl+Alt+K is already taken by another program; choose another key in Settings → Dialing rules."
	if n := d.waitNotification(t, "Hotkey not available"); n.Body != taken {
		t.Errorf("notification %q, want %q", n.Body, taken)
	}
	waitLog(t, d, taken)

	// Settings save another key and tell the resident to reload.
	if _, err := config.Edit(d.cfgPath, func(c *config.Config) bool { c.Desktop.Hotkey = "ctrl+alt+d"; return true }); err != nil {
		t.Fatal(err)
	}
	if err := d.client.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitLog(t, d, "hotkey=Ctrl+Alt+D")

	desktoptest.SetPrimary(t, "Tel. +49 30 1234567")
	press(t, display, "ctrl+alt+d")
	deadline := time.Now().Add(30 * time.Second)
	for len(sim.Dialed()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := sim.Dialed(); len(got) != 1 || got[0].Number != "0301234567" {
		t.Fatalf("the phone dialed %+v, want 0301234567 (the selection as the dialing rules write it) once", got)
	}

	desktoptest.SetPrimary(t, "0900 1234567")
	time.Sleep(time.Second) // one press, not a held key
	press(t, display, "ctrl+alt+d")
	// The dial service says why, once; the phone was never asked.
	n := d.waitNotification(t, "Dial request refused")
	if !strings.Contains(n.Body, "blocked") {
		t.Errorf("the premium number's notification says %q, want it to name the blocked rule", n.Body)
	}
	if got := sim.Dialed(); len(got) != 1 {
		t.Errorf("the phone dialed %+v, want nothing after the premium number", got)
	}
}

// press presses keys on display as a person does.
func press(t *testing.T, display, keys string) {
	t.Helper()
	cmd := exec.Command("xdotool", "key", keys)
	cmd.Env = append(cmd.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool key %s: %v %s", keys, err, out)
	}
}

// waitLog waits until the resident's log holds want.
func waitLog(t *testing.T, d *desktop, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(d.proc.stderr.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", want, d.proc.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
