package outgoing

import (
	"context"
	"net/url"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Opener opens a URL in the person's default browser. The outbox uses it
// for URLs with "open in browser" set; tests record instead of opening.
type Opener interface {
	Open(ctx context.Context, rawURL string) error
}

// CheckBrowserURL accepts only what is safe to hand to the operating
// system's opener: an absolute http or https URL with a host, without
// blanks or control characters, that cannot be read as an option. The
// openers would just as happily start a file:, smb: or ms-settings: link,
// or take "-something" as a flag.
func CheckBrowserURL(raw string) error {
	if raw == "" || strings.HasPrefix(raw, "-") {
		return sayNotWebAddress.With(quoted(raw), nil)
	}
	for _, r := range raw {
		if r <= ' ' || r == 0x7f {
			return sayBlanks.With(quoted(raw), nil)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return sayInvalidURL.With(quoted(raw), nil)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return sayNotHTTP.With(quoted(raw), nil)
	}
	if u.Hostname() == "" || u.Opaque != "" {
		return sayNoHost.With(quoted(raw), nil)
	}
	return nil
}

// SystemOpener opens URLs with the operating system's own opener:
// xdg-open on Linux and the BSDs, open on macOS, and on Windows
// "rundll32 url.dll,FileProtocolHandler", which hands the URL to the
// default browser without a shell that would interpret it.
type SystemOpener struct {
	// GOOS picks the opener; empty means runtime.GOOS.
	GOOS string
	// Start starts the opener; nil means exec.Command(...).Start. Tests
	// record the command instead.
	Start func(name string, args ...string) (wait func() error, err error)
}

// Command returns the program and arguments that open rawURL on goos.
func Command(goos, rawURL string) (string, []string) {
	switch goos {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", rawURL}
	case "darwin":
		return "open", []string{rawURL}
	default:
		return "xdg-open", []string{rawURL}
	}
}

// Open checks rawURL and starts the opener. It waits a little for the
// opener to report failure (xdg-open exits with 3 when no browser is
// found), but not for the browser, which the opener may start and wait for.
func (o SystemOpener) Open(ctx context.Context, rawURL string) error {
	if err := CheckBrowserURL(rawURL); err != nil {
		return err
	}
	goos := o.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	name, args := Command(goos, rawURL)
	start := o.Start
	if start == nil {
		start = startCommand
	}
	wait, err := start(name, args...)
	if err != nil {
		return sayCannotStart.With(map[string]any{"Opener": name}, err)
	}
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		if err != nil {
			return sayOpenerFailed.With(map[string]any{"Opener": name}, err)
		}
		return nil
	case <-time.After(5 * time.Second):
		return nil // still running: it is showing the page
	case <-ctx.Done():
		return nil
	}
}

func startCommand(name string, args ...string) (func() error, error) {
	if _, err := exec.LookPath(name); err != nil {
		return nil, sayNotInstalled.With(nil, nil)
	}
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd.Wait, nil
}

// quoted is the URL of a refusal's sentence: raw shortened and quoted, so
// that blanks and an empty address show.
func quoted(raw string) map[string]any { return map[string]any{"URL": strconv.Quote(clip(raw))} }
