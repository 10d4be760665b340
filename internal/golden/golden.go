// Package golden compares what a test produced with its golden file under
// testdata/, and rewrites the file when the test runs with its update flag,
// so that every golden test says the same thing when they differ.
package golden

import (
	"os"
	"testing"
)

// Check compares got with the file at path; with update it writes got
// there first. A missing file fails the test with how to write it.
func Check(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with its -update flag to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
