// Package golden compares a test's output with its golden file under
// testdata, and rewrites the file when the test is run with its update
// flag, so that every golden test reads and refreshes its files one way.
// It lives in phone, the layer every other imports, so that the tests of
// any package (phone/leds, actionurl/calls, the resident) may use it
// without a dependency pointing upward.
package golden

import (
	"flag"
	"os"
	"testing"
)

// Check compares got with the file at path, after writing got there when
// update is set; how names the flag that rewrites it, for the message when
// the file is missing.
func Check(t testing.TB, path, got string, update bool, how string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with %s to create it)", err, how)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// Flag declares the command-line flag that makes a test rewrite its golden
// files, e.g. Flag("update-calls", "testdata/calls/*.golden").
func Flag(name, files string) *bool {
	return flag.Bool(name, false, "rewrite "+files+" from what the test produces")
}
