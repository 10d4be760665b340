//go:build linux

package extension

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// browser is a headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe: JSON messages ended by a NUL byte, the
// browser reads fd 3 and writes fd 4), so no port and no WebSocket library
// is needed.
type browser struct {
	cmd    *exec.Cmd
	in     *os.File // our end of the browser's fd 3
	stderr bytes.Buffer
	exited chan struct{}

	// lastTarget is the tab opened last.
	lastTarget string

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpReply
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// startBrowser starts Chromium with the flags of a throwaway headless run,
// the extension in extDir loaded unpacked, profile dir as its user data
// (where it also looks for native messaging hosts), and env added.
func startBrowser(t testing.TB, extDir, profile string, env []string, flags ...string) *browser {
	t.Helper()
	toBrowser, browserIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	browserOut, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{in: browserIn, exited: make(chan struct{}), waiting: map[int]chan cdpReply{}}
	b.cmd = exec.Command(chromiumPath,
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
		"--user-data-dir="+profile, "--load-extension="+extDir, "--disable-extensions-except="+extDir,
		"--window-size=900,700", "--remote-debugging-pipe")
	b.cmd.Args = append(append(b.cmd.Args, flags...), "about:blank")
	b.cmd.Env = append(os.Environ(), env...)
	b.cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser}
	b.cmd.Stderr = &b.stderr
	// Chromium starts helper processes: they form a group we can end.
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	go func() { _ = b.cmd.Wait(); close(b.exited) }()
	go b.read(browserOut)
	t.Cleanup(func() {
		browserIn.Close()
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-b.exited
	})
	return b
}

// read hands each reply to the call waiting for its id; events are not
// needed by the tests and are dropped.
func (b *browser) read(r *os.File) {
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m struct {
			ID int `json:"id"`
			cdpReply
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue
		}
		b.mu.Lock()
		ch := b.waiting[m.ID]
		delete(b.waiting, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends one DevTools command (to a page's session when session is
// set) and decodes its result into out.
func (b *browser) call(t testing.TB, session, method string, params, out any) {
	t.Helper()
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpReply, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.in.Write(append(data, 0)); err != nil {
		t.Fatalf("%s: %v\n%s", method, err, b.stderr.String())
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				t.Fatalf("%s: %v in %s", method, err, r.Result)
			}
		}
	case <-b.exited:
		t.Fatalf("chromium exited during %s:\n%s", method, b.stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: no answer in a minute", method)
	}
}

// open opens url in a new tab and returns the tab's session.
func (b *browser) open(t testing.TB, url string) string {
	t.Helper()
	var target struct{ TargetID string }
	b.call(t, "", "Target.createTarget", map[string]any{"url": url}, &target)
	b.lastTarget = target.TargetID
	var att struct{ SessionID string }
	b.call(t, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	return att.SessionID
}

// eval runs a JavaScript expression in the page (its own world, which
// sees the DOM the extension changed) and decodes its JSON-able value.
func (b *browser) eval(t testing.TB, session, expr string, out any) {
	t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call(t, session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if r.ExceptionDetails != nil {
		t.Fatalf("%s: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result.Value, out); err != nil {
			t.Fatalf("%s: %v in %s", expr, err, r.Result.Value)
		}
	}
}

// waitFor polls a JavaScript condition until it is true.
func (b *browser) waitFor(t testing.TB, session, cond string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var ok bool
		b.eval(t, session, "(() => { try { return !!("+cond+") } catch { return false } })()", &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var dom string
			b.eval(t, session, "document.body ? document.body.outerHTML.slice(0, 3000) : ''", &dom)
			t.Fatalf("waited %s for %s; the page:\n%s\nchromium:\n%s", limit, cond, dom, tail(b.stderr.String(), 3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// click clicks the middle of the element selector finds, as the person's
// mouse does (a trusted event, which the page's own scripts cannot make).
func (b *browser) click(t testing.TB, session, selector string) {
	t.Helper()
	var at struct{ X, Y float64 }
	b.eval(t, session, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`, selector), &at)
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		b.call(t, session, "Input.dispatchMouseEvent", map[string]any{"type": typ, "x": at.X, "y": at.Y, "button": "left", "clickCount": 1}, nil)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}
