package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
)

// runFront runs the installed front program with env added to this
// process's environment.
func runFront(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// `dialbridge normalize 030123 --config F` prints what `dialbridge
// normalize --config F 030123` prints, and under the C locales of
// containers and servers nothing else: no toolkit noise on stderr.
func TestNormalizeTakesFlagsAnywhereAndIsQuietUnderACLocale(t *testing.T) {
	cfg := configtest.Write(t, t.TempDir(), "[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n")
	for _, locale := range []string{"C.UTF-8", "C", "POSIX"} {
		t.Run(locale, func(t *testing.T) {
			env := []string{"LANG=" + locale, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="}
			first, firstErr, code := runFront(t, env, "normalize", "--config", cfg, "030123")
			last, lastErr, lastCode := runFront(t, env, "normalize", "030123", "--config", cfg)
			global, globalErr, globalCode := runFront(t, env, "--config", cfg, "normalize", "030123")
			if code != 0 || lastCode != 0 || globalCode != 0 || firstErr+lastErr+globalErr != "" {
				t.Errorf("exit %d, %d and %d, stderr %q; want 0 and nothing", code, lastCode, globalCode, firstErr+lastErr+globalErr)
			}
			if first != last || first != global || !strings.Contains(first, "dial: 030123\n") {
				t.Errorf("--config after the command printed\n%s--config last printed\n%s--config before the command printed\n%s", first, last, global)
			}
		})
	}
}

// A config file named with --config must exist: the command says so at
// once, with exit status 1, and writes nothing anywhere.
func TestAMissingNamedConfigFailsAtOnceAndCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nonexistent.toml")
	for _, args := range [][]string{
		{"dial", "--config", missing, "030123"},
		{"normalize", "030123", "--config", missing},
		{"journal", "--config", missing},
		{"serve", "--config", missing},
	} {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			start := time.Now()
			_, stderr, code := runFront(t, nil, args...)
			if code != 1 || stderr != "dialbridge: no config file at "+missing+"\n" {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, "no config file at "+missing)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s, want at once", d)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("wrote %v", left)
			}
		})
	}
	t.Run("DIALBRIDGE_CONFIG", func(t *testing.T) {
		_, stderr, code := runFront(t, []string{"DIALBRIDGE_CONFIG=" + missing}, "dial", "030123")
		if code != 1 || !strings.Contains(stderr, "no config file at "+missing) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("wrote %v", left)
		}
	})
}

// When the resident that `dial` starts cannot start, `dial` says why at
// once, in the resident's words, instead of waiting out its time limit.
func TestDialPassesOnWhyTheResidentCouldNotStart(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	cfg := configtest.Write(t, t.TempDir(), fmt.Sprintf("[listener]\nport = %d\n[phone]\nbrand = \"demo\"\n", port))
	start := time.Now()
	_, stderr, code := runFront(t, []string{"DISPLAY=", "WAYLAND_DISPLAY="}, "dial", "--config", cfg, "030123")
	want := fmt.Sprintf("cannot listen on 127.0.0.1:%d", port)
	if code != 1 || !strings.Contains(stderr, "dialbridge could not start: "+want) {
		t.Errorf("exit %d, stderr %q; want the reason %q", code, stderr, want)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}

	// A config the resident refuses says so the same way.
	bad := configtest.Write(t, t.TempDir(), "[listener]\nport = 0\n")
	_, stderr, code = runFront(t, []string{"DISPLAY=", "WAYLAND_DISPLAY="}, "dial", "--config", bad, "030123")
	if want := "dialbridge could not start: " + bad + ": line 2: listener.port: 0 is not a TCP port"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("a bad config: exit %d, stderr %q; want %q", code, stderr, want)
	}
}
