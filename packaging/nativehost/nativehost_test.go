package nativehost

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/packaging/winreg"
)

// The ID the manifests allow is the one Chromium derives from the key in
// the extension's manifest, so the built extension can reach the host.
func TestExtensionIDComesFromTheManifestKey(t *testing.T) {
	data, err := os.ReadFile("../extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Key      string `json:"key"`
		Settings struct {
			Gecko struct {
				ID string `json:"id"`
			} `json:"gecko"`
		} `json:"browser_specific_settings"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	got, err := IDFromKey(m.Key)
	if err != nil {
		t.Fatal(err)
	}
	if got != ExtensionID {
		t.Errorf("the manifest's key gives ID %s, the host manifests allow %s", got, ExtensionID)
	}
	if m.Settings.Gecko.ID != FirefoxAddonID {
		t.Errorf("Firefox add-on ID %q, the host manifests allow %q", m.Settings.Gecko.ID, FirefoxAddonID)
	}
}

// The rule on an input whose hash everyone knows: SHA-256 of nothing is
// e3b0c442 98fc1c14 9afbf4c8 996fb924..., and e3b0... becomes odla...
func TestIDFromKeyMapsHexToLetters(t *testing.T) {
	got, err := IDFromKey("")
	if err != nil || got != "odlameecjipmbmbejkplpemijjgpljce" {
		t.Errorf("IDFromKey(\"\") = %q, %v", got, err)
	}
	if _, err := IDFromKey("not base64!"); err == nil {
		t.Error("a broken key gave no error")
	}
}

func TestManifestsMatchTheGoldenFiles(t *testing.T) {
	for _, firefox := range []bool{false, true} {
		got, err := Manifest("/usr/bin/dialbridge", firefox)
		if err != nil {
			t.Fatal(err)
		}
		name := "testdata/chromium.json"
		if firefox {
			name = "testdata/firefox.json"
		}
		if os.Getenv("UPDATE_GOLDEN") != "" {
			_ = os.WriteFile(name, got, 0o644)
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestUserBrowsersPerPlatform(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"LOCALAPPDATA": `C:\Users\ann\AppData\Local`}[k]
	}
	tests := []struct {
		goos string
		want []string
	}{
		{"linux", []string{
			"/home/ann/.config/chromium/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/.config/google-chrome/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/.config/microsoft-edge/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/.mozilla/native-messaging-hosts/org.dialbridge.host.json",
		}},
		{"darwin", []string{
			"/home/ann/Library/Application Support/Chromium/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/Library/Application Support/Google/Chrome/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/Library/Application Support/Microsoft Edge/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts/org.dialbridge.host.json",
			"/home/ann/Library/Application Support/Mozilla/NativeMessagingHosts/org.dialbridge.host.json",
		}},
	}
	for _, tt := range tests {
		var got []string
		for _, b := range UserBrowsers(tt.goos, "/home/ann", env) {
			got = append(got, b.File())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.goos, got, tt.want)
		}
	}
	var keys []string
	for _, b := range UserBrowsers("windows", "", env) {
		keys = append(keys, b.RegKey)
		if !strings.HasPrefix(b.Dir, filepath.Join(`C:\Users\ann\AppData\Local`, "dialbridge")) {
			t.Errorf("%s's manifest in %s", b.Name, b.Dir)
		}
	}
	want := []string{
		`Software\Chromium\NativeMessagingHosts\org.dialbridge.host`,
		`Software\Google\Chrome\NativeMessagingHosts\org.dialbridge.host`,
		`Software\Microsoft\Edge\NativeMessagingHosts\org.dialbridge.host`,
		`Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\org.dialbridge.host`,
		`Software\Mozilla\NativeMessagingHosts\org.dialbridge.host`,
	}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("Windows keys\n got %q\nwant %q", keys, want)
	}
}

// Install writes every manifest (and on Windows the registry values),
// Installed sees them, Remove takes away exactly dialbridge's files and
// keys and leaves other hosts alone.
func TestInstallAndRemove(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			home := t.TempDir()
			reg := winreg.NewMemory()
			h := Hosts{Exe: "/opt/dialbridge/dialbridge", Browsers: UserBrowsers(goos, home, func(string) string { return "" })}
			if goos == "windows" {
				h.Registry = reg
			}
			other := filepath.Join(h.Browsers[0].Dir, "com.example.other.json")
			if err := os.MkdirAll(h.Browsers[0].Dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(other, []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := h.Installed(); len(got) != 0 {
				t.Fatalf("installed before Install: %v", got)
			}
			if err := h.Install(); err != nil {
				t.Fatal(err)
			}
			if got := h.Installed(); len(got) != 5 {
				t.Errorf("installed %v, want all five browsers", got)
			}
			for _, b := range h.Browsers {
				data, err := os.ReadFile(b.File())
				if err != nil {
					t.Fatal(err)
				}
				var m struct {
					Path     string   `json:"path"`
					Origins  []string `json:"allowed_origins"`
					Addons   []string `json:"allowed_extensions"`
					HostType string   `json:"type"`
				}
				_ = json.Unmarshal(data, &m)
				wantOrigins, wantAddons := []string{"chrome-extension://" + ExtensionID + "/"}, []string(nil)
				if b.Firefox {
					wantOrigins, wantAddons = nil, []string{FirefoxAddonID}
				}
				if m.Path != h.Exe || m.HostType != "stdio" || !reflect.DeepEqual(m.Origins, wantOrigins) || !reflect.DeepEqual(m.Addons, wantAddons) {
					t.Errorf("%s: %s", b.Name, data)
				}
				if v, ok, _ := reg.GetString(b.RegKey, ""); goos == "windows" && (!ok || v != b.File()) {
					t.Errorf("%s: registry %q = %q", b.Name, b.RegKey, v)
				}
			}
			if err := (Hosts{Exe: "/elsewhere/dialbridge", Browsers: h.Browsers, Registry: h.Registry}).Installed(); len(err) != 0 {
				t.Errorf("a manifest for another binary counts as installed: %v", err)
			}
			if err := h.Remove(); err != nil {
				t.Fatal(err)
			}
			if got := h.Installed(); len(got) != 0 {
				t.Errorf("installed after Remove: %v", got)
			}
			for _, b := range h.Browsers {
				if _, err := os.Stat(b.File()); !os.IsNotExist(err) {
					t.Errorf("%s left behind", b.File())
				}
				if b.RegKey != "" && reg.Exists(b.RegKey) {
					t.Errorf("registry key %s left behind", b.RegKey)
				}
			}
			if _, err := os.Stat(other); err != nil {
				t.Errorf("another program's manifest was touched: %v", err)
			}
			if err := h.Remove(); err != nil {
				t.Errorf("removing twice: %v", err)
			}
		})
	}
}

func TestInstallWantsAnAbsolutePath(t *testing.T) {
	err := Hosts{Exe: "dialbridge", Browsers: UserBrowsers("linux", t.TempDir(), func(string) string { return "" })}.Install()
	if err == nil || !strings.Contains(err.Error(), "absolute path") {
		t.Errorf("err = %v", err)
	}
}
