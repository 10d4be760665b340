//go:build linux

package actionurl

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// chromium is one headless Chromium run on a page.
type chromium struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	exited         chan struct{}
	err            error
}

// startChromium loads url in headless Chromium, which lets the page's
// scripts run for five seconds of virtual time and then prints the DOM.
// Popups are allowed so that a script can open a top-level window.
func startChromium(t *testing.T, url string) *chromium {
	t.Helper()
	c := &chromium{exited: make(chan struct{})}
	c.cmd = exec.Command(chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--disable-popup-blocking", "--user-data-dir="+t.TempDir(),
		"--dump-dom", "--virtual-time-budget=5000", url)
	// Chromium starts helper processes: they form a group we can end.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(c.kill)
	return c
}

// kill ends the Chromium run (its own process group) if it still runs.
func (c *chromium) kill() {
	select {
	case <-c.exited:
	default:
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.exited
	}
}

// wait waits for Chromium to finish and returns the page's final DOM.
func (c *chromium) wait(t *testing.T) string {
	t.Helper()
	select {
	case <-c.exited:
		if c.err != nil {
			t.Fatalf("chromium: %v\n%s", c.err, c.stderr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("chromium did not finish in two minutes\n%s", c.stderr.String())
	}
	return c.stdout.String()
}

// page serves one HTML page from its own loopback origin; render is
// called per request, so the page can name a server started later.
func page(t *testing.T, render func() string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, render())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// judged returns the listener's "dial request judged" log lines for one
// method and path.
func judged(logs, method, path string) []string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `msg="dial request judged"`) && strings.Contains(line, "method="+method+" path="+path+" ") {
			out = append(out, line)
		}
	}
	return out
}

// TestBrowserPagesCannotDial: a real browser loads pages from one loopback
// origin that try every way a page has to make the listener (another
// loopback origin) dial; none gets through, and the listener's log shows
// each attempt arrived and was judged a web page. A page from an allowed
// origin then dials with fetch, through a real CORS preflight.
func TestBrowserPagesCannotDial(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	// The pages learn the listener's address once it runs.
	var listenerURL atomic.Pointer[string]
	fill := func(html string) func() string {
		return func() string { return strings.ReplaceAll(html, "LISTENER", *listenerURL.Load()) }
	}
	hostile := page(t, fill(hostilePage))
	navigating := page(t, fill(navigatingPage))
	allowed := page(t, fill(allowedPage))
	// An allowed origin is matched exactly, port included.
	r := newAttackRig(t, attackOptions{origins: []string{allowed.URL}, username: "desk", password: "pw"})
	listenerURL.Store(&r.base)

	// Both hostile pages load at once. A page that navigates itself away
	// never lets headless Chromium finish its DOM dump, so that run is
	// ended once the listener saw its request.
	arrived := r.logs.seen(`msg="dial request judged"`, "path=/servlet ")
	nav := startChromium(t, navigating.URL+"/")
	startChromium(t, hostile.URL+"/").wait(t)
	select {
	case <-arrived:
	case <-nav.exited:
		t.Errorf("the navigating page ended (%v) without reaching the listener", nav.err)
	case <-time.After(2 * time.Minute):
		t.Errorf("the navigating page did not reach the listener in two minutes")
	}
	nav.kill()

	r.phoneUntouched(t)
	logs := r.logs.String()
	attempts := []struct{ method, path, what string }{
		{"GET", "/", "<img>"},
		{"GET", "/command.htm", "fetch no-cors"},
		{"POST", "/command.htm", "form POST"},
		{"GET", "/cgiServer.exx", "fetch in cors mode"},
		{"GET", "/cgi-bin/ConfigManApp.com", "iframe navigation"},
		{"GET", "/cgi-bin/api-make_call", "window.open (top-level navigation)"},
		{"GET", "/servlet", "location.href (top-level navigation)"},
	}
	for _, a := range attempts {
		lines := judged(logs, a.method, a.path)
		if len(lines) == 0 {
			t.Errorf("%s %s (%s): the listener never saw the page's attempt, so the test proves nothing", a.method, a.path, a.what)
			continue
		}
		for _, l := range lines {
			if !strings.Contains(l, `trust="web page"`) || !strings.Contains(l, "refuse=true") {
				t.Errorf("%s %s (%s) was not refused as a web page: %s", a.method, a.path, a.what, l)
			}
		}
	}
	if t.Failed() || os.Getenv("DIALBRIDGE_SHOW_LOG") != "" {
		t.Logf("listener log:\n%s", logs)
	}
	r.legitDial(t, "0301234567")

	dom := startChromium(t, allowed.URL+"/").wait(t)
	for _, want := range []string{"r1:OK: the phone is dialing 0302001", "r2:OK: the phone is dialing 0302002"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the allowed page shows no %q:\n%s", want, dom)
		}
	}
	var numbers []string
	for _, d := range r.sim.Dialed() {
		numbers = append(numbers, d.Number)
	}
	if got := strings.Join(numbers, " "); got != "0301234567 0302001 0302002" {
		t.Errorf("the phone dialed %q, want the legitimate client's and the allowed page's numbers", got)
	}
	for _, l := range append(judged(r.logs.String(), "GET", "/"), judged(r.logs.String(), "POST", "/command.htm")...) {
		if strings.Contains(l, "origin="+allowed.URL) && !strings.Contains(l, `trust="allowed web origin"`) {
			t.Errorf("the allowed page was judged %s", l)
		}
	}
	if !strings.Contains(r.logs.String(), `msg="preflight answered" origin=`+allowed.URL) {
		t.Errorf("the allowed page dialed without a CORS preflight, so the preflight went untested")
	}
}

