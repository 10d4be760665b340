package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLANSettingsAreCheckedInOneSentenceEach(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string // "" means valid
	}{
		{"allow_ips with a user name", "[listener]\nlan_address = \"auto\"\nallow_ips = [\"192.0.2.20\"]\nusername = \"crm\"\n", ""},
		{"allow_ips without a user name", "[listener]\nlan_address = \"auto\"\nallow_ips = [\"192.0.2.20\"]\n",
			`line 4: listener.allow_ips: is set but listener.username is empty: add username = "crm" (any name) and its password in Settings or DIALBRIDGE_LISTENER_PASSWORD, because other computers must send the listener's credentials`},
		{"lan_tls without a LAN address", "[listener]\nlan_tls = true\n", "line 3: listener.lan_tls: is true but listener.lan_address is empty"},
		{"lan_tls with the old name", "[listener]\nphone_events_address = \"192.0.2.5\"\nlan_tls = true\n", ""},
		{"old and new name disagree", "[listener]\nphone_events_address = \"192.0.2.5\"\nlan_address = \"192.0.2.6\"\n",
			"line 3: listener.phone_events_address is the old name of listener.lan_address, and the two disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte("\n" + tt.file))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestTheOldNameOfLANAddressIsReadAndSavedAsTheNew(t *testing.T) {
	cfg, err := Parse([]byte("[listener]\nphone_events_address = \"192.0.2.5\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listener.LANAddress != "192.0.2.5" || cfg.Listener.PhoneEventsAddress != "" {
		t.Fatalf("lan_address = %q, phone_events_address = %q", cfg.Listener.LANAddress, cfg.Listener.PhoneEventsAddress)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `lan_address = "192.0.2.5"`) || strings.Contains(string(data), "phone_events_address") {
		t.Errorf("saved file:\n%s", data)
	}
}
