package outgoing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

func TestCheckBrowserURL(t *testing.T) {
	for _, ok := range []string{"https://crm.example/call?nr=%2B49", "http://192.0.2.1:8080/x", "https://[::1]/"} {
		if err := CheckBrowserURL(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"file:///etc/passwd", "smb://host/share", "ms-settings:privacy", "javascript:alert(1)",
		"-a Calculator", "--new-window=https://x", "https://", "https:crm.example", "http://crm.example/a b",
		"https://crm.example/\nrm", "",
	} {
		if err := CheckBrowserURL(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// TestSystemOpener records the command instead of opening a browser.
func TestSystemOpener(t *testing.T) {
	tests := []struct{ goos, want string }{
		{"linux", "xdg-open https://crm.example/x?a=1&b=2"},
		{"freebsd", "xdg-open https://crm.example/x?a=1&b=2"},
		{"darwin", "open https://crm.example/x?a=1&b=2"},
		{"windows", "rundll32 url.dll,FileProtocolHandler https://crm.example/x?a=1&b=2"},
	}
	for _, tt := range tests {
		var got string
		o := SystemOpener{GOOS: tt.goos, Start: func(name string, args ...string) (func() error, error) {
			got = strings.Join(append([]string{name}, args...), " ")
			return func() error { return nil }, nil
		}}
		if err := o.Open(context.Background(), "https://crm.example/x?a=1&b=2"); err != nil {
			t.Errorf("%s: %v", tt.goos, err)
		}
		if got != tt.want {
			t.Errorf("%s ran %q, want %q", tt.goos, got, tt.want)
		}
	}
	ran := false
	o := SystemOpener{GOOS: "linux", Start: func(string, ...string) (func() error, error) {
		ran = true
		return nil, errors.New("not reached")
	}}
	if err := o.Open(context.Background(), "file:///etc/passwd"); err == nil || ran {
		t.Errorf("a file: URL reached the opener (err %v)", err)
	}
	failing := SystemOpener{GOOS: "linux", Start: func(string, ...string) (func() error, error) {
		return func() error { return errors.New("exit status 3") }, nil
	}}
	if err := failing.Open(context.Background(), "https://crm.example/"); err == nil || !strings.Contains(err.Error(), "xdg-open could not open the browser: exit status 3") {
		t.Errorf("got %v", err)
	}
}

// TestEveryBrowserRefusalReadsAsBefore: an address the browser is not
// handed says why in the English the log has always read, and as a
// sentence of its own that the Journal window words in the person's
// language.
func TestEveryBrowserRefusalReadsAsBefore(t *testing.T) {
	tests := []struct{ url, want, key string }{
		{"", `"" is not a web address`, "outgoing.err.not_web_address"},
		{"-a Calculator", `"-a Calculator" is not a web address`, "outgoing.err.not_web_address"},
		{"http://crm.example/a b", `"http://crm.example/a b" contains blanks or control characters`, "outgoing.err.blanks"},
		{"https://crm.example/%zz", `"https://crm.example/%zz" is not a valid URL`, "outgoing.err.invalid_url"},
		{"file:///etc/passwd", `only http:// and https:// addresses are opened in the browser, not "file:///etc/passwd"`, "outgoing.err.not_http"},
		{"https:crm.example", `"https:crm.example" has no host`, "outgoing.err.no_host"},
	}
	for _, tt := range tests {
		err := CheckBrowserURL(tt.url)
		var key string
		if s := sentence.Of(err); s != nil {
			key = s.Key
		}
		if err == nil || err.Error() != tt.want || key != tt.key {
			t.Errorf("%q: %v (%s)\nwant %s (%s)", tt.url, err, key, tt.want, tt.key)
		}
	}
}
