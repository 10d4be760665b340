package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// runDesktopCommand runs a desktop command of the command table against
// the real Windows integration, on a registry held in memory.
func runDesktopCommand(t *testing.T, reg winreg.Registry, args ...string) (string, error) {
	t.Helper()
	d := integrate.Windows(integrate.Env{Exe: `C:\Program Files\dialbridge\dialbridge.exe`}, reg)
	for _, c := range commands(func() (integrate.Desktop, error) { return d, nil }) {
		if c.Name == args[0] {
			var out, errOut bytes.Buffer
			err := c.run(context.Background(), args[1:], &out, &errOut)
			return out.String(), err
		}
	}
	t.Fatalf("no command %s", args[0])
	return "", nil
}

// TestDesktopCommands runs the commands one after the other on one
// registry: what each prints is what the registry holds then. What the
// reports say on desktops that keep a scheme or fail is
// packaging/integrate's TestReports.
func TestDesktopCommands(t *testing.T) {
	const none = "tel:     another program (or none)\ncallto:  another program (or none)\nsip:     another program (or none)\n"
	reg := winreg.NewMemory()
	steps := []struct {
		args    []string
		wantOut string
		wantErr string
	}{
		{[]string{"register", "--status"}, none, ""},
		{[]string{"register", "tel"}, "", "register takes no arguments besides --status"},
		{[]string{"register"}, "tel:     dialbridge\ncallto:  dialbridge\nsip:     dialbridge\n", ""},
		{[]string{"unregister", "now"}, "", "unregister takes no arguments"},
		{[]string{"unregister"}, none, ""},
		{[]string{"autostart", "status"}, "dialbridge does not start at login\n", ""},
		{[]string{"autostart", "on"}, "dialbridge starts at login\n", ""},
		{[]string{"autostart", "status"}, "dialbridge starts at login\n", ""},
		{[]string{"autostart", "off"}, "dialbridge does not start at login\n", ""},
		{[]string{"autostart", "maybe"}, "", "autostart needs on, off or status"},
	}
	for _, s := range steps {
		out, err := runDesktopCommand(t, reg, s.args...)
		if out != s.wantOut {
			t.Errorf("%q: output\n got %q\nwant %q", s.args, out, s.wantOut)
		}
		if s.wantErr == "" && err != nil || s.wantErr != "" && (err == nil || err.Error() != s.wantErr) {
			t.Errorf("%q: error %v, want %q", s.args, err, s.wantErr)
		}
	}
	if got, _, _ := reg.GetString(`Software\Classes\tel\shell\open\command`, ""); got != "" {
		t.Errorf("after unregister the tel: command is still %q", got)
	}
}

func TestDesktopCommandsAreListed(t *testing.T) {
	var out bytes.Buffer
	printUsage(&out, commands(integrate.ThisDesktop))
	for _, want := range []string{"register [--status]", "unregister", "autostart on|off|status"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}
