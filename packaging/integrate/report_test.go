package integrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/nativehost"
)

// fakeDesktop records what was asked of the platform; it stands in for a
// desktop that keeps some schemes for another program or fails, which the
// real integrations cannot be made to do.
type fakeDesktop struct {
	handler   map[string]bool
	autostart bool
	grab      []string // schemes RegisterHandler can take
	hint      string
	fail      error
	calls     []string
}

func (f *fakeDesktop) RegisterHandler(context.Context) error {
	f.calls = append(f.calls, "register")
	for _, s := range f.grab {
		f.handler[s] = true
	}
	return f.fail
}

func (f *fakeDesktop) UnregisterHandler(context.Context) error {
	f.calls = append(f.calls, "unregister")
	f.handler = map[string]bool{}
	return f.fail
}

func (f *fakeDesktop) HandlerStatus(context.Context) (map[string]bool, error) {
	return f.handler, nil
}

func (f *fakeDesktop) ConfirmHint() string { return f.hint }

func (f *fakeDesktop) SetAutostart(_ context.Context, on bool) error {
	f.calls = append(f.calls, fmt.Sprint("autostart ", on))
	f.autostart = on
	return f.fail
}

func (f *fakeDesktop) Autostart(context.Context) (bool, error) { return f.autostart, nil }

func TestReports(t *testing.T) {
	all := []string{"tel", "callto", "sip"}
	// One throwaway home for the whole run: register installs the host
	// manifests there and the cases after it see them, until unregister.
	home := t.TempDir()
	hosts := nativehost.Hosts{Exe: "/usr/bin/dialbridge", Browsers: nativehost.UserBrowsers("linux", home, func(string) string { return "" })}
	const reaches = "browser: dialbridge's extension reaches dialbridge in Chromium, Google Chrome, Microsoft Edge, Brave, Firefox\n"
	register := func(ctx context.Context, d Desktop, w *bytes.Buffer) error { return Register(ctx, d, hosts, w) }
	tests := []struct {
		name      string
		desktop   fakeDesktop
		do        func(context.Context, Desktop, *bytes.Buffer) error
		wantOut   string
		wantErr   string
		wantCalls string
	}{
		{"register takes every scheme", fakeDesktop{grab: all}, register,
			"tel:     dialbridge\ncallto:  dialbridge\nsip:     dialbridge\n" + reaches, "", "[register]"},
		{"register where the desktop keeps one", fakeDesktop{grab: []string{"tel", "callto"}}, register,
			"tel:     dialbridge\ncallto:  dialbridge\nsip:     another program (or none)\n" + reaches, "the desktop still opens sip: links with another program", "[register]"},
		{"register on Windows asks the person to confirm", fakeDesktop{grab: []string{"callto"}, hint: "Windows asks you to confirm."}, register,
			"tel:     another program (or none)\ncallto:  dialbridge\nsip:     another program (or none)\n" + reaches + "Windows asks you to confirm.\n", "", "[register]"},
		{"register passes the platform's error on", fakeDesktop{fail: errors.New("xdg-mime: exit status 4")}, register,
			"", "xdg-mime: exit status 4", "[register]"},
		{"the handlers alone change nothing", fakeDesktop{grab: all, handler: map[string]bool{"sip": true}},
			func(ctx context.Context, d Desktop, w *bytes.Buffer) error {
				_, err := WriteHandlers(ctx, d, w)
				return err
			},
			"tel:     another program (or none)\ncallto:  another program (or none)\nsip:     dialbridge\n", "", "[]"},
		{"unregister", fakeDesktop{handler: map[string]bool{"tel": true}},
			func(ctx context.Context, d Desktop, w *bytes.Buffer) error { return Unregister(ctx, d, hosts, w) },
			"tel:     another program (or none)\ncallto:  another program (or none)\nsip:     another program (or none)\n" +
				"browser: dialbridge's extension cannot reach dialbridge (dialbridge register lets it in)\n", "", "[unregister]"},
		{"autostart on", fakeDesktop{autostart: true},
			func(ctx context.Context, d Desktop, w *bytes.Buffer) error { return WriteAutostart(ctx, d, w) },
			"dialbridge starts at login\n", "", "[]"},
		{"autostart off", fakeDesktop{},
			func(ctx context.Context, d Desktop, w *bytes.Buffer) error { return WriteAutostart(ctx, d, w) },
			"dialbridge does not start at login\n", "", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.desktop
			if d.handler == nil {
				d.handler = map[string]bool{}
			}
			var out bytes.Buffer
			err := tt.do(context.Background(), &d, &out)
			if out.String() != tt.wantOut {
				t.Errorf("output\n got %q\nwant %q", out.String(), tt.wantOut)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
			if got := fmt.Sprint(d.calls); got != tt.wantCalls {
				t.Errorf("calls %s, want %s", got, tt.wantCalls)
			}
		})
	}
}
