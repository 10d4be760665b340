package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
	"github.com/dialbridge/dialbridge/packaging/integrate"
	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// Every command reads its flags the same way, before or after its
// arguments: each runs twice, with --config first and with it last, and
// both runs print the same and end the same.
func TestEveryCommandTakesFlagsBeforeOrAfterItsArguments(t *testing.T) {
	dir := t.TempDir()
	cfg := configtest.Write(t, dir, "[phone]\nbrand = \"demo\"\npairing_token = \"abcdefghijklmnop1234\"\n[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n")
	// A control API that records the dial it is sent, so that `dial`
	// needs no running resident.
	var dialed []control.DialCommand
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in control.DialCommand
		_ = json.NewDecoder(r.Body).Decode(&in)
		dialed = append(dialed, in)
		_ = json.NewEncoder(w).Encode(control.Reply{Dialed: "0" + in.Number})
	}))
	defer srv.Close()
	data, _ := json.Marshal(control.File{URL: srv.URL, Token: "t", PID: os.Getpid()})
	if err := os.WriteFile(control.FilePath(cfg), data, 0o600); err != nil {
		t.Fatal(err)
	}
	d := integrate.Windows(integrate.Env{Exe: `C:\dialbridge\dialbridge.exe`}, winreg.NewMemory())
	cmds := commandTable(func() (integrate.Desktop, error) { return d, nil }, testHosts(t))
	tests := []struct {
		cmd  string
		args []string
	}{
		{"normalize", []string{"030123"}},
		{"normalize", []string{"030", "123"}},
		{"dial", []string{"030123"}},
		{"journal", []string{"--limit", "5"}},
		{"journal", []string{"--json"}},
		{"pairing-urls", nil},
		{"register", []string{"--status"}},
		{"unregister", nil},
		{"autostart", []string{"status"}},
		{"version", nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.cmd, tt.args), func(t *testing.T) {
			i := slices.IndexFunc(cmds, func(c command) bool { return c.Name == tt.cmd })
			if i < 0 {
				t.Fatalf("no command %s in the table", tt.cmd)
			}
			run := func(args []string) (string, string) {
				var out, errOut bytes.Buffer
				err := cmds[i].run(context.Background(), args, &out, &errOut)
				return out.String(), fmt.Sprint(err) + errOut.String()
			}
			firstOut, firstErr := run(append([]string{"--config", cfg}, tt.args...))
			lastOut, lastErr := run(append(slices.Clone(tt.args), "--config", cfg))
			if firstOut != lastOut || firstErr != lastErr {
				t.Errorf("--config first: %q, %q\n--config last: %q, %q", firstOut, firstErr, lastOut, lastErr)
			}
			if firstErr != "<nil>" {
				t.Errorf("error %s", firstErr)
			}
			if firstOut == "" {
				t.Error("printed nothing")
			}
		})
	}
	if len(dialed) != 2 || dialed[0] != dialed[1] || dialed[0].Number != "030123" {
		t.Errorf("the control API got %+v, want the same dial of 030123 twice", dialed)
	}
}

// Help lists every command with all its flags, the summaries in one
// column.
func TestHelpListsEveryFlagInOneColumn(t *testing.T) {
	var out bytes.Buffer
	cmds := commandTable(integrate.ThisDesktop, integrate.ThisNativeHosts)
	printUsage(&out, cmds)
	col := -1
	for _, c := range cmds {
		if c.Summary == "" {
			continue
		}
		line := "  " + strings.TrimSpace(c.Name+" "+c.Args)
		i := strings.Index(out.String(), line)
		if i < 0 {
			t.Errorf("help lacks %q:\n%s", line, out.String())
			continue
		}
		rest := out.String()[i:]
		at := strings.Index(rest, c.Summary)
		if col < 0 {
			col = at
		}
		if at != col || at > strings.Index(rest, "\n") {
			t.Errorf("the summary of %s starts at %d, want %d:\n%s", c.Name, at, col, out.String())
		}
	}
	if !strings.Contains(out.String(), "journal [--config FILE] [--since T] [--limit N] [--json]") {
		t.Errorf("help lacks journal's --limit and --json:\n%s", out.String())
	}
}

// The resident answers every endpoint the control package names, and no
// other: the client's methods and the handlers cannot drift apart.
func TestControlRoutesAreTheControlPackagesRoutes(t *testing.T) {
	r := &resident.App{}
	var got []string
	for pattern := range controlRoutes(r) {
		got = append(got, pattern)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(control.Routes))
	if !slices.Equal(got, want) {
		t.Errorf("the resident registers\n%q\nthe control package names\n%q", got, want)
	}
}
