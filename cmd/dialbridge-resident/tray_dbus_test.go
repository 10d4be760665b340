//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/ui/desktoptest"
)

// The tests in this file run the real binary against a private D-Bus
// session (ui/desktoptest) with stand-ins for the desktop's two services
// that dialbridge talks to: the StatusNotifierWatcher (where tray icons
// register) and the notification server. What they read back is what a
// desktop would show.

// desktop is a private session with the stand-ins and a running
// `dialbridge demo`.
type desktop struct {
	conn    *dbus.Conn
	watcher *desktoptest.Watcher
	notes   *desktoptest.NotifyServer
	proc    *process
	item    string // the tray item's bus name
	menu    dbus.BusObject
	client  *control.Client
	cfgPath string
	env     []string
	changes chan *dbus.Signal
}

func startDesktop(t *testing.T) *desktop {
	t.Helper()
	return startDesktopWith(t, "", desktoptest.PlainServer)
}

// startDesktopOn is startDesktop with the X display the windows open on
// ("" for none: the tray alone).
func startDesktopOn(t *testing.T, display string) *desktop {
	t.Helper()
	return startDesktopWith(t, display, desktoptest.PlainServer)
}

// startDesktopWith is startDesktopOn with a notification server that
// reports caps.
func startDesktopWith(t *testing.T, display string, caps []string) *desktop {
	t.Helper()
	return startDesktopConfig(t, display, caps, "", "demo")
}

// startDesktopConfig is startDesktopWith running command ("demo" or
// "tray") with more of the config file after [listener].
func startDesktopConfig(t *testing.T, display string, caps []string, cfg, command string) *desktop {
	t.Helper()
	addr := desktoptest.SessionBus(t)
	d := &desktop{conn: desktoptest.ConnectBus(t, addr)}
	d.watcher = desktoptest.StartWatcher(t, d.conn)
	d.notes = desktoptest.StartNotifyServer(t, d.conn, caps)

	dir := t.TempDir()
	d.cfgPath = configtest.Write(t, dir, fmt.Sprintf("[listener]\nport = %d\n", configtest.FreePort(t))+cfg)
	d.env = sessionEnv(addr, display, dir)
	p := startSessionProcess(t, d.env, command, "--config", d.cfgPath)
	d.proc = p

	select {
	case d.item = <-d.watcher.Registered:
	case <-p.done:
		t.Fatalf("dialbridge %s exited early (%v):\n%s", command, p.err, p.stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("the tray item never registered with the watcher:\n%s", p.stderr.String())
	}
	v, err := d.conn.Object(d.item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatalf("reading the item's Menu property: %v", err)
	}
	menuPath, ok := v.Value().(dbus.ObjectPath)
	if !ok {
		t.Fatalf("the Menu property is %T, want an object path", v.Value())
	}
	d.menu = d.conn.Object(d.item, menuPath)
	for _, iface := range []string{"com.canonical.dbusmenu", "org.kde.StatusNotifierItem"} {
		if err := d.conn.AddMatchSignal(dbus.WithMatchSender(d.item), dbus.WithMatchInterface(iface)); err != nil {
			t.Fatal(err)
		}
	}
	d.changes = make(chan *dbus.Signal, 64)
	d.conn.Signal(d.changes)

	cf, err := readControlFileWhenReady(d.cfgPath, p)
	if err != nil {
		t.Fatal(err)
	}
	d.client = control.NewClient(cf, nil)
	return d
}

// sessionEnv is the environment of a program in the test's desktop
// session: its bus, its display, English, a home of its own.
func sessionEnv(busAddr, display, home string) []string {
	return append(os.Environ(),
		"DBUS_SESSION_BUS_ADDRESS="+busAddr,
		"LC_ALL=en_US.UTF-8", "LANGUAGE=",
		"DISPLAY="+display, "WAYLAND_DISPLAY=",
		"HOME="+home, "XDG_CONFIG_HOME="+home, "DIALBRIDGE_CONFIG=",
	)
}

// startSessionProcess runs dialbridge with args in the session env and
// ends it at the test's end as a desktop logout does (SIGTERM), so that
// it closes its windows; a failed test shows its log.
func startSessionProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := runBinary(t, env, args...)
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("dialbridge %s's log:\n%s", args[0], p.stderr.String())
		}
	})
	return p
}

