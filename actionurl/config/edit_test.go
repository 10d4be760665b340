package config

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestEditSavesOnlyAChange edits a config file twice: the first edit adds
// an origin and is on disk after, the second finds it there and leaves the
// file's bytes as they are.
func TestEditSavesOnlyAChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := Save(path, Default()); err != nil {
		t.Fatal(err)
	}
	const origin = "https://crm.example"
	allow := func(c *Config) bool {
		if slices.Contains(c.Listener.AllowedOrigins, origin) {
			return false
		}
		c.Listener.AllowedOrigins = append(c.Listener.AllowedOrigins, origin)
		return true
	}
	got, err := Edit(path, allow)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Listener.AllowedOrigins, []string{origin}) || !slices.Equal(onDisk.Listener.AllowedOrigins, got.Listener.AllowedOrigins) {
		t.Errorf("Edit returned %q, the file holds %q; want both [%s]", got.Listener.AllowedOrigins, onDisk.Listener.AllowedOrigins, origin)
	}

	before, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(before, "# the person's own note\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Edit(path, allow); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.HasSuffix(after, []byte("# the person's own note\n")) {
		t.Errorf("an edit with nothing to change rewrote the file:\n%s", after)
	}
}

// TestEditKeepsABrokenFile: a file that does not load is not edited.
func TestEditKeepsABrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	broken := []byte("[listener\n")
	if err := os.WriteFile(path, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	if _, err := Edit(path, func(*Config) bool { called = true; return true }); err == nil || called {
		t.Errorf("Edit = %v and change called %v; want the load error and no change", err, called)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, broken) {
		t.Errorf("the broken file became %q", got)
	}
}
