package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// windowsHosts are the browsers' host manifests as Windows keeps them:
// files below a throwaway LOCALAPPDATA, a registry key per browser in reg.
// The manifests name a path absolute on the machine the test runs on.
func windowsHosts(t *testing.T, reg winreg.Registry) nativehost.Hosts {
	local := t.TempDir()
	return nativehost.Hosts{Exe: filepath.Join(local, "dialbridge.exe"), Registry: reg,
		Browsers: nativehost.UserBrowsers("windows", local, func(string) string { return local })}
}

// testHosts puts the browsers' host manifests in a throwaway home, for
// tests of commands other than register and unregister.
func testHosts(t *testing.T) func() (nativehost.Hosts, error) {
	home := t.TempDir()
	return func() (nativehost.Hosts, error) {
		return nativehost.Hosts{Exe: "/usr/bin/dialbridge", Browsers: nativehost.UserBrowsers("linux", home, func(string) string { return "" })}, nil
	}
}

// runDesktopCommand runs a desktop command of the command table against
// the real Windows integration, on a registry held in memory.
func runDesktopCommand(t *testing.T, reg winreg.Registry, hosts nativehost.Hosts, args ...string) (string, error) {
	t.Helper()
	d := integrate.Windows(integrate.Env{Exe: `C:\Program Files\dialbridge\dialbridge.exe`}, reg)
	for _, c := range commandTable(func() (integrate.Desktop, error) { return d, nil }, func() (nativehost.Hosts, error) { return hosts, nil }) {
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
	const none = "tel:     another program (or none)\ncallto:  another program (or none)\nsip:     another program (or none)\n" +
		"browser: dialbridge's extension cannot reach dialbridge (dialbridge register lets it in)\n"
	reg := winreg.NewMemory()
	hosts := windowsHosts(t, reg)
	steps := []struct {
		args    []string
		wantOut string
		wantErr string
	}{
		{[]string{"register", "--status"}, none, ""},
		{[]string{"register", "tel"}, "", "register takes no arguments besides --status"},
		{[]string{"register"}, "tel:     dialbridge\ncallto:  dialbridge\nsip:     dialbridge\n" +
			"browser: dialbridge's extension reaches dialbridge in Chromium, Google Chrome, Microsoft Edge, Brave, Firefox\n", ""},
		{[]string{"unregister", "now"}, "", "unregister takes no arguments"},
		{[]string{"unregister"}, none, ""},
		{[]string{"autostart", "status"}, "dialbridge does not start at login\n", ""},
		{[]string{"autostart", "on"}, "dialbridge starts at login\n", ""},
		{[]string{"autostart", "status"}, "dialbridge starts at login\n", ""},
		{[]string{"autostart", "off"}, "dialbridge does not start at login\n", ""},
		{[]string{"autostart", "maybe"}, "", "autostart needs on, off or status"},
	}
	for _, s := range steps {
		out, err := runDesktopCommand(t, reg, hosts, s.args...)
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
	if got, ok, _ := reg.GetString(`Software\Google\Chrome\NativeMessagingHosts\`+nativehost.Name, ""); ok {
		t.Errorf("after unregister Chrome still finds the host manifest at %q", got)
	}
}

func TestDesktopCommandsAreListed(t *testing.T) {
	var out bytes.Buffer
	printUsage(&out, commandTable(integrate.ThisDesktop, integrate.ThisNativeHosts))
	for _, want := range []string{"register [--status]", "unregister", "autostart on|off|status"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}