// readControlFileWhenReady waits for the control file of process p.
func readControlFileWhenReady(cfgPath string, p *process) (control.File, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		cf, err := control.ReadFile(control.FilePath(cfgPath))
		if err == nil && cf.PID == p.cmd.Process.Pid {
			return cf, nil
		}
		if time.Now().After(deadline) {
			return cf, fmt.Errorf("no control file from dialbridge demo: %v\n%s", err, p.stderr.String())
		}
		select {
		case <-p.done:
			return cf, fmt.Errorf("dialbridge demo exited (%v):\n%s", p.err, p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// menuItem is one node of a com.canonical.dbusmenu layout.
type menuItem struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []menuItem
}

func (m menuItem) label() string {
	s, _ := m.Props["label"].Value().(string)
	return s
}

// enabled and visible default to true in dbusmenu when absent.
func (m menuItem) enabled() bool { return boolProp(m.Props, "enabled") }
func (m menuItem) visible() bool { return boolProp(m.Props, "visible") }

func boolProp(props map[string]dbus.Variant, name string) bool {
	v, ok := props[name]
	if !ok {
		return true
	}
	b, _ := v.Value().(bool)
	return b
}

// decodeLayout turns the (ia{sv}av) structure godbus hands back into a
// menuItem tree.
func decodeLayout(v any) (menuItem, error) {
	fields, ok := v.([]any)
	if !ok || len(fields) != 3 {
		return menuItem{}, fmt.Errorf("a menu layout node is %T, want (ia{sv}av)", v)
	}
	id, ok1 := fields[0].(int32)
	props, ok2 := fields[1].(map[string]dbus.Variant)
	kids, ok3 := fields[2].([]dbus.Variant)
	if !ok1 || !ok2 || !ok3 {
		return menuItem{}, fmt.Errorf("unexpected layout node types %T %T %T", fields[0], fields[1], fields[2])
	}
	m := menuItem{ID: id, Props: props}
	for _, k := range kids {
		c, err := decodeLayout(k.Value())
		if err != nil {
			return menuItem{}, err
		}
		m.Children = append(m.Children, c)
	}
	return m, nil
}

// layout reads the whole menu with com.canonical.dbusmenu.GetLayout.
func (d *desktop) layout(t *testing.T) menuItem {
	t.Helper()
	var rev uint32
	var raw []any
	// fyne.io/systray answers the very first GetLayout one level deep (a
	// workaround for libdbusmenu-gtk); every later call is complete. Ask
	// twice so that the answer does not depend on being first.
	for range 2 {
		call := d.menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
		if call.Err != nil {
			t.Fatalf("GetLayout: %v", call.Err)
		}
		raw = nil
		if err := call.Store(&rev, &raw); err != nil {
			t.Fatalf("GetLayout reply: %v", err)
		}
	}
	root, err := decodeLayout(raw)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// find returns the first item whose label starts with prefix.
func findMenuItem(root menuItem, prefix string) (menuItem, bool) {
	for _, c := range root.Children {
		if c.label() != "" && strings.HasPrefix(c.label(), prefix) {
			return c, true
		}
		if m, ok := findMenuItem(c, prefix); ok {
			return m, true
		}
	}
	return menuItem{}, false
}

func dump(m menuItem, indent string) string {
	var b strings.Builder
	for _, c := range m.Children {
		fmt.Fprintf(&b, "%s%q enabled=%v visible=%v\n", indent, c.label(), c.enabled(), c.visible())
		b.WriteString(dump(c, indent+"  "))
	}
	return b.String()
}

// itemWant is the expected look of one item. A label ending in ", " is
// a prefix (a recent call's label ends with the time).
type itemWant struct {
	label            string
	enabled, visible bool
}

// mismatches lists how root differs from wants.
func mismatches(root menuItem, wants []itemWant) []string {
	var out []string
	for _, w := range wants {
		it, ok := findMenuItem(root, w.label)
		if !ok {
			out = append(out, fmt.Sprintf("no item %q", w.label))
			continue
		}
		labelOK := it.label() == w.label || strings.HasSuffix(w.label, ", ") && strings.HasPrefix(it.label(), w.label)
		if !labelOK || it.enabled() != w.enabled || it.visible() != w.visible {
			out = append(out, fmt.Sprintf("item %q enabled=%v visible=%v, want %q enabled=%v visible=%v",
				it.label(), it.enabled(), it.visible(), w.label, w.enabled, w.visible))
		}
	}
	return out
}

// waitState waits until the menu shows every item as wanted and the icon
// is icon. The tray updates item by item, so a reading between two updates
// is simply read again at the next change.
func (d *desktop) waitState(t *testing.T, what string, icon assets.TrayIcon, wants []itemWant) menuItem {
	t.Helper()
	want := argb(t, assets.TrayPNG(icon))
	deadline := time.After(30 * time.Second)
	for {
		m := d.layout(t)
		problems := mismatches(m, wants)
		if !bytes.Equal(d.icon(t), want) {
			problems = append(problems, fmt.Sprintf("the icon is not %q", icon))
		}
		if len(problems) == 0 {
			return m
		}
		select {
		case <-d.changes:
		case <-time.After(2 * time.Second):
			// Read again anyway: a change may have come before the match.
		case <-deadline:
			t.Fatalf("the tray never showed %s:\n%s\nthe menu is:\n%s", what, strings.Join(problems, "\n"), dump(m, ""))
		}
	}
}

// icon reads the tray icon's pixels as the desktop gets them.
func (d *desktop) icon(t *testing.T) []byte {
	t.Helper()
	v, err := d.conn.Object(d.item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
	if err != nil {
		t.Fatalf("reading IconPixmap: %v", err)
	}
	var px []struct {
		W, H int32
		Pix  []byte
	}
	if err := dbus.Store([]any{v.Value()}, &px); err != nil || len(px) != 1 {
		t.Fatalf("IconPixmap is %v (%v)", v.Value(), err)
	}
	return px[0].Pix
}

// argb is a PNG's pixels in the StatusNotifierItem's ARGB byte order.
func argb(t *testing.T, data []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy()*4)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			out = append(out, byte(a), byte(r), byte(g), byte(bl))
		}
	}
	return out
}

// simulateIncoming rings the simulated phone through the control API.
func (d *desktop) simulateIncoming(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.client.Do(ctx, http.MethodPost, "/api/v1/demo/incoming", nil, nil); err != nil {
		t.Fatalf("POST /api/v1/demo/incoming: %v", err)
	}
}

// TestTrayMenuOverDBus reads the tray menu back the way a desktop does,
// before and during a simulated incoming call.
func TestTrayMenuOverDBus(t *testing.T) {
	d := startDesktop(t)

	d.waitState(t, "the simulated phone as ready", assets.TrayIdle, []itemWant{
		{"The simulated phone is ready", false, true},
		{"Answer", false, false},
		{"Hang up", false, false},
		{"Dial…", true, true},
		{"The clipboard cannot be read", false, true},
		{"No calls yet", false, true},
		{"Simulate incoming call", true, true},
		{"Journal…", true, true},
		{"Settings…", true, true},
		{"Pair a phone…", true, true},
		{"About dialbridge", true, true},
		{"Quit", true, true},
	})

	// The demo phone rings until the person acts, as a real one does;
	// each click goes through the driver to the phone, whose events bring
	// the menu along.
	d.simulateIncoming(t)
	const caller = "Demo Caller (+4930901820)"
	d.waitState(t, "the incoming call", assets.TrayRinging, []itemWant{
		{"Incoming call from " + caller, false, true},
		{"Answer", true, true},
		{"Reject", true, true},
		{"Hold", false, true},
		{"Transfer…", false, true},
		{"Dial…", true, true},
		{"Quit", true, true},
	})
	time.Sleep(2 * time.Second)
	d.waitState(t, "the call still ringing", assets.TrayRinging, []itemWant{{"Answer", true, true}})
	d.click(t, "Answer")
	d.waitState(t, "the answered call", assets.TrayInCall, []itemWant{
		{"In a call with " + caller, false, true},
		{"Hang up", true, true},
		{"Hold", true, true},
	})
	d.click(t, "Hold")
	d.waitState(t, "the call on hold", assets.TrayOnHold, []itemWant{
		{"On hold: " + caller, false, true},
		{"Answer", false, true},
		{"Hang up", true, true},
		{"Resume", true, true},
		{"Transfer…", true, true},
	})
	d.click(t, "Hang up")
	ended := d.waitState(t, "the call in the recent calls", assets.TrayIdle, []itemWant{
		{"From " + caller + ", ", true, true},
		{"Recent calls", true, true},
		{"Answer", false, false},
	})

	// A click in the menu, as the desktop sends it, rings the phone again.
	sim, _ := findMenuItem(ended, "Simulate incoming call")
	if call := d.menu.Call("com.canonical.dbusmenu.Event", 0, sim.ID, "clicked", dbus.MakeVariant(""), uint32(0)); call.Err != nil {
		t.Fatalf("clicking %q: %v", sim.label(), call.Err)
	}
	d.waitState(t, "a second incoming call after the click", assets.TrayRinging, []itemWant{
		{"Incoming call from " + caller, false, true},
	})
}

// click clicks the menu item labelled label, as the desktop does.
func (d *desktop) click(t *testing.T, label string) {
	t.Helper()
	it, ok := findMenuItem(d.layout(t), label)
	if !ok {
		t.Fatalf("no menu item %q", label)
	}
	if call := d.menu.Call("com.canonical.dbusmenu.Event", 0, it.ID, "clicked", dbus.MakeVariant(""), uint32(0)); call.Err != nil {
		t.Fatalf("clicking %q: %v", label, call.Err)
	}
}

// waitWindow waits until a window titled title is mapped on display and
// returns the process that shows it (from _NET_WM_PID).
func waitWindow(t *testing.T, display, title string) int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.Command("xwininfo", "-name", title)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := cmd.Output()
		if err == nil && strings.Contains(string(out), "IsViewable") {
			var id string
			for _, line := range strings.Split(string(out), "\n") {
				if f := strings.Fields(line); len(f) >= 4 && f[1] == "Window" && f[2] == "id:" {
					id = f[3]
				}
			}
			prop := exec.Command("xprop", "-id", id, "_NET_WM_PID")
			prop.Env = cmd.Env
			pout, _ := prop.Output()
			var pid int
			if _, err := fmt.Sscanf(strings.TrimSpace(string(pout)), "_NET_WM_PID(CARDINAL) = %d", &pid); err != nil {
				t.Fatalf("the window %q names no process: %q", title, pout)
			}
			return pid
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no window %q appeared", title)
	return 0
}

// needDisplay returns the X display the windows open on, and skips the
// test without one or without the tools that find windows on it.
func needDisplay(t *testing.T) string {
	t.Helper()
	display := os.Getenv("DISPLAY")
	if display == "" {
		t.Skip("needs an X display: run inside .ci/desktop-session.sh")
	}
	for _, tool := range []string{"xwininfo", "xprop"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (bash .ci/deps.sh installs it)", tool)
		}
	}
	return display
}

