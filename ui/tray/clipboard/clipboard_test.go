//go:build !windows

package clipboard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTools writes shell scripts standing in for clipboard tools and
// returns a LookPath that finds only them.
func fakeTools(t *testing.T, scripts map[string]string) func(string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return func(name string) (string, error) {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
		return p, nil
	}
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

var linuxTools = []Tool{
	{Name: "wl-paste", NeedsEnv: "WAYLAND_DISPLAY"},
	{Name: "xclip", NeedsEnv: "DISPLAY"},
	{Name: "xsel", NeedsEnv: "DISPLAY"},
}

func TestRead(t *testing.T) {
	big := strings.Repeat("1", MaxText+100)
	tests := []struct {
		name    string
		scripts map[string]string
		env     map[string]string
		want    string
		wantErr error
	}{
		{"xclip", map[string]string{"xclip": `printf ' 030 1234\n'`}, map[string]string{"DISPLAY": ":0"}, "030 1234", nil},
		{"wayland first", map[string]string{"wl-paste": `printf 'wl'`, "xclip": `printf 'x'`}, map[string]string{"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "wl", nil},
		{"no wayland: skip wl-paste", map[string]string{"wl-paste": `printf 'wl'`, "xsel": `printf 'xsel'`}, map[string]string{"DISPLAY": ":0"}, "xsel", nil},
		{"empty clipboard", map[string]string{"xclip": `exit 1`}, map[string]string{"DISPLAY": ":0"}, "", nil},
		{"huge clipboard is cut", map[string]string{"xclip": `printf '` + big + `'`}, map[string]string{"DISPLAY": ":0"}, big[:MaxText], nil},
		{"no display", map[string]string{"xclip": `printf 'x'`}, nil, "", ErrUnavailable},
		{"no tool", nil, map[string]string{"DISPLAY": ":0"}, "", ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Tools: linuxTools, LookPath: fakeTools(t, tt.scripts), Getenv: env(tt.env), Timeout: time.Minute}
			got, err := r.Read(context.Background())
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("Read() = %.40q, %v; want %.40q, %v", got, err, tt.want, tt.wantErr)
			}
			if avail := r.Available(); avail != (tt.wantErr == nil) {
				t.Errorf("Available() = %v", avail)
			}
		})
	}
}

func TestReadHangingTool(t *testing.T) {
	r := &Reader{
		Tools:    linuxTools,
		LookPath: fakeTools(t, map[string]string{"xclip": "exec sleep 60"}),
		Getenv:   env(map[string]string{"DISPLAY": ":0"}),
		Timeout:  50 * time.Millisecond,
	}
	_, err := r.Read(context.Background())
	if err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("Read() error %v, want a timeout", err)
	}
}
