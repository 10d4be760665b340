package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/packaging/programs"
)

// handOff records which program the front would have become.
type handOff struct {
	name string
	args []string
}

func TestRunHandsCommandsToTheirProgram(t *testing.T) {
	tests := []struct {
		args []string
		want handOff
	}{
		{nil, handOff{programs.Resident, nil}},
		{[]string{"--config", "x.toml"}, handOff{programs.Resident, []string{"--config", "x.toml"}}},
		{[]string{"serve", "--demo"}, handOff{programs.Resident, []string{"serve", "--demo"}}},
		{[]string{"version"}, handOff{programs.Resident, []string{"version"}}},
		{[]string{"ui", "settings", "phone"}, handOff{programs.Windows, []string{"settings", "phone"}}},
		{[]string{"ui"}, handOff{programs.Windows, []string{}}},
		// Two arguments are no clicked link: the resident explains.
		{[]string{"tel:1", "tel:2"}, handOff{programs.Resident, []string{"tel:1", "tel:2"}}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got handOff
			var stderr bytes.Buffer
			code := run(tt.args, &bytes.Buffer{}, &stderr, func(name string, args []string) error {
				got = handOff{name, args}
				return errors.New("dialbridge-resident is not installed")
			})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handed over to %+v, want %+v", got, tt.want)
			}
			if code != 1 || !strings.Contains(stderr.String(), "dialbridge: dialbridge-resident is not installed") {
				t.Errorf("a failed hand-over: exit %d, stderr %q", code, stderr.String())
			}
		})
	}
}

// A clicked link goes to the running resident in one request, with the
// per-user token, marked as a link (so the blocked-number rules apply).
func TestRunDialsALinkThroughTheResident(t *testing.T) {
	var got control.DialCommand
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/dial" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		auth = r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got)
		_ = json.NewEncoder(w).Encode(control.Reply{Dialed: "+49301234567"})
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DIALBRIDGE_CONFIG", cfg)
	data, _ := json.Marshal(control.File{URL: srv.URL, Token: "t0ken", PID: 1})
	if err := os.WriteFile(control.FilePath(cfg), data, 0o600); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	code := run([]string{"TEL:+49 30 1234567"}, &stdout, &stderr, func(string, []string) error {
		t.Fatal("a link must not hand over to another program")
		return nil
	})
	if code != 0 || stdout.String() != "The phone is dialing +49301234567\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	want := control.DialCommand{Number: "TEL:+49 30 1234567", Source: "phone link"}
	if got != want || auth != "Bearer t0ken" {
		t.Errorf("the resident got %+v with %q, want %+v with the token", got, auth, want)
	}
}

// The resident's refusal reaches the person as its own sentence.
func TestRunReportsTheResidentsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(control.Reply{Error: "0900 numbers are blocked for links"})
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DIALBRIDGE_CONFIG", cfg)
	data, _ := json.Marshal(control.File{URL: srv.URL, Token: "t"})
	if err := os.WriteFile(control.FilePath(cfg), data, 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := run([]string{"tel:09001234"}, &bytes.Buffer{}, &stderr, nil)
	if code != 1 || stderr.String() != "dialbridge: 0900 numbers are blocked for links\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
