// Package clipboard reads the desktop clipboard's text without a GUI toolkit:
// the resident must not start Fyne's driver just to see whether the clipboard
// holds a phone number (Fyne's driver would cost the resident ~100 MB and a
// few % of a core all day). On Linux it asks the usual command-line tools
// (wl-paste, xclip, xsel), on macOS pbpaste, on Windows the clipboard API
// directly.
package clipboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ErrUnavailable means this desktop offers no way to read the clipboard
// (no display, or none of the tools installed).
var ErrUnavailable = errors.New("the clipboard cannot be read here: install wl-clipboard, xclip or xsel")

// MaxText bounds what is read: a phone number is short, and a clipboard
// holding a whole document is no number anyway.
const MaxText = 1 << 10

// DefaultTimeout bounds one tool run: a clipboard owner that never answers
// must not hang the menu.
const DefaultTimeout = 2 * time.Second

// Tool is one command that prints the clipboard's text.
type Tool struct {
	Name string
	Args []string
	// NeedsEnv names the environment variable (DISPLAY, WAYLAND_DISPLAY)
	// without which the tool cannot work; "" for none.
	NeedsEnv string
}

// Reader reads the clipboard with the first usable tool.
type Reader struct {
	Tools []Tool
	// LookPath and Getenv are exec.LookPath and os.Getenv, replaceable in
	// tests.
	LookPath func(string) (string, error)
	Getenv   func(string) string
	// Timeout bounds one read; New sets DefaultTimeout.
	Timeout time.Duration
	// native, when set, reads without a tool (Windows).
	native func() (string, error)
}

// New returns the reader for this operating system.
func New() *Reader {
	r := &Reader{LookPath: exec.LookPath, Getenv: os.Getenv, Timeout: DefaultTimeout}
	platform(r)
	return r
}

// Available reports whether Read can work at all, without reading.
func (r *Reader) Available() bool {
	if r.native != nil {
		return true
	}
	_, ok := r.tool()
	return ok
}

func (r *Reader) tool() (Tool, bool) {
	for _, t := range r.Tools {
		if t.NeedsEnv != "" && r.Getenv(t.NeedsEnv) == "" {
			continue
		}
		if _, err := r.LookPath(t.Name); err == nil {
			return t, true
		}
	}
	return Tool{}, false
}

// Read returns the clipboard's text, trimmed; "" when it holds no text.
// Text longer than MaxText is cut there.
func (r *Reader) Read(ctx context.Context) (string, error) {
	if r.native != nil {
		s, err := r.native()
		return trim(s), err
	}
	t, ok := r.tool()
	if !ok {
		return "", ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	path, err := r.LookPath(t.Name)
	if err != nil {
		return "", ErrUnavailable
	}
	cmd := exec.CommandContext(ctx, path, t.Args...)
	// A tool's child that keeps the output open must not hold us up.
	cmd.WaitDelay = time.Second
	out := &limited{max: MaxText}
	cmd.Stdout = out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("%s did not answer within %s", t.Name, r.Timeout)
		}
		// The tools fail when the clipboard is empty or holds no text:
		// that is an empty clipboard, not a broken one.
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", nil
		}
		return "", fmt.Errorf("reading the clipboard with %s: %w", t.Name, err)
	}
	return trim(out.buf.String()), nil
}

func trim(s string) string {
	if len(s) > MaxText {
		s = s[:MaxText]
	}
	return strings.TrimSpace(s)
}

// limited keeps the first max bytes written and discards the rest, so a
// huge clipboard costs no memory.
type limited struct {
	max int
	buf bytes.Buffer
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
