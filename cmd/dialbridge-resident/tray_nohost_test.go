//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/ui/desktoptest"
)

// TestWithoutATrayHostTheDialPadOpens starts `dialbridge` on a desktop
// session with no tray host (stock GNOME): after a few seconds the dial
// pad appears instead of an icon nobody sees, one log line says why and
// what to install, and `dialbridge quit` ends it. There is no notification
// service either: one line says so.
func TestWithoutATrayHostTheDialPadOpens(t *testing.T) {
	display := needDisplay(t)
	addr := desktoptest.SessionBus(t) // no StatusNotifierWatcher on it
	dir := t.TempDir()
	cfgPath := configtest.Write(t, dir, fmt.Sprintf("[listener]\nport = %d\n[phone]\nbrand = \"demo\"\n", configtest.FreePort(t)))
	env := sessionEnv(addr, display, dir)
	p := startSessionProcess(t, env, "--config", cfgPath)

	pid := waitWindow(t, display, "Dial a number")
	if pid == p.cmd.Process.Pid {
		t.Errorf("the dial pad runs inside the resident")
	}
	// An incoming call would notify: here it must not log a failure.
	var ring bytes.Buffer
	rc := exec.Command(binary, "call", "--config", cfgPath, "ring")
	rc.Env, rc.Stdout, rc.Stderr = env, &ring, &ring
	if err := rc.Run(); err != nil {
		t.Fatalf("dialbridge call ring: %v\n%s", err, ring.String())
	}
	time.Sleep(2 * time.Second)
	log := p.stderr.String()
	if n := strings.Count(log, "no tray host"); n != 1 || !strings.Contains(log, "AppIndicator extension") {
		t.Errorf("the log says %d times why there is no icon, want once, naming the AppIndicator extension:\n%s", n, log)
	}
	// Nor is there a notification service: one line at start, not a
	// warning per event.
	if n := strings.Count(log, "no notification service: notifications are off"); n != 1 || strings.Contains(log, "could not show a notification") {
		t.Errorf("the log says %d times that notifications are off, want once and no failures:\n%s", n, log)
	}

	var out bytes.Buffer
	cmd := exec.Command(binary, "quit", "--config", cfgPath)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("dialbridge quit: %v\n%s", err, out.String())
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("dialbridge did not quit")
	}
	if p.err != nil {
		t.Errorf("dialbridge ended with %v after quit, want success", p.err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for running(pid) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if running(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Error("the dial pad outlived dialbridge")
	}
}
