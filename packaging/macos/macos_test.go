package macos

import (
	"context"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/golden"
)

var schemes = []string{"tel", "callto", "sip"}

// plistSchemes reads CFBundleURLSchemes out of a plist document.
func plistSchemes(t *testing.T, data []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	var (
		got     []string
		lastKey string
		inArray bool
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "key":
				var k string
				if err := dec.DecodeElement(&k, &el); err != nil {
					t.Fatal(err)
				}
				lastKey = k
			case "array":
				inArray = lastKey == "CFBundleURLSchemes"
			case "string":
				var s string
				if err := dec.DecodeElement(&s, &el); err != nil {
					t.Fatal(err)
				}
				if inArray {
					got = append(got, s)
				}
			}
		case xml.EndElement:
			if el.Name.Local == "array" {
				inArray = false
			}
		}
	}
	return got
}

func TestInfoPlistDeclaresTheSchemes(t *testing.T) {
	if got := plistSchemes(t, InfoPlist); fmt.Sprint(got) != fmt.Sprint(schemes) {
		t.Errorf("CFBundleURLSchemes = %v, want %v", got, schemes)
	}
	if !strings.Contains(string(InfoPlist), "<key>LSUIElement</key>\n\t<true/>") {
		t.Error("LSUIElement is not true: the tray app would show in the Dock")
	}
}

func TestBundlePath(t *testing.T) {
	tests := []struct{ exe, want, err string }{
		{"/Applications/dialbridge.app/Contents/MacOS/dialbridge", "/Applications/dialbridge.app", ""},
		{"/Users/mia/go/bin/dialbridge", "", "not inside one"},
		{"/Applications/x/Contents/MacOS/dialbridge", "", "not inside one"},
	}
	for _, tt := range tests {
		got, err := BundlePath(tt.exe)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("BundlePath(%s) = %q, %v; want %q, %q", tt.exe, got, err, tt.want, tt.err)
		}
	}
}

// fakeLaunchServices answers osascript like the scripts would.
type fakeLaunchServices struct {
	defaults map[string]string
	calls    []string
}

func (f *fakeLaunchServices) run(_ context.Context, name string, args ...string) ([]byte, error) {
	if name != "osascript" {
		f.calls = append(f.calls, name+" "+strings.Join(args, " "))
		return nil, nil
	}
	script, rest := args[3], args[4:]
	switch script {
	case setScript:
		f.calls = append(f.calls, "set "+strings.Join(rest, " "))
		for _, s := range rest[1:] {
			f.defaults[s] = rest[0]
		}
		return nil, nil
	case queryScript:
		var lines []string
		for _, s := range rest {
			lines = append(lines, s+"="+f.defaults[s])
		}
		return []byte(strings.Join(lines, "\n") + "\n"), nil
	}
	return nil, fmt.Errorf("unexpected script")
}

func TestHandler(t *testing.T) {
	ls := &fakeLaunchServices{defaults: map[string]string{"tel": "com.apple.FaceTime", "sip": "com.example.Softphone"}}
	h := Handler{
		BundleID: "io.github.dialbridge.dialbridge",
		Exe:      "/Applications/dialbridge.app/Contents/MacOS/dialbridge",
		Schemes:  schemes,
		Fallback: map[string]string{"tel": "com.apple.FaceTime"},
		Run:      ls.run,
	}
	ctx := context.Background()
	st, err := h.Status(ctx)
	if err != nil || fmt.Sprint(st) != "map[callto:false sip:false tel:false]" {
		t.Fatalf("before: %v %v", st, err)
	}
	if err := h.Register(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = h.Status(ctx)
	if err != nil || fmt.Sprint(st) != "map[callto:true sip:true tel:true]" {
		t.Fatalf("after register: %v %v", st, err)
	}
	if err := h.Unregister(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = h.Status(ctx)
	if err != nil || fmt.Sprint(st) != "map[callto:true sip:true tel:false]" {
		t.Fatalf("after unregister: %v %v", st, err)
	}
	want := []string{
		lsregister + " -f /Applications/dialbridge.app",
		"set io.github.dialbridge.dialbridge tel callto sip",
		"set com.apple.FaceTime tel",
	}
	if fmt.Sprint(ls.calls) != fmt.Sprint(want) {
		t.Errorf("calls\n got %q\nwant %q", ls.calls, want)
	}
	outside := h
	outside.Exe = "/usr/local/bin/dialbridge"
	if err := outside.Register(ctx); err == nil || !strings.Contains(err.Error(), "application bundle") {
		t.Errorf("register outside a bundle: %v", err)
	}
}

func TestLaunchAgent(t *testing.T) {
	a := LaunchAgent{Dir: filepath.Join(t.TempDir(), "LaunchAgents"), Label: "io.github.dialbridge.dialbridge", Exe: "/Applications/dial & bridge.app/Contents/MacOS/dialbridge"}
	golden.AssertBytes(t, a.Plist(), "launchagent.plist")
	for i, on := range []bool{true, false, true} {
		if err := a.Set(on); err != nil {
			t.Fatal(err)
		}
		got, err := a.Enabled()
		if err != nil || got != on {
			t.Errorf("step %d: Enabled() = %v, %v; want %v", i, got, err, on)
		}
	}
	if err := (LaunchAgent{Dir: a.Dir, Label: a.Label, Exe: "dialbridge"}).Set(true); err == nil {
		t.Error("a relative path was accepted")
	}
}

func TestOnOpenURLMatchesTheBuild(t *testing.T) {
	if OnOpenURL(func(string) {}) != urlEventsSupported {
		t.Errorf("OnOpenURL's answer disagrees with this build")
	}
}
