package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSettingsOtherComputersSectionOpensTheLANSocketWithAWarning(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	s := r.s
	if s.lanOn.Checked || s.lanWarning.Visible() || !s.lanTLS.Disabled() {
		t.Fatalf("with lan_address empty: on=%v warning=%v tls enabled=%v", s.lanOn.Checked, s.lanWarning.Visible(), !s.lanTLS.Disabled())
	}
	test.Tap(s.lanOn)
	if s.eventsAddr.Text != "auto" || !s.lanWarning.Visible() || s.lanTLS.Disabled() {
		t.Errorf("switched on: address %q, warning %v, tls enabled %v; want auto, a warning, HTTPS offered", s.eventsAddr.Text, s.lanWarning.Visible(), !s.lanTLS.Disabled())
	}
	retype(s.ips, "192.0.2.20")
	retype(s.listenerUser, "crm")
	test.Type(s.listenerPass, "pw")
	test.Tap(s.lanTLS)
	s.Save()
	if r.store.saves != 1 {
		t.Fatalf("not saved: %q %v", s.status.Text, r.problems())
	}
	l := r.store.cfg.Listener
	if l.LANAddress != "auto" || !l.LANTLS || len(l.AllowIPs) != 1 || l.Username != "crm" {
		t.Errorf("saved listener = %+v", l)
	}
	test.Tap(s.lanOn)
	if s.eventsAddr.Text != "" || s.lanWarning.Visible() {
		t.Errorf("switched off: address %q, warning %v", s.eventsAddr.Text, s.lanWarning.Visible())
	}
}

func TestSettingsRefusesOtherComputersWithoutAUserName(t *testing.T) {
	r := newSettingsRig(t, berlinConfig())
	test.Tap(r.s.lanOn)
	retype(r.s.ips, "192.0.2.20")
	r.s.Save()
	if r.store.saves != 0 {
		t.Fatal("saved other computers without listener credentials")
	}
	if got := r.problems()["listener.allow_ips"]; !strings.Contains(got, "add a user name") {
		t.Errorf("allow_ips problem = %q, want it to say to add a user name", got)
	}
}

func TestSettingsShowsTheLANCertificateFingerprint(t *testing.T) {
	cfg := berlinConfig()
	cfg.Listener.LANAddress = "192.0.2.5"
	cfg.Listener.LANTLS = true
	tests := []struct {
		name string
		fp   func() (string, bool, error)
		want string
	}{
		{"made", func() (string, bool, error) { return "AB:CD:EF", true, nil }, "SHA-256), to pin on the sending computer: AB:CD:EF"},
		{"not made yet", func() (string, bool, error) { return "", false, nil }, "makes the certificate when it starts"},
		{"no reader", nil, "dialbridge pairing-urls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			s := NewSettings(a, SettingsDeps{Env: testEnv(), Config: &memConfig{cfg: cfg}, Secrets: &memSecrets{}, LANFingerprint: tt.fp})
			if !s.lanFingerprint.Visible() || !strings.Contains(s.lanFingerprint.Text, tt.want) {
				t.Errorf("fingerprint line %q (visible %v), want %q", s.lanFingerprint.Text, s.lanFingerprint.Visible(), tt.want)
			}
		})
	}
}
