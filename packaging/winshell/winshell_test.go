package winshell

import (
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/golden"

	"github.com/dialbridge/dialbridge/packaging/winreg"
)

var app = App{Name: "dialbridge", Description: "Makes your desk phone dial the phone numbers you click", Exe: `C:\Users\mia\AppData\Local\Programs\dialbridge\dialbridge.exe`}

var schemes = []string{"tel", "callto", "sip"}

func TestRegisterOnACleanProfile(t *testing.T) {
	reg := winreg.NewMemory()
	h := Handler{Reg: reg, App: app, Schemes: schemes}
	if err := h.Register(); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, reg.String(), "register-clean.reg.txt")
	st, err := h.Status()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(st) != "map[callto:true sip:true tel:true]" {
		t.Errorf("status %v", st)
	}
	// Twice is the same as once.
	if err := h.Register(); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, reg.String(), "register-clean.reg.txt")
}

// A softphone already owns sip: for this user; dialbridge offers itself in
// Default apps but does not take its key.
func TestRegisterLeavesAnotherProgramsScheme(t *testing.T) {
	reg := winreg.NewMemory()
	other := `"C:\Program Files\Linphone\linphone.exe" "%1"`
	must(t, reg.SetString(`Software\Classes\sip\shell\open\command`, "", other))
	must(t, reg.SetString(`Software\Microsoft\Windows\Shell\Associations\UrlAssociations\tel\UserChoice`, "ProgId", "Teams.tel"))
	h := Handler{Reg: reg, App: app, Schemes: schemes}
	if err := h.Register(); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := reg.GetString(`Software\Classes\sip\shell\open\command`, ""); v != other {
		t.Errorf("sip: command overwritten: %s", v)
	}
	if v, _, _ := reg.GetString(`Software\dialbridge\Capabilities\URLAssociations`, "sip"); v != "dialbridge.PhoneLink" {
		t.Errorf("sip: not offered in the capabilities: %q", v)
	}
	st, err := h.Status()
	if err != nil {
		t.Fatal(err)
	}
	// tel: was chosen by the person for another program; callto: is free.
	if fmt.Sprint(st) != "map[callto:true sip:false tel:false]" {
		t.Errorf("status %v", st)
	}
	must(t, reg.SetString(`Software\Microsoft\Windows\Shell\Associations\UrlAssociations\tel\UserChoice`, "ProgId", "dialbridge.PhoneLink"))
	if st, _ := h.Status(); !st["tel"] {
		t.Errorf("the person chose dialbridge for tel: but status says %v", st)
	}

	if err := h.Unregister(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`HKCU\Software`,
		`HKCU\Software\Classes`,
		`HKCU\Software\Classes\sip`,
		`HKCU\Software\Classes\sip\shell`,
		`HKCU\Software\Classes\sip\shell\open`,
		`HKCU\Software\Classes\sip\shell\open\command @ = "\"C:\\Program Files\\Linphone\\linphone.exe\" \"%1\""`,
		`HKCU\Software\Microsoft`,
		`HKCU\Software\Microsoft\Windows`,
		`HKCU\Software\Microsoft\Windows\Shell`,
		`HKCU\Software\Microsoft\Windows\Shell\Associations`,
		`HKCU\Software\Microsoft\Windows\Shell\Associations\UrlAssociations`,
		`HKCU\Software\Microsoft\Windows\Shell\Associations\UrlAssociations\tel`,
		`HKCU\Software\Microsoft\Windows\Shell\Associations\UrlAssociations\tel\UserChoice ProgId = "dialbridge.PhoneLink"`,
		`HKCU\Software\RegisteredApplications`,
		`HKCU\Software\dialbridge`,
	}, "\n") + "\n"
	if got := reg.String(); got != want {
		t.Errorf("after unregister:\n%s\nwant:\n%s", got, want)
	}
}

func TestRegisterTakesBackItsOwnKeyAfterAMove(t *testing.T) {
	reg := winreg.NewMemory()
	old := app
	old.Exe = `C:\old place\DIALBRIDGE.EXE`
	must(t, Handler{Reg: reg, App: old, Schemes: schemes}.Register())
	// Same program, same case-insensitive path: still ours.
	moved := old
	moved.Exe = `c:\OLD PLACE\dialbridge.exe`
	if err := (Handler{Reg: reg, App: moved, Schemes: schemes}).Register(); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := reg.GetString(`Software\Classes\tel\shell\open\command`, ""); v != `"c:\OLD PLACE\dialbridge.exe" "%1"` {
		t.Errorf("tel command %s", v)
	}
}

func TestAppCheck(t *testing.T) {
	tests := []struct {
		app  App
		want string
	}{
		{App{Name: "dialbridge", Exe: `dialbridge.exe`}, "must be absolute"},
		{App{Name: `a\b`, Exe: `C:\x.exe`}, "cannot be a registry key"},
		{App{Name: "dialbridge", Exe: `C:\a"b.exe`}, "cannot be quoted"},
		{App{Name: "dialbridge", Exe: `\\server\share\dialbridge.exe`}, ""},
	}
	for _, tt := range tests {
		err := tt.app.check()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: got %v, want %q", tt.app, err, tt.want)
		}
	}
	if err := (Handler{Reg: winreg.NewMemory(), App: App{Name: "dialbridge", Exe: "rel.exe"}, Schemes: schemes}).Register(); err == nil {
		t.Error("Register accepted a relative path")
	}
}

func TestAutostart(t *testing.T) {
	reg := winreg.NewMemory()
	a := Autostart{Reg: reg, App: app}
	// Task Manager had disabled it once.
	must(t, reg.SetString(startupChoice, "dialbridge", "03 00 00 00"))
	tests := []struct {
		on   bool
		want string
	}{
		{true, `"C:\Users\mia\AppData\Local\Programs\dialbridge\dialbridge.exe"`},
		{false, ""},
		{true, `"C:\Users\mia\AppData\Local\Programs\dialbridge\dialbridge.exe"`},
	}
	for i, tt := range tests {
		must(t, a.Set(tt.on))
		v, _, _ := reg.GetString(runKey, "dialbridge")
		enabled, err := a.Enabled()
		if err != nil {
			t.Fatal(err)
		}
		if v != tt.want || enabled != tt.on {
			t.Errorf("step %d: Run value %q enabled %v, want %q %v", i, v, enabled, tt.want, tt.on)
		}
		if _, ok, _ := reg.GetString(startupChoice, "dialbridge"); tt.on && ok {
			t.Errorf("step %d: Task Manager's disabled mark survived switching on", i)
		}
	}
}

func TestSettingsURI(t *testing.T) {
	if got := app.SettingsURI(); got != "ms-settings:defaultapps?registeredAppUser=dialbridge" {
		t.Errorf("got %s", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