// TestTrayOpensItsWindows clicks the menu items that open windows and
// sees each window on the X display, as a separate process, closed again
// when the tray quits.
func TestTrayOpensItsWindows(t *testing.T) {
	display := needDisplay(t)
	d := startDesktopOn(t, display)
	d.waitState(t, "the simulated phone as ready", assets.TrayIdle, []itemWant{{"About dialbridge", true, true}})

	var pids []int
	for _, w := range []struct{ item, title string }{
		{"About dialbridge", "About dialbridge"},
		{"Dial…", "Dial a number"},
	} {
		d.click(t, w.item)
		pid := waitWindow(t, display, w.title)
		if pid == d.proc.cmd.Process.Pid {
			t.Errorf("the %q window runs inside the resident", w.title)
		}
		pids = append(pids, pid)
	}

	// Transfer is offered while a call is active: the dial pad opens for it.
	d.simulateIncoming(t)
	d.waitState(t, "the incoming call", assets.TrayRinging, []itemWant{{"Answer", true, true}})
	d.click(t, "Answer")
	d.waitState(t, "the answered call", assets.TrayInCall, []itemWant{{"Transfer…", true, true}})
	d.click(t, "Transfer…")
	pids = append(pids, waitWindow(t, display, "Transfer the call"))

	// Quitting the tray closes what it opened.
	d.click(t, "Quit")
	select {
	case <-d.proc.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the tray did not quit")
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, pid := range pids {
		for running(pid) {
			if time.Now().After(deadline) {
				t.Errorf("the window process %d outlived the tray", pid)
				_ = syscall.Kill(pid, syscall.SIGKILL)
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// running reports whether process pid exists and is not a zombie (an
// orphan whose end nobody has collected yet).
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// TestIncomingCallNotification checks that a simulated incoming call
// reaches the desktop's notification server with who is calling.
func TestIncomingCallNotification(t *testing.T) {
	d := startDesktop(t)
	d.simulateIncoming(t)
	n := d.waitNotification(t, "Incoming call")
	if n.App != "dialbridge" || n.Body == "" {
		t.Errorf("notification from %q with body %q", n.App, n.Body)
	}
	if _, ok := n.Hints["image-data"]; !ok {
		t.Error("the notification carries no icon")
	}
}

// TestSecondStartBringsTheFirstForward starts `dialbridge` while the demo
// runs: it must not fail on the port but hand over and exit 0.
func TestSecondStartBringsTheFirstForward(t *testing.T) {
	d := startDesktop(t)
	cmd := exec.Command(binary, "--config", d.cfgPath)
	cmd.Env = d.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already running") {
		t.Errorf("second start printed %q", out)
	}
	select {
	case <-d.proc.done:
		t.Fatalf("the first dialbridge exited: %v", d.proc.err)
	default:
	}
}