// hostilePage tries every way a page can send a request without the
// target's consent: an image, fetch in no-cors and cors mode, a form POST
// into a frame, a frame navigation, and a new top-level window.
const hostilePage = `<!doctype html>
<html><body>
<iframe name="sink"></iframe>
<iframe id="frame"></iframe>
<form id="f" method="POST" action="LISTENER/command.htm" target="sink">
  <input name="number" value="0301003">
</form>
<script>
const L = "LISTENER";
new Image().src = L + "/?action=make_call&target=0301001";
fetch(L + "/command.htm?number=0301002", {mode: "no-cors"}).catch(() => {});
fetch(L + "/cgiServer.exx?number=0301004").catch(() => {});
document.getElementById("f").submit();
setTimeout(() => { document.getElementById("frame").src = L + "/cgi-bin/ConfigManApp.com?number=0301005"; }, 200);
setTimeout(() => { window.open(L + "/cgi-bin/api-make_call?phonenumber=0301006", "_blank"); }, 400);
</script>
</body></html>`

// navigatingPage sends the whole tab to the listener, as a page may.
const navigatingPage = `<!doctype html>
<html><body>
<script>
setTimeout(() => { location.href = "LISTENER/servlet?key=number=0301007"; }, 100);
</script>
</body></html>`

// allowedPage dials the way a CRM would: fetch with credentials in an
// Authorization header, which makes Chromium send a CORS preflight first.
const allowedPage = `<!doctype html>
<html><body>
<pre id="out"></pre>
<script>
const L = "LISTENER";
const auth = {"Authorization": "Basic " + btoa("desk:pw")};
const out = document.getElementById("out");
async function run() {
  try {
    const r1 = await fetch(L + "/?action=make_call&target=0302001", {headers: auth});
    out.textContent += "r1:" + (await r1.text());
  } catch (e) { out.textContent += "r1 failed:" + e; }
  try {
    const r2 = await fetch(L + "/command.htm", {method: "POST", headers: auth,
      body: new URLSearchParams({number: "0302002"})});
    out.textContent += "r2:" + (await r2.text());
  } catch (e) { out.textContent += "r2 failed:" + e; }
}
run();
</script>
</body></html>`
