package keys

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files from what the code does now")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

// lines are the lines of testdata/name that are not comments.
func lines(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestParseReadsTheConfigsFormAndRefusesWhatIsNoHotkey: each value of
// testdata/combos.txt, how it is written back and read by a person, or why
// it is refused, as testdata/combos.golden has it.
func TestParseReadsTheConfigsFormAndRefusesWhatIsNoHotkey(t *testing.T) {
	var b strings.Builder
	for _, in := range lines(t, "combos.txt") {
		c, err := Parse(in)
		if err != nil {
			fmt.Fprintf(&b, "%q → error: %v\n", in, err)
			continue
		}
		fmt.Fprintf(&b, "%q → %q, shown %q\n", in, c.String(), c.Label())
	}
	golden(t, "combos.golden", b.String())
}

// TestFromKeyNameTakesWhatARecorderSaw: what the Settings field records
// from the keys pressed, as testdata/recorded.golden has it.
func TestFromKeyNameTakesWhatARecorderSaw(t *testing.T) {
	var b strings.Builder
	for _, l := range lines(t, "recorded.txt") {
		held, name, _ := strings.Cut(l, " ")
		var mods Mods
		for _, m := range strings.Split(held, "+") {
			mm, _ := modByName(m)
			mods |= mm
		}
		c, ok := FromKeyName(mods, name)
		fmt.Fprintf(&b, "%s → %q, %v\n", l, c.Label(), ok)
	}
	golden(t, "recorded.golden", b.String())
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
