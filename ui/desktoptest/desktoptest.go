// Package desktoptest gives tests a private desktop session: its own
// D-Bus session bus and stand-ins for the two desktop services dialbridge
// talks to, the StatusNotifierWatcher (where tray icons register) and the
// notification server. What a test reads back from them is what a
// desktop would show. The resident's whole-program tests and the packages
// of its desktop parts (ui/notify) share them.
package desktoptest

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// SessionBus starts a private dbus-daemon for the test and returns its
// address; the test is skipped where dbus-daemon is not installed.
func SessionBus(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus)")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--print-address", "--nofork")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the bus address: %v", err)
	}
	return strings.TrimSpace(line)
}

// ConnectBus opens a private connection to the bus at addr, closed at the
// test's end.
func ConnectBus(t testing.TB, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Watcher stands in for the desktop's org.kde.StatusNotifierWatcher: it
// accepts registrations and hands on who registered.
type Watcher struct {
	// Registered receives the bus name of each item that registers.
	Registered chan string
}

// RegisterStatusNotifierItem is called by a tray item with its object path
// (or bus name); the sender is the item's connection.
func (w *Watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	select {
	case w.Registered <- string(sender):
	default:
	}
	return nil
}

// RegisterStatusNotifierHost is part of the interface; hosts are not tested.
func (w *Watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// StartWatcher makes conn the session's tray host.
func StartWatcher(t testing.TB, conn *dbus.Conn) *Watcher {
	t.Helper()
	w := &Watcher{Registered: make(chan string, 4)}
	const path, iface = "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"
	if err := conn.Export(w, path, iface); err != nil {
		t.Fatal(err)
	}
	if _, err := prop.Export(conn, path, prop.Map{iface: {
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
	}}); err != nil {
		t.Fatal(err)
	}
	Own(t, conn, iface)
	return w
}

// Notification is one Notify call as the server received it.
type Notification struct {
	App, Summary, Body string
	Hints              map[string]dbus.Variant
}

// NotifyServer stands in for org.freedesktop.Notifications and records
// every notification.
type NotifyServer struct {
	// Seen gets a signal (dropped when one is waiting) for each
	// notification.
	Seen chan struct{}

	caps []string // what GetCapabilities answers
	mu   sync.Mutex
	asks int // GetCapabilities calls
	got  []Notification
}

// Notify records one notification.
func (n *NotifyServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	n.got = append(n.got, Notification{app, summary, body, hints})
	id := uint32(len(n.got))
	n.mu.Unlock()
	select {
	case n.Seen <- struct{}{}:
	default:
	}
	return id, nil
}

// GetCapabilities answers what the server was started with, and counts
// the question.
func (n *NotifyServer) GetCapabilities() ([]string, *dbus.Error) {
	n.mu.Lock()
	n.asks++
	n.mu.Unlock()
	return n.caps, nil
}

// GetServerInformation names the stand-in.
func (n *NotifyServer) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "stand-in", "dialbridge tests", "1", "1.2", nil
}

// CloseNotification is part of the interface; nothing is shown to close.
func (n *NotifyServer) CloseNotification(id uint32) *dbus.Error { return nil }

// All returns the notifications received so far.
func (n *NotifyServer) All() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.got...)
}

// Asks is how often GetCapabilities was called.
func (n *NotifyServer) Asks() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.asks
}

// PlainServer is a notification server that shows bodies as plain text
// (no "body-markup"), MarkupServer one that reads them as markup, as
// GNOME Shell, KDE Plasma and notification-daemon do.
var (
	PlainServer  = []string{"body", "icon-static"}
	MarkupServer = []string{"body", "body-markup", "body-hyperlinks", "body-images", "icon-static"}
)

// StartNotifyServer makes conn the session's notification server,
// answering caps to GetCapabilities.
func StartNotifyServer(t testing.TB, conn *dbus.Conn, caps []string) *NotifyServer {
	t.Helper()
	n := &NotifyServer{caps: caps, Seen: make(chan struct{}, 1)}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	Own(t, conn, "org.freedesktop.Notifications")
	return n
}

// Own makes conn the owner of the bus name name.
func Own(t testing.TB, conn *dbus.Conn, name string) {
	t.Helper()
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s on the test bus: %v (reply %d)", name, err, reply)
	}
}
