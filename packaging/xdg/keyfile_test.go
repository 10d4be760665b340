package xdg

import (
	"strings"
	"testing"
)

func TestParseKeyFileRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"key before group", "Exec=x\n", "line 1: key \"Exec\" comes before the first [Group] header"},
		{"bad header", "[Desktop Entry\n", "line 1: \"[Desktop Entry\" is not a [Group] header"},
		{"no equals", "[A]\nnonsense\n", "line 2: \"nonsense\" is neither Key=Value nor a comment"},
		{"empty key", "[A]\n=v\n", "line 2: \"=v\" is neither Key=Value nor a comment"},
		{"nested brackets", "[A[b]]\n", "line 1: \"[A[b]]\" is not a [Group] header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKeyFile([]byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestKeyFileEdits(t *testing.T) {
	const in = "# mine\n[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"
	tests := []struct {
		name string
		edit func(*KeyFile)
		want string
	}{
		{"untouched", func(*KeyFile) {}, in},
		{"set new key after the group's last key", func(f *KeyFile) { f.Set("Default Applications", "x-scheme-handler/tel", "dialbridge.desktop") },
			"# mine\n[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/tel=dialbridge.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"},
		{"replace in place", func(f *KeyFile) { f.Set("Default Applications", "text/html", "chromium.desktop") },
			"# mine\n[Default Applications]\ntext/html=chromium.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"},
		{"new group at the end", func(f *KeyFile) { f.Set("Removed Associations", "a/b", "c.desktop") },
			in + "\n[Removed Associations]\na/b=c.desktop\n"},
		{"delete", func(f *KeyFile) { f.Delete("Added Associations", "image/png") },
			"# mine\n[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\n"},
		{"delete missing is a no-op", func(f *KeyFile) { f.Delete("Nope", "image/png") }, in},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kf, err := ParseKeyFile([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(kf)
			if got := string(kf.Bytes()); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestKeyFileSetInEmptyGroup(t *testing.T) {
	kf, err := ParseKeyFile([]byte("[A]\n[B]\nk=v\n"))
	if err != nil {
		t.Fatal(err)
	}
	kf.Set("A", "x", "1")
	if got, want := string(kf.Bytes()), "[A]\nx=1\n[B]\nk=v\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := strings.Join(kf.Keys("B"), ","); got != "k" {
		t.Errorf("keys of B: %q", got)
	}
}

func TestKeyFileGetTrimsAndKeepsCRLF(t *testing.T) {
	kf, err := ParseKeyFile([]byte("[Desktop Entry]\r\nName = dialbridge \r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := kf.Get("Desktop Entry", "Name"); !ok || v != "dialbridge" {
		t.Errorf("got %q %v", v, ok)
	}
}

// FuzzParseKeyFile: any input either fails with a line number or
// round-trips: parsing the rendered file gives the same keys and values.
func FuzzParseKeyFile(f *testing.F) {
	f.Add(string(DesktopEntry))
	f.Add(string(AutostartEntry))
	f.Add("[Default Applications]\nx-scheme-handler/tel=dialbridge.desktop;other.desktop;\n")
	f.Add("# c\n\n[A]\r\nk = v\n")
	f.Fuzz(func(t *testing.T, in string) {
		kf, err := ParseKeyFile([]byte(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		again, err := ParseKeyFile(kf.Bytes())
		if err != nil {
			t.Fatalf("rendered file does not parse: %v\n%q", err, kf.Bytes())
		}
		for _, l := range kf.lines {
			if l.key == "" {
				continue
			}
			if v, ok := again.Get(l.group, l.key); !ok {
				t.Fatalf("key %s/%s lost (value %q)", l.group, l.key, v)
			}
		}
		kf.Set("Desktop Entry", "Exec", "x")
		if v, ok := kf.Get("Desktop Entry", "Exec"); !ok || v != "x" {
			t.Fatalf("Set then Get: %q %v", v, ok)
		}
	})
}
