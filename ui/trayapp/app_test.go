package trayapp

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/notify"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// recordingNotifier hands the title of every notification to the test.
type recordingNotifier chan string

func (r recordingNotifier) Notify(title, body string, _ []byte) error {
	if body == "marker" {
		title = "marker"
	}
	r <- title
	return nil
}

// newTestNotifications records the titles of what is sent; a marker shows
// that everything sent before it was handled.
func newTestNotifications(t *testing.T) (ns *notify.Notifications, titles func() []string) {
	t.Helper()
	got := make(recordingNotifier, notify.Queue)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	ns = notify.New(got, slog.New(slog.DiscardHandler), done)
	return ns, func() []string {
		ns.Failed(errors.New("marker"))
		var titles []string
		for title := range got {
			if title == "marker" {
				return titles
			}
			titles = append(titles, title)
		}
		return titles
	}
}

func TestCheckPhone(t *testing.T) {
	type step struct {
		probeErr  error
		wantState tray.PhoneState
		wantNote  string // title of the notification, "" for none
	}
	down := errors.New("connection refused")
	tests := []struct {
		name  string
		steps []step
	}{
		{"reachable from the start says nothing", []step{
			{nil, tray.PhoneReady, ""},
			{nil, tray.PhoneReady, ""},
		}},
		{"unreachable from the start", []step{
			{down, tray.PhoneUnreachable, "Phone unreachable"},
			{down, tray.PhoneUnreachable, ""},
			{nil, tray.PhoneReady, "Phone reachable again"},
		}},
		{"goes away and comes back", []step{
			{nil, tray.PhoneReady, ""},
			{down, tray.PhoneUnreachable, "Phone unreachable"},
			{down, tray.PhoneUnreachable, ""},
			{nil, tray.PhoneReady, "Phone reachable again"},
			{nil, tray.PhoneReady, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, sent := newTestNotifications(t)
			var probeErr error
			var probed []string
			a := New(Deps{
				Phone: func() Pairing {
					return Pairing{Brand: "snom", Address: "192.0.2.10", Paired: true, Caps: phone.CanDial | phone.CanHangup}
				},
				Log:   slog.New(slog.DiscardHandler),
				Notes: ns,
				Probe: func(_ context.Context, addr string) error {
					probed = append(probed, addr)
					return probeErr
				},
			})
			for i, s := range tt.steps {
				probeErr = s.probeErr
				a.checkPhone(context.Background())
				p := a.model.PhoneStatus()
				want := tray.Phone{State: s.wantState, Name: "snom at 192.0.2.10", Caps: phone.CanDial | phone.CanHangup}
				if p != want {
					t.Errorf("step %d: phone %+v, want %+v", i, p, want)
				}
				titles := sent()
				if (s.wantNote == "" && len(titles) != 0) || (s.wantNote != "" && (len(titles) != 1 || titles[0] != s.wantNote)) {
					t.Errorf("step %d: notifications %q, want %q", i, titles, s.wantNote)
				}
			}
			if probed[0] != "192.0.2.10:80" {
				t.Errorf("probed %q, want the phone's web server 192.0.2.10:80", probed[0])
			}
		})
	}
}

// TestHealingRunsOnlyWhenThePhoneAnswers: the event URLs are checked after
// a check that reached the phone, never while it is away.
func TestHealingRunsOnlyWhenThePhoneAnswers(t *testing.T) {
	ns, _ := newTestNotifications(t)
	probeErr := errors.New("connection refused")
	healed := 0
	a := New(Deps{
		Phone: func() Pairing { return Pairing{Brand: "snom", Address: "192.0.2.10", Paired: true} },
		Log:   slog.New(slog.DiscardHandler), Notes: ns,
		Probe: func(context.Context, string) error { return probeErr },
		Heal:  func(context.Context) { healed++ },
	})
	a.checkPhone(context.Background())
	if healed != 0 {
		t.Errorf("healed %d times while the phone was away", healed)
	}
	probeErr = nil
	a.checkPhone(context.Background())
	if healed != 1 {
		t.Errorf("healed %d times after the phone answered, want 1", healed)
	}
}

func TestPhoneInfo(t *testing.T) {
	tests := []struct {
		name     string
		phone    Pairing
		want     tray.Phone
		wantAddr string
	}{
		{"http", Pairing{Brand: "yealink", Address: "192.0.2.11", Paired: true, Caps: phone.CanDial},
			tray.Phone{State: tray.PhoneReady, Name: "yealink at 192.0.2.11", Caps: phone.CanDial}, "192.0.2.11:80"},
		{"https with port", Pairing{Brand: "auerswald", Address: "https://[2001:db8::1]:8443", Paired: true, Caps: phone.CanDial},
			tray.Phone{State: tray.PhoneReady, Name: "auerswald at 2001:db8::1", Caps: phone.CanDial}, "[2001:db8::1]:8443"},
		{"https", Pairing{Brand: "auerswald", Address: "https://phone.example", Paired: true},
			tray.Phone{State: tray.PhoneReady, Name: "auerswald at phone.example"}, "phone.example:443"},
		{"the demo phone is named by what it is", Pairing{Brand: "demo", Address: "http://127.0.0.1:4321", Demo: true, Paired: true, Caps: phone.CanDial},
			tray.Phone{State: tray.PhoneReady, Demo: true, Caps: phone.CanDial}, "127.0.0.1:4321"},
		{"no driver", Pairing{Brand: "snom", Address: "192.0.2.10"},
			tray.Phone{State: tray.PhoneNotPaired}, ""},
		{"an address that is none", Pairing{Brand: "snom", Address: "http://[::1", Paired: true},
			tray.Phone{State: tray.PhoneNotPaired}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &App{d: Deps{Phone: func() Pairing { return tt.phone }}}
			got, addr := a.phoneInfo()
			if got != tt.want || addr != tt.wantAddr {
				t.Errorf("phoneInfo() = %+v, %q; want %+v, %q", got, addr, tt.want, tt.wantAddr)
			}
		})
	}
}
