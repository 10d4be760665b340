package xdg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/run"
)

var schemes = []string{"tel", "callto", "sip"}

func TestExecArg(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/bin/dialbridge", "/usr/bin/dialbridge"},
		{"/opt/my apps/dialbridge", `"/opt/my apps/dialbridge"`},
		{`/tmp/a"b`, `"/tmp/a\\"b"`},
		{`/tmp/$HOME`, `"/tmp/\\$HOME"`},
		{`/tmp/back\slash`, `"/tmp/back\\\\slash"`},
		{"/tmp/100%", "/tmp/100%%"},
		{"/tmp/a b%", `"/tmp/a b%%"`},
		{"", `""`},
	}
	for _, tt := range tests {
		if got := ExecArg(tt.in); got != tt.want {
			t.Errorf("ExecArg(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestShippedEntriesAreWhatTheIssueAsks(t *testing.T) {
	kf, err := ParseKeyFile(DesktopEntry)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Exec":     "dialbridge %u",
		"MimeType": "x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;",
		"Icon":     "dialbridge",
		"Type":     "Application",
	}
	for k, v := range want {
		if got, _ := kf.Get(entryGroup, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	auto, err := ParseKeyFile(AutostartEntry)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := auto.Get(entryGroup, "Exec"); got != "dialbridge" {
		t.Errorf("autostart Exec = %q, want the tray app without arguments", got)
	}
}

// fakeDesktop stands in for xdg-utils: it records the calls and answers
// queries from what `default` set, like xdg-mime on a generic desktop.
type fakeDesktop struct {
	calls    []string
	defaults map[string]string
	missing  bool // xdg-mime is not installed
}

func (d *fakeDesktop) run(_ context.Context, name string, args ...string) ([]byte, error) {
	d.calls = append(d.calls, name+" "+strings.Join(args, " "))
	if d.missing {
		return nil, fmt.Errorf("%s: %w", name, exec.ErrNotFound)
	}
	if name != "xdg-mime" {
		return nil, nil
	}
	switch args[0] {
	case "default":
		for _, t := range args[2:] {
			d.defaults[t] = args[1]
		}
		return nil, nil
	case "query":
		return []byte(d.defaults[args[2]] + "\n"), nil
	}
	return nil, errors.New("unexpected call")
}

func testDirs(t *testing.T) Dirs {
	root := t.TempDir()
	return Dirs{DataHome: filepath.Join(root, "data"), ConfigHome: filepath.Join(root, "config"), ConfigDirs: []string{filepath.Join(root, "etc")}}
}

func TestHandlerRegisterWritesEntryAndChoosesIt(t *testing.T) {
	d := &fakeDesktop{defaults: map[string]string{"x-scheme-handler/tel": "other.desktop"}}
	h := Handler{Dirs: testDirs(t), Exe: "/opt/dial bridge/dialbridge", Schemes: schemes, Run: d.run}
	before, err := h.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if before["tel"] {
		t.Fatalf("status before registering: %v", before)
	}
	if err := h.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	entry, err := os.ReadFile(filepath.Join(h.Dirs.DataHome, "applications", "dialbridge.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	kf, err := ParseKeyFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustGet(t, kf, "Exec"), `"/opt/dial bridge/dialbridge" %u`; got != want {
		t.Errorf("Exec = %s, want %s", got, want)
	}
	wantCalls := []string{
		"xdg-mime query default x-scheme-handler/tel",
		"xdg-mime query default x-scheme-handler/callto",
		"xdg-mime query default x-scheme-handler/sip",
		"update-desktop-database " + filepath.Join(h.Dirs.DataHome, "applications"),
		"xdg-mime default dialbridge.desktop x-scheme-handler/tel x-scheme-handler/callto x-scheme-handler/sip",
	}
	if fmt.Sprint(d.calls) != fmt.Sprint(wantCalls) {
		t.Errorf("calls\n got %q\nwant %q", d.calls, wantCalls)
	}
	after, err := h.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != "map[callto:true sip:true tel:true]" {
		t.Errorf("status after registering: %v", after)
	}
}

func TestHandlerRegisterNeedsAnAbsolutePath(t *testing.T) {
	d := &fakeDesktop{defaults: map[string]string{}}
	err := Handler{Dirs: testDirs(t), Exe: "dialbridge", Schemes: schemes, Run: d.run}.Register(context.Background())
	if err == nil || !strings.Contains(err.Error(), "must be absolute") {
		t.Errorf("got %v", err)
	}
}

func TestHandlerWithoutXdgUtilsWritesMimeappsList(t *testing.T) {
	d := &fakeDesktop{missing: true}
	h := Handler{Dirs: testDirs(t), Exe: "/usr/bin/dialbridge", Schemes: schemes, Run: d.run}
	list := filepath.Join(h.Dirs.ConfigHome, "mimeapps.list")
	if err := writeFile(list, []byte("[Default Applications]\ntext/html=firefox.desktop\n")); err != nil {
		t.Fatal(err)
	}
	if err := h.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(list)
	want := "[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/tel=dialbridge.desktop\nx-scheme-handler/callto=dialbridge.desktop\nx-scheme-handler/sip=dialbridge.desktop\n"
	if string(got) != want {
		t.Errorf("mimeapps.list\n got %q\nwant %q", got, want)
	}
	st, err := h.Status(context.Background())
	if err != nil || fmt.Sprint(st) != "map[callto:true sip:true tel:true]" {
		t.Errorf("status %v, %v", st, err)
	}
}

func TestHandlerUnregisterLeavesOtherChoices(t *testing.T) {
	d := &fakeDesktop{defaults: map[string]string{}}
	h := Handler{Dirs: testDirs(t), Exe: "/usr/bin/dialbridge", Schemes: schemes, Run: d.run}
	if err := h.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(h.Dirs.ConfigHome, "mimeapps.list")
	gnome := filepath.Join(h.Dirs.ConfigHome, "gnome-mimeapps.list")
	files := map[string]struct{ before, after string }{
		main: {
			"[Default Applications]\nx-scheme-handler/tel=dialbridge.desktop\ntext/html=firefox.desktop\n\n[Added Associations]\nx-scheme-handler/sip=linphone.desktop;dialbridge.desktop;\n",
			"[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nx-scheme-handler/sip=linphone.desktop;\n",
		},
		gnome: {
			"[Default Applications]\nx-scheme-handler/callto=dialbridge.desktop;\n",
			"[Default Applications]\n",
		},
	}
	for p, f := range files {
		if err := writeFile(p, []byte(f.before)); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Unregister(context.Background()); err != nil {
		t.Fatal(err)
	}
	for p, f := range files {
		got, _ := os.ReadFile(p)
		if string(got) != f.after {
			t.Errorf("%s\n got %q\nwant %q", filepath.Base(p), got, f.after)
		}
	}
	if _, err := os.Stat(filepath.Join(h.Dirs.DataHome, "applications", "dialbridge.desktop")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the user's desktop entry is still there: %v", err)
	}
}

func TestAutostart(t *testing.T) {
	system := string(AutostartEntry)
	tests := []struct {
		name       string
		system     bool
		steps      []bool
		wantFile   bool // a user entry exists at the end
		wantHidden bool
		want       bool
	}{
		{"off by default without the package", false, nil, false, false, false},
		{"on by default with the package", true, nil, false, false, true},
		{"switched on", false, []bool{true}, true, false, true},
		{"switched on then off removes the user entry", false, []bool{true, false}, false, false, false},
		{"off with the package hides the system entry", true, []bool{false}, true, true, false},
		{"off then on again with the package", true, []bool{false, true}, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Autostart{Dirs: testDirs(t), Exe: "/usr/bin/dialbridge"}
			if tt.system {
				if err := writeFile(filepath.Join(a.Dirs.ConfigDirs[0], "autostart", DesktopID), []byte(system)); err != nil {
					t.Fatal(err)
				}
			}
			for _, on := range tt.steps {
				if err := a.Set(on); err != nil {
					t.Fatal(err)
				}
			}
			got, err := a.Enabled()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Enabled() = %v, want %v", got, tt.want)
			}
			data, err := os.ReadFile(a.userPath())
			if (err == nil) != tt.wantFile {
				t.Fatalf("user entry exists: %v, want %v", err == nil, tt.wantFile)
			}
			if err == nil {
				kf, err := ParseKeyFile(data)
				if err != nil {
					t.Fatal(err)
				}
				hidden, _ := kf.Get(entryGroup, "Hidden")
				if (hidden == "true") != tt.wantHidden {
					t.Errorf("Hidden=%q, want hidden %v", hidden, tt.wantHidden)
				}
			}
		})
	}
}

func TestDirsFromEnv(t *testing.T) {
	env := map[string]string{"XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "relative/is/ignored", "XDG_CONFIG_DIRS": "/etc/a:rel:/etc/b"}
	got, err := DirsFromEnv(func(k string) string { return env[k] }, "/home/mia")
	if err != nil {
		t.Fatal(err)
	}
	want := Dirs{DataHome: "/d", ConfigHome: "/home/mia/.config", ConfigDirs: []string{"/etc/a", "/etc/b"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := DirsFromEnv(func(string) string { return "" }, ""); err == nil {
		t.Error("no error without HOME")
	}
}

// TestRenderedEntriesPassDesktopFileValidate runs the freedesktop
// validator over what Register and Autostart write, when it is installed.
func TestRenderedEntriesPassDesktopFileValidate(t *testing.T) {
	if _, err := exec.LookPath("desktop-file-validate"); err != nil {
		t.Skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
	}
	d := &fakeDesktop{defaults: map[string]string{}}
	dirs := testDirs(t)
	if err := (Handler{Dirs: dirs, Exe: "/opt/dial $bridge/dialbridge", Schemes: schemes, Run: d.run}).Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := (Autostart{Dirs: dirs, Exe: "/opt/dial $bridge/dialbridge"}).Set(true); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dirs.DataHome, "applications", DesktopID), filepath.Join(dirs.ConfigHome, "autostart", DesktopID)} {
		if out, err := exec.Command("desktop-file-validate", p).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("%s: %v\n%s", p, err, out)
		}
	}
}

// TestRegisterWithRealXdgMime drives the real xdg-utils in throwaway XDG
// directories, when installed.
func TestRegisterWithRealXdgMime(t *testing.T) {
	if _, err := exec.LookPath("xdg-mime"); err != nil {
		t.Skip("xdg-mime is not installed (Debian: xdg-utils)")
	}
	dirs := testDirs(t)
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+dirs.DataHome, "XDG_CONFIG_HOME="+dirs.ConfigHome,
		"XDG_DATA_DIRS="+t.TempDir(), "XDG_CURRENT_DESKTOP=", "DE=generic")
	h := Handler{Dirs: dirs, Exe: "/usr/bin/dialbridge", Schemes: schemes, Run: run.Exec(env)}
	ctx := context.Background()
	if err := h.Register(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := h.Status(ctx)
	if err != nil || fmt.Sprint(st) != "map[callto:true sip:true tel:true]" {
		t.Fatalf("after register: %v, %v", st, err)
	}
	if err := h.Unregister(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = h.Status(ctx)
	if err != nil || fmt.Sprint(st) != "map[callto:false sip:false tel:false]" {
		t.Fatalf("after unregister: %v, %v", st, err)
	}
}

func mustGet(t *testing.T, kf *KeyFile, key string) string {
	t.Helper()
	v, ok := kf.Get(entryGroup, key)
	if !ok {
		t.Fatalf("no %s", key)
	}
	return v
}
