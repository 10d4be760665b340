package reach

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
