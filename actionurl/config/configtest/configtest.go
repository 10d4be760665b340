// Package configtest helps tests that start a program part from a config
// file: the file is written as a person would have written it, so the
// part reads it through config.Load like any other.
package configtest

import (
	"net"
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

// FreePort returns a loopback port that was free a moment ago: for the
// [listener] port of a config whose program a test starts (the program
// binds it itself, so the test cannot hand it an open listener), or for an
// address where nothing listens.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
