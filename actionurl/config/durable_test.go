package config

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// saveLoopEnv makes the test binary a child that saves forever (see
// TestMain), for TestSaveSurvivesKill to kill at random moments.
const saveLoopEnv = "DIALBRIDGE_TEST_SAVE_LOOP"

func TestMain(m *testing.M) {
	if path := os.Getenv(saveLoopEnv); path != "" {
		saveForever(path)
		return
	}
	os.Exit(m.Run())
}

// saveForever alternates two configs at path and prints a line after each
// save, until it is killed.
func saveForever(path string) {
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		if err := Save(path, bigConfig(i%2)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintln(out, i)
		out.Flush()
	}
}

// bigConfig is one of two valid configs, large enough (tens of kilobytes)
// that a kill often lands while it is being written.
func bigConfig(variant int) Config {
	cfg := Default()
	cfg.Listener.AllowedOrigins = []string{fmt.Sprintf("https://crm%d.example", variant)}
	for i := range 300 {
		cfg.Outgoing = append(cfg.Outgoing, Outgoing{
			Event:   Events[i%len(Events)],
			URL:     fmt.Sprintf("https://crm%d.example/call/%d?nr=<$remote_party>&name=<$remote_alias>&%s", variant, i, strings.Repeat("x", 60)),
			Enabled: i%2 == variant,
		})
	}
	return cfg
}

// TestSaveSurvivesKill kills a process that saves the config over and over,
// at random moments, and checks after each kill that the file on disk is
// one of the two complete configs: never empty, cut short or mixed. While
// the process saves, the test reads the file continuously: a save that
// rewrote the file in place would show readers its half-written state far
// more often than a kill would land in it.
func TestSaveSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	want := []Config{bigConfig(0), bigConfig(1)}
	rounds := 15
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), saveLoopEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let it finish a random number of saves, reading the file all
		// the while as the resident would, then kill it wherever it is in
		// the next save.
		saves := 1 + rand.IntN(8)
		done := make(chan struct{}, 64)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				done <- struct{}{}
			}
			close(done)
		}()
		reads := 0
	watch:
		for n := 0; n < saves; {
			select {
			case _, ok := <-done:
				if !ok {
					break watch
				}
				n++
			default:
				data, err := os.ReadFile(path)
				if os.IsNotExist(err) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				reads++
				got, err := Parse(data)
				if err != nil || (!reflect.DeepEqual(got, want[0]) && !reflect.DeepEqual(got, want[1])) {
					t.Fatalf("round %d: a reader saw a half-written config (%d bytes): %v", round, len(data), err)
				}
			}
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if strings.TrimSpace(stderr.String()) != "" {
			t.Fatalf("round %d: the saving process failed: %s", round, stderr.String())
		}
		got, err := Load(path)
		if err != nil {
			t.Fatalf("round %d: after a kill the config does not load: %v", round, err)
		}
		if !reflect.DeepEqual(got, want[0]) && !reflect.DeepEqual(got, want[1]) {
			t.Fatalf("round %d: after a kill the config is neither the old nor the new one", round)
		}
	}
	// Nothing but the config and the saver's own temporary files is left.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "config.toml" && !strings.HasPrefix(e.Name(), ".config.toml") {
			t.Errorf("unexpected file %s after the kills", e.Name())
		}
	}
}

// TestBrokenConfigIsReportedAndKeptAside: a file that does not load is
// reported with its line, left untouched by loading, and kept aside (not
// overwritten) when the app writes a new one.
func TestBrokenConfigIsReportedAndKeptAside(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine string
	}{
		{"cut short by a crash", "[listener]\nport = 61234\nconfirm = \"untr", "line 3"},
		{"zeros after a power loss", strings.Repeat("\x00", 64), "line 1"},
		{"a typo", "[listener]\nenabled = true\nprot = 61234\n", "line 3"},
		{"a bad value", "[listener]\n\nport = 99999\n", "line 3"},
	}
	now := time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.toml")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantLine) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Load: err = %v, want the file and %s", err, tt.wantLine)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.content {
				t.Fatalf("loading changed the broken file")
			}
			aside, err := KeepBrokenAside(path, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := path + ".broken-20260302-093015"; aside != want {
				t.Errorf("kept aside as %q, want %q", aside, want)
			}
			if b, err := os.ReadFile(aside); err != nil || string(b) != tt.content {
				t.Errorf("the kept file differs from the broken one (%v)", err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("the broken file is still at %s", path)
			}
		})
	}
}

func TestSaveKeepsABrokenFileAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	broken := "[listener]\nport = 61234\nallowed_origins = [\"https://crm.example\"\n"
	for i := range 3 {
		if err := os.WriteFile(path, []byte(broken+strings.Repeat("#", i)), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Save(path, Default()); err != nil {
			t.Fatal(err)
		}
		if cfg, err := Load(path); err != nil || !reflect.DeepEqual(cfg, Default()) {
			t.Fatalf("after Save: %v", err)
		}
	}
	kept, _ := filepath.Glob(path + ".broken-*")
	if len(kept) != 3 {
		t.Fatalf("kept %q, want three broken copies (never one overwriting another)", kept)
	}
	seen := map[string]bool{}
	for _, k := range kept {
		b, _ := os.ReadFile(k)
		seen[string(b)] = true
	}
	if len(seen) != 3 {
		t.Errorf("the kept copies are not the three broken files")
	}
	// A file that loads is simply replaced, nothing kept.
	cfg := Default()
	cfg.Listener.Port = 61235
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	if again, _ := filepath.Glob(path + ".broken-*"); len(again) != 3 {
		t.Errorf("a valid file was kept aside: %q", again)
	}
	if aside, err := KeepBrokenAside(filepath.Join(dir, "missing.toml"), time.Now()); aside != "" || err != nil {
		t.Errorf("missing file: %q, %v", aside, err)
	}
}
