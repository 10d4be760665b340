// Package configtest helps tests that start a program part from a config
// file: the file is written as a person would have written it, so the
// part reads it through config.Load like any other.
package configtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes body as config.toml in dir, readable by its owner only as
// the program writes it, and returns its path.
func Write(t testing.TB, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
