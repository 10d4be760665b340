package integrate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// Each platform's Desktop wires the same identity and schemes: a register
// round trip on each, with fakes for what the OS provides.
func TestEveryPlatformRoundTrips(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	defaults := map[string]string{}
	fakeRun := func(_ context.Context, name string, args ...string) ([]byte, error) {
		switch {
		case name == "xdg-mime" && args[0] == "default":
			for _, m := range args[2:] {
				defaults[m] = args[1]
			}
		case name == "xdg-mime" && args[0] == "query":
			return []byte(defaults[args[2]]), nil
		case name == "osascript" && strings.Contains(args[3], "LSSetDefaultHandlerForURLScheme"):
			for _, s := range args[5:] {
				defaults[s] = args[4]
			}
		case name == "osascript":
			var lines []string
			for _, s := range args[4:] {
				lines = append(lines, s+"="+defaults[s])
			}
			return []byte(strings.Join(lines, "\n")), nil
		}
		return nil, nil
	}
	getenv := func(string) string { return "" }
	linux, err := XDG(Env{Exe: "/usr/bin/dialbridge", Getenv: getenv, Home: home}, fakeRun)
	if err != nil {
		t.Fatal(err)
	}
	platforms := map[string]Desktop{
		"linux":   linux,
		"windows": Windows(Env{Exe: `C:\dialbridge\dialbridge.exe`}, winreg.NewMemory()),
		"macos":   MacOS(Env{Exe: "/Applications/dialbridge.app/Contents/MacOS/dialbridge", Home: home}, fakeRun),
	}
	for name, d := range platforms {
		t.Run(name, func(t *testing.T) {
			if err := d.RegisterHandler(ctx); err != nil {
				t.Fatal(err)
			}
			st, err := d.HandlerStatus(ctx)
			if err != nil || fmt.Sprint(st) != "map[callto:true sip:true tel:true]" {
				t.Errorf("status %v, %v", st, err)
			}
			for _, on := range []bool{true, false} {
				if err := d.SetAutostart(ctx, on); err != nil {
					t.Fatal(err)
				}
				if got, err := d.Autostart(ctx); err != nil || got != on {
					t.Errorf("autostart %v: got %v, %v", on, got, err)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(home, ".local/share/applications/dialbridge.desktop")); err != nil {
		t.Errorf("linux: no desktop entry in the home directory: %v", err)
	}
	if hint := platforms["windows"].ConfirmHint(); !strings.Contains(hint, "ms-settings:defaultapps") {
		t.Errorf("windows hint %q", hint)
	}
}

// CurrentEnv names the front program, wherever it is found, even when the
// resident or the window program asks: the test binary has no dialbridge
// beside it, so the one on PATH is the answer.
func TestCurrentEnv(t *testing.T) {
	dir := t.TempDir()
	front := filepath.Join(dir, "dialbridge")
	if runtime.GOOS == "windows" {
		front += ".exe"
	}
	if err := os.WriteFile(front, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	env, err := CurrentEnv()
	if err != nil {
		t.Fatal(err)
	}
	if env.Exe != front || env.Getenv == nil {
		t.Errorf("got Exe %q, want %q", env.Exe, front)
	}
}
