package reach

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

// Dial starts a resident only when none can have received the request: no
// control file, or nothing listening at its address. Here no resident
// program is installed, so "starting" fails with a sentence that says so,
// which shows which way Dial went.
func TestDialStartsAResidentOnlyWhenNoneListens(t *testing.T) {
	tests := []struct {
		name    string
		control string // the control file's contents; "" for none
		want    string
	}{
		{"no control file", "", "dialbridge-resident is not installed"},
		{"stale control file", `{"url":"` + closedPort(t) + `","token":"t"}`, "dialbridge-resident is not installed"},
		{"damaged control file", `{"url":`, "is damaged"},
		{"incomplete control file", `{"url":"http://127.0.0.1:1"}`, "is incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			cfg := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(cfg, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.control != "" {
				if err := os.WriteFile(control.FilePath(cfg), []byte(tt.control), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Dial(context.Background(), cfg, control.DialCommand{Number: "tel:1"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A resident that could not start ends the wait at once with its own
// reason, instead of the caller waiting out the time limit.
func TestWaitPassesOnWhyTheResidentDidNotStart(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	reason := "cannot listen on 127.0.0.1:61234 (is another dialbridge or Mia running?): address already in use"
	control.WriteStartFailure(cfg, errors.New(reason))
	start := time.Now()
	_, err := Wait(context.Background(), cfg, time.Minute)
	if err == nil || err.Error() != "dialbridge could not start: "+reason {
		t.Errorf("got %v, want the resident's reason", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s, want at once", d)
	}
	control.WriteStartFailure(cfg, nil)
	if _, failed := control.ReadStartFailure(cfg); failed {
		t.Error("a start that succeeded left the old reason behind")
	}
}

// A config file named with --config that does not exist stops Dial before
// it starts anything or writes a file.
func TestDialRefusesAMissingNamedConfig(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nonexistent.toml")
	_, err := Dial(context.Background(), missing, control.DialCommand{Number: "030123"})
	if err == nil || err.Error() != "no config file at "+missing {
		t.Errorf("got %v, want %q", err, "no config file at "+missing)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("wrote %v", left)
	}
}

func TestIsLink(t *testing.T) {
	for arg, want := range map[string]bool{
		"tel:+4930123": true, "TEL:+4930123": true, "callto:0301234": true, "sip:204@pbx": true, "sips:204@pbx": true,
		"serve": false, "": false, "--config": false, "telephone": false, "https://crm.example/tel:1": false,
	} {
		if got := IsLink(arg); got != want {
			t.Errorf("IsLink(%q) = %v, want %v", arg, got, want)
		}
	}
}
