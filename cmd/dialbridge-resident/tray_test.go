package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// capsDriver is a phone that can do what caps says; the tray only asks it
// for its capabilities.
type capsDriver struct {
	phone.Unsupported
	caps phone.Capability
}

func (d capsDriver) Brand() string                               { return "snom" }
func (d capsDriver) Capabilities() phone.Capability              { return d.caps }
func (capsDriver) Dial(context.Context, phone.DialOptions) error { return nil }

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
			ns, got := newTestNotifications(t)
			var probeErr error
			var probed []string
			a := &trayApp{
				r: &resident{
					cfg:    config.Config{Phone: config.Phone{Brand: "snom", Address: "192.0.2.10"}},
					driver: capsDriver{caps: phone.CanDial | phone.CanHangup},
				},
				log:   slog.New(slog.DiscardHandler),
				model: tray.NewModel(),
				notes: ns,
				probe: func(_ context.Context, addr string) error {
					probed = append(probed, addr)
					return probeErr
				},
			}
			for i, s := range tt.steps {
				probeErr = s.probeErr
				a.checkPhone(context.Background())
				p := a.model.PhoneStatus()
				want := tray.Phone{State: s.wantState, Name: "snom at 192.0.2.10", Caps: phone.CanDial | phone.CanHangup}
				if p != want {
					t.Errorf("step %d: phone %+v, want %+v", i, p, want)
				}
				ns.send("marker", "", "idle")
				var titles []string
				for n := range got {
					if n.title == "marker" {
						break
					}
					titles = append(titles, n.title)
				}
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

func TestPhoneInfo(t *testing.T) {
	tests := []struct {
		name     string
		phone    config.Phone
		driver   phone.Driver
		want     tray.Phone
		wantAddr string
	}{
		{"http", config.Phone{Brand: "yealink", Address: "192.0.2.11"}, capsDriver{caps: phone.CanDial},
			tray.Phone{State: tray.PhoneReady, Name: "yealink at 192.0.2.11", Caps: phone.CanDial}, "192.0.2.11:80"},
		{"https with port", config.Phone{Brand: "auerswald", Address: "https://[2001:db8::1]:8443"}, capsDriver{caps: phone.CanDial},
			tray.Phone{State: tray.PhoneReady, Name: "auerswald at 2001:db8::1", Caps: phone.CanDial}, "[2001:db8::1]:8443"},
		{"https", config.Phone{Brand: "auerswald", Address: "https://phone.example"}, capsDriver{},
			tray.Phone{State: tray.PhoneReady, Name: "auerswald at phone.example"}, "phone.example:443"},
		{"no driver", config.Phone{Brand: "snom", Address: "192.0.2.10"}, nil,
			tray.Phone{State: tray.PhoneNotPaired}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &trayApp{r: &resident{cfg: config.Config{Phone: tt.phone}, driver: tt.driver}}
			got, addr := a.phoneInfo()
			if got != tt.want || addr != tt.wantAddr {
				t.Errorf("phoneInfo() = %+v, %q; want %+v, %q", got, addr, tt.want, tt.wantAddr)
			}
		})
	}
}
