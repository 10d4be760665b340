// Package macos integrates dialbridge with macOS: the Info.plist fragment
// that declares the URL schemes, LaunchServices' default handler choice,
// the Apple Event that carries a clicked link (OnOpenURL, darwin with cgo
// only), and the LaunchAgent that starts dialbridge at login.
//
// On macOS a link does not start `dialbridge tel:...`: LaunchServices
// starts the bundle (or finds it running) and sends it a kAEGetURL Apple
// Event, so the resident itself receives the link.
package macos

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dialbridge/dialbridge/packaging/run"
)

// InfoPlist is the fragment merged into the bundle's Info.plist.
//
//go:embed Info.plist
var InfoPlist []byte

// BundlePath returns the .app bundle that holds exe
// (X.app/Contents/MacOS/x), or an error saying that macOS hands links
// only to a bundle.
func BundlePath(exe string) (string, error) {
	macOS := filepath.Dir(exe)
	contents := filepath.Dir(macOS)
	app := filepath.Dir(contents)
	if filepath.Base(macOS) != "MacOS" || filepath.Base(contents) != "Contents" || !strings.HasSuffix(app, ".app") {
		return "", fmt.Errorf("macOS hands links only to an application bundle, and %s is not inside one: install dialbridge.app", exe)
	}
	return app, nil
}

// setScript asks LaunchServices to make bundle ID argv[0] the default for
// the schemes in argv[1:]. LSSetDefaultHandlerForURLScheme is deprecated
// but is still what sets a non-web scheme without a prompt; it is reached
// through JavaScript for Automation so that no cgo is needed.
const setScript = `ObjC.import('CoreServices');
function run(argv) {
  for (var i = 1; i < argv.length; i++) {
    var rc = $.LSSetDefaultHandlerForURLScheme($(argv[i]), $(argv[0]));
    if (rc !== 0) throw new Error('LaunchServices refused ' + argv[i] + ': error ' + rc);
  }
}`

// queryScript prints scheme=bundle-id, one a line, of the app that opens
// each scheme now (empty when none).
const queryScript = `ObjC.import('AppKit');
function run(argv) {
  var ws = $.NSWorkspace.sharedWorkspace, out = [];
  for (var i = 0; i < argv.length; i++) {
    var id = '', u = ws.URLForApplicationToOpenURL($.NSURL.URLWithString(argv[i] + ':1'));
    if (u && !u.isNil()) { var b = $.NSBundle.bundleWithURL(u); if (b && !b.isNil()) id = b.bundleIdentifier.js; }
    out.push(argv[i] + '=' + id);
  }
  return out.join('\n');
}`

// lsregister is where macOS keeps the LaunchServices registration tool.
const lsregister = "/System/Library/Frameworks/CoreServices.framework/Frameworks/LaunchServices.framework/Support/lsregister"

// Handler makes the bundle BundleID the default for Schemes.
type Handler struct {
	BundleID string
	// Exe is the running binary inside the bundle.
	Exe     string
	Schemes []string
	// Fallback names, per scheme, the app that takes a scheme back on
	// Unregister (macOS cannot "unset" a choice), e.g. tel -> FaceTime.
	Fallback map[string]string
	Run      run.Func
}

// Register registers the bundle with LaunchServices (so that its
// CFBundleURLTypes are known even before a first launch from Finder)
// and makes it the default for every scheme.
func (h Handler) Register(ctx context.Context) error {
	app, err := BundlePath(h.Exe)
	if err != nil {
		return err
	}
	if _, err := h.Run(ctx, lsregister, "-f", app); err != nil {
		return fmt.Errorf("registering %s with LaunchServices: %w", app, err)
	}
	args := append([]string{"-l", "JavaScript", "-e", setScript, h.BundleID}, h.Schemes...)
	if _, err := h.Run(ctx, "osascript", args...); err != nil {
		return fmt.Errorf("choosing dialbridge for phone links: %w", err)
	}
	return nil
}

// Unregister hands the schemes that have a Fallback back to it, where
// dialbridge is the default now. Schemes without one stay until the
// person chooses another app: LaunchServices has no "nobody".
func (h Handler) Unregister(ctx context.Context) error {
	st, err := h.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range h.Schemes {
		fb, ok := h.Fallback[s]
		if !ok || !st[s] {
			continue
		}
		if _, err := h.Run(ctx, "osascript", "-l", "JavaScript", "-e", setScript, fb, s); err != nil {
			return fmt.Errorf("giving %s: links back to %s: %w", s, fb, err)
		}
	}
	return nil
}

// Status reports for each scheme whether dialbridge opens it.
func (h Handler) Status(ctx context.Context) (map[string]bool, error) {
	args := append([]string{"-l", "JavaScript", "-e", queryScript}, h.Schemes...)
	out, err := h.Run(ctx, "osascript", args...)
	if err != nil {
		return nil, fmt.Errorf("asking LaunchServices which app opens phone links: %w", err)
	}
	got := map[string]bool{}
	for _, s := range h.Schemes {
		got[s] = false
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		s, id, ok := strings.Cut(line, "=")
		if _, known := got[s]; ok && known {
			got[s] = strings.EqualFold(strings.TrimSpace(id), h.BundleID)
		}
	}
	return got, nil
}

// LaunchAgent starts dialbridge at login: a property list in
// ~/Library/LaunchAgents that launchd reads when the person logs in.
// (SMAppService login items need a signed bundle and cgo; a LaunchAgent
// works for any install.)
type LaunchAgent struct {
	// Dir is ~/Library/LaunchAgents.
	Dir string
	// Label is the launchd job label, the bundle ID.
	Label string
	Exe   string
}

func (a LaunchAgent) path() string { return filepath.Join(a.Dir, a.Label+".plist") }

// Plist renders the agent: run Exe once at login, in the background.
func (a LaunchAgent) Plist() []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + esc(a.Label) + `</string>
	<key>ProgramArguments</key>
	<array>
		<string>` + esc(a.Exe) + `</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
}

// Set writes or removes the agent.
func (a LaunchAgent) Set(on bool) error {
	if !on {
		if err := os.Remove(a.path()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("switching off the start at login: %w", err)
		}
		return nil
	}
	if !filepath.IsAbs(a.Exe) {
		return fmt.Errorf("the path of dialbridge must be absolute for the login agent, not %q", a.Exe)
	}
	if err := os.MkdirAll(a.Dir, 0o755); err != nil {
		return fmt.Errorf("switching on the start at login: %w", err)
	}
	if err := os.WriteFile(a.path(), a.Plist(), 0o644); err != nil {
		return fmt.Errorf("switching on the start at login: %w", err)
	}
	return nil
}

// Enabled reports whether the agent is there.
func (a LaunchAgent) Enabled() (bool, error) {
	_, err := os.Stat(a.path())
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
