package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The window program talks to the resident only through the control API:
// it links neither the SQLite driver (the journal) nor the click-to-dial
// listener, which would cost its start-up and memory for nothing.
func TestWindowProgramLinksNoSQLiteAndNoListener(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(dep, "modernc.org/sqlite"),
			dep == "github.com/dialbridge/dialbridge/actionurl",
			dep == "github.com/dialbridge/dialbridge/actionurl/calls",
			dep == "github.com/dialbridge/dialbridge/actionurl/calls/journal":
			t.Errorf("dialbridge-ui links %s", dep)
		}
	}
}
