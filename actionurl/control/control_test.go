package control

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, data string
		want       File
		wantErr    string
	}{
		{"complete", `{"url":"http://127.0.0.1:61234","token":"t","pid":7}`, File{URL: "http://127.0.0.1:61234", Token: "t", PID: 7}, ""},
		{"damaged", `{"url":`, File{}, "is damaged"},
		{"no token", `{"url":"http://127.0.0.1:1"}`, File{}, "is incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".json")
			if err := os.WriteFile(p, []byte(tt.data), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(p)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), p) {
					t.Fatalf("got %+v, %v; want an error naming the file and containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing control file: %v, want fs.ErrNotExist (no resident runs)", err)
	}
}

func TestConfigPath(t *testing.T) {
	dir := t.TempDir()
	named := filepath.Join(dir, "named.toml")
	fromEnv := filepath.Join(dir, "env.toml")
	for _, p := range []string{named, fromEnv} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DIALBRIDGE_CONFIG", fromEnv)
	if got, err := ConfigPath(named); got != named || err != nil {
		t.Errorf("--config: got %q, %v", got, err)
	}
	if got, err := ConfigPath(""); got != fromEnv || err != nil {
		t.Errorf("$DIALBRIDGE_CONFIG: got %q, %v", got, err)
	}
	t.Setenv("DIALBRIDGE_CONFIG", "")
	got, err := ConfigPath("")
	if err != nil || filepath.Base(got) != "config.toml" || filepath.Base(filepath.Dir(got)) != "dialbridge" {
		t.Errorf("default: got %q, %v", got, err)
	}
	if FilePath(got) != filepath.Join(filepath.Dir(got), "control.json") {
		t.Errorf("FilePath(%q) = %q", got, FilePath(got))
	}
}

// A config file someone named must exist; only the default place may be
// missing (the first run creates it).
func TestConfigPathRefusesANamedFileThatIsMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent.toml")
	for _, tt := range []struct{ name, flag, env string }{
		{"--config", missing, ""},
		{"$DIALBRIDGE_CONFIG", "", missing},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DIALBRIDGE_CONFIG", tt.env)
			got, err := ConfigPath(tt.flag)
			if err == nil || err.Error() != "no config file at "+missing || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("got %q, %v; want the error %q", got, err, "no config file at "+missing)
			}
		})
	}
}

func TestWaitReadyWaitsForThisProcessToAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(Reply{OK: true})
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "config.toml")
	write := func(pid int) {
		data, _ := json.Marshal(File{URL: srv.URL, Token: "t", PID: pid})
		if err := os.WriteFile(FilePath(cfg), data, 0o600); err != nil {
			t.Error(err) // also from the writing goroutine, so not Fatal
		}
	}
	short := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}

	if err := WaitReady(short(), cfg, 42, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("no control file: %v, want the deadline", err)
	}
	write(41)
	if err := WaitReady(short(), cfg, 42, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an older resident's file: %v, want the deadline", err)
	}
	exited := make(chan struct{})
	close(exited)
	if err := WaitReady(context.Background(), cfg, 42, exited); !errors.Is(err, ErrExited) {
		t.Errorf("the process ended: %v, want ErrExited", err)
	}
	go func() { time.Sleep(50 * time.Millisecond); write(42) }()
	if err := WaitReady(short(), cfg, 42, nil); err != nil {
		t.Errorf("the resident wrote its file and answers: %v", err)
	}
}
