package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// fakeDesktop records what the commands asked of the platform.
type fakeDesktop struct {
	handler   map[string]bool
	autostart bool
	grab      []string // schemes RegisterHandler can take
	hint      string
	fail      error
	calls     []string
}

func (f *fakeDesktop) RegisterHandler(context.Context) error {
	f.calls = append(f.calls, "register")
	for _, s := range f.grab {
		f.handler[s] = true
	}
	return f.fail
}

func (f *fakeDesktop) UnregisterHandler(context.Context) error {
	f.calls = append(f.calls, "unregister")
	f.handler = map[string]bool{}
	return f.fail
}

func (f *fakeDesktop) HandlerStatus(context.Context) (map[string]bool, error) {
	return f.handler, nil
}

func (f *fakeDesktop) ConfirmHint() string { return f.hint }

func (f *fakeDesktop) SetAutostart(_ context.Context, on bool) error {
	f.calls = append(f.calls, fmt.Sprint("autostart ", on))
	f.autostart = on
	return f.fail
}

func (f *fakeDesktop) Autostart(context.Context) (bool, error) { return f.autostart, nil }

func runDesktopCommand(t *testing.T, d *fakeDesktop, args ...string) (string, error) {
	t.Helper()
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

func TestDesktopCommands(t *testing.T) {
	all := []string{"tel", "callto", "sip"}
	tests := []struct {
		name      string
		desktop   fakeDesktop
		args      []string
		wantOut   string
		wantErr   string
		wantCalls string
	}{
		{"register takes every scheme", fakeDesktop{grab: all}, []string{"register"},
			"tel:     dialbridge\ncallto:  dialbridge\nsip:     dialbridge\n", "", "[register]"},
		{"register where the desktop keeps one", fakeDesktop{grab: []string{"tel", "callto"}}, []string{"register"},
			"tel:     dialbridge\ncallto:  dialbridge\nsip:     another program (or none)\n", "the desktop still opens sip: links with another program", "[register]"},
		{"register on Windows asks the person to confirm", fakeDesktop{grab: []string{"callto"}, hint: "Windows asks you to confirm."}, []string{"register"},
			"tel:     another program (or none)\ncallto:  dialbridge\nsip:     another program (or none)\nWindows asks you to confirm.\n", "", "[register]"},
		{"register --status changes nothing", fakeDesktop{grab: all, handler: map[string]bool{"sip": true}}, []string{"register", "--status"},
			"tel:     another program (or none)\ncallto:  another program (or none)\nsip:     dialbridge\n", "", "[]"},
		{"register passes the platform's error on", fakeDesktop{fail: errors.New("xdg-mime: exit status 4")}, []string{"register"},
			"", "xdg-mime: exit status 4", "[register]"},
		{"register takes no arguments", fakeDesktop{}, []string{"register", "tel"}, "", "register takes no arguments besides --status", "[]"},
		{"unregister", fakeDesktop{handler: map[string]bool{"tel": true}}, []string{"unregister"},
			"tel:     another program (or none)\ncallto:  another program (or none)\nsip:     another program (or none)\n", "", "[unregister]"},
		{"autostart on", fakeDesktop{}, []string{"autostart", "on"}, "dialbridge starts at login\n", "", "[autostart true]"},
		{"autostart off", fakeDesktop{autostart: true}, []string{"autostart", "off"}, "dialbridge does not start at login\n", "", "[autostart false]"},
		{"autostart status", fakeDesktop{autostart: true}, []string{"autostart", "status"}, "dialbridge starts at login\n", "", "[]"},
		{"autostart needs a word", fakeDesktop{}, []string{"autostart", "maybe"}, "", "autostart needs on, off or status", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.desktop
			if d.handler == nil {
				d.handler = map[string]bool{}
			}
			out, err := runDesktopCommand(t, &d, tt.args...)
			if out != tt.wantOut {
				t.Errorf("output\n got %q\nwant %q", out, tt.wantOut)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
			if got := fmt.Sprint(d.calls); got != tt.wantCalls {
				t.Errorf("calls %s, want %s", got, tt.wantCalls)
			}
		})
	}
}

// TestRegisterOnWindowsWithAFakeRegistry runs the real command against the
// real Windows integration, on a registry held in memory.
func TestRegisterOnWindowsWithAFakeRegistry(t *testing.T) {
	reg := winreg.NewMemory()
	d := integrate.Windows(integrate.Env{Exe: `C:\Program Files\dialbridge\dialbridge.exe`}, reg)
	var out bytes.Buffer
	for _, c := range commands(func() (integrate.Desktop, error) { return d, nil }) {
		if c.Name == "register" {
			if err := c.run(context.Background(), nil, &out, &out); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, _, _ := reg.GetString(`Software\Classes\tel\shell\open\command`, ""); got != `"C:\Program Files\dialbridge\dialbridge.exe" "%1"` {
		t.Errorf("tel: command %q", got)
	}
	if !strings.HasPrefix(out.String(), "tel:     dialbridge\n") {
		t.Errorf("output %q", out.String())
	}
}

func TestDesktopCommandsAreListed(t *testing.T) {
	var out bytes.Buffer
	printUsage(&out, commands(thisDesktop))
	for _, want := range []string{"register [--status]", "unregister", "autostart on|off|status"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}
