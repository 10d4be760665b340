package keys

import (
	"errors"
	"strings"
	"testing"
)

func TestParseReadsTheConfigsForm(t *testing.T) {
	tests := []struct {
		in, str, label string
	}{
		{"ctrl+alt+d", "ctrl+alt+d", "Ctrl+Alt+D"},
		{" Alt + Ctrl + D ", "ctrl+alt+d", "Ctrl+Alt+D"},
		{"control+shift+1", "ctrl+shift+1", "Ctrl+Shift+1"},
		{"super+space", "super+space", "Super+Space"},
		{"cmd+option+k", "alt+super+k", "Alt+Super+K"},
		{"f9", "f9", "F9"},
		{"shift+f12", "shift+f12", "Shift+F12"},
		{"", "", ""},
	}
	for _, tt := range tests {
		c, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.str {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
		if got := c.Label(); got != tt.label {
			t.Errorf("Parse(%q).Label() = %q, want %q", tt.in, got, tt.label)
		}
	}
}

func TestParseRefusesWhatIsNoHotkey(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"ctrl+alt+", `"" is not a key`},
		{"ctrl+alt+esc", `"esc" is not a key`},
		{"ctrl+alt+f13", `"f13" is not a key`},
		{"hyper+d", `"hyper" is not a modifier`},
		{"ctrl+ctrl+d", "names ctrl twice"},
		{"d", "needs Ctrl, Alt or Super"},
		{"shift+d", "needs Ctrl, Alt or Super"},
		{"ctrl+alt+dd", `"dd" is not a key`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", tt.in, err, tt.want)
		}
	}
	if _, err := Parse("shift+x"); !errors.Is(err, ErrNeedsModifier) {
		t.Errorf("Parse(shift+x) = %v, want ErrNeedsModifier", err)
	}
}

func TestFromKeyNameTakesWhatARecorderSaw(t *testing.T) {
	tests := []struct {
		mods  Mods
		name  string
		want  string
		wantO bool
	}{
		{Ctrl | Alt, "D", "Ctrl+Alt+D", true},
		{Super, "Space", "Super+Space", true},
		{0, "F5", "F5", true},
		{0, "D", "", false},
		{Ctrl, "Escape", "", false},
		{Ctrl, "LeftControl", "", false},
	}
	for _, tt := range tests {
		c, ok := FromKeyName(tt.mods, tt.name)
		if ok != tt.wantO || c.Label() != tt.want {
			t.Errorf("FromKeyName(%v, %q) = %q, %v; want %q, %v", tt.mods, tt.name, c.Label(), ok, tt.want, tt.wantO)
		}
	}
}

func TestFnNumberNamesOnlyFunctionKeys(t *testing.T) {
	for key, want := range map[string]int{"f1": 1, "f12": 12, "f13": 0, "f01": 0, "d": 0, "space": 0} {
		if got := FnNumber(key); got != want {
			t.Errorf("FnNumber(%q) = %d, want %d", key, got, want)
		}
	}
}

// FuzzParse checks that whatever Parse accepts, it writes back in a form
// it reads as the same combination, so that Settings saving a hotkey and
// the resident reading it agree.
func FuzzParse(f *testing.F) {
	f.Add("ctrl+alt+d")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Fatalf("Parse(%q) = %+v, but its String %q reads as %+v, %v", s, c, c.String(), again, err)
		}
	})
}
