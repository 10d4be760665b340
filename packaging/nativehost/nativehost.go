// Package nativehost installs the manifests with which browsers find
// dialbridge's native messaging host (`dialbridge native-host`), so that
// dialbridge's extension talks to dialbridge without an open port, CORS or
// Local Network Access prompts. `dialbridge register` installs them for the
// user, `unregister` removes them, the .deb installs them system-wide.
//
// It is standard library only (the front program shares its IDs) and
// writes through the winreg.Registry interface on Windows, so every
// platform's layout is tested on any machine.
package nativehost

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Name is the host's name in the manifests and in the extension's
// runtime.sendNativeMessage calls. Changing it orphans installed manifests.
const Name = "org.dialbridge.host"

// ExtensionID is dialbridge's extension in Chromium-based browsers. The
// extension's manifest carries a fixed public key, and Chromium derives
// the ID from it (see IDFromKey), so unpacked and packed copies share it;
// a test checks it against packaging/extension/manifest.json.
const ExtensionID = "bffecjiakfkhhlaigaekdgebakhbpnmb"

// FirefoxAddonID is the extension's ID in Firefox (its manifest's
// browser_specific_settings.gecko.id), which Firefox also passes to the
// host as its second argument.
const FirefoxAddonID = "browser@dialbridge.org"

// IDFromKey computes a Chromium extension's ID from its manifest's key
// (base64 of the DER public key): the first 16 bytes of its SHA-256 in hex,
// with the digits 0-f written as the letters a-p.
func IDFromKey(key string) (string, error) {
	der, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		return "", fmt.Errorf("the extension key is not base64: %w", err)
	}
	sum := sha256.Sum256(der)
	id := []byte(hex.EncodeToString(sum[:16]))
	for i, c := range id {
		if c <= '9' {
			id[i] = 'a' + c - '0'
		} else {
			id[i] = 'a' + 10 + c - 'a'
		}
	}
	return string(id), nil
}

// Manifest is the host manifest that points a browser at exe, the front
// program. Chromium-based browsers allow only dialbridge's extension by its
// origin; Firefox names add-ons by ID in another key.
func Manifest(exe string, firefox bool) ([]byte, error) {
	m := map[string]any{
		"name":        Name,
		"description": "dialbridge: dial phone numbers from web pages on the desk phone",
		"path":        exe,
		"type":        "stdio",
	}
	if firefox {
		m["allowed_extensions"] = []string{FirefoxAddonID}
	} else {
		m["allowed_origins"] = []string{"chrome-extension://" + ExtensionID + "/"}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	return append(b, '\n'), err
}

// Browser is where one browser looks for host manifests.
type Browser struct {
	// Name is the browser's name, for people.
	Name string
	// Firefox: the browser reads Firefox's manifest form.
	Firefox bool
	// Dir is the folder that holds the manifest file (Name.json).
	Dir string
	// RegKey (Windows) is the key under HKEY_CURRENT_USER whose default
	// value names the manifest file; Windows browsers read no folder.
	RegKey string
}

// File is the manifest's path for b.
func (b Browser) File() string { return filepath.Join(b.Dir, Name+".json") }

// UserBrowsers are the places for one user's manifests on goos: home is
// the home directory, getenv reads XDG_CONFIG_HOME and LOCALAPPDATA.
func UserBrowsers(goos, home string, getenv func(string) string) []Browser {
	switch goos {
	case "windows":
		local := getenv("LOCALAPPDATA")
		if local == "" {
			local = filepath.Join(home, "AppData", "Local")
		}
		dir := filepath.Join(local, "dialbridge", "NativeMessagingHosts")
		key := func(vendor string) string { return `Software\` + vendor + `\NativeMessagingHosts\` + Name }
		return []Browser{
			{Name: "Chromium", Dir: filepath.Join(dir, "chromium"), RegKey: key(`Chromium`)},
			{Name: "Google Chrome", Dir: filepath.Join(dir, "chromium"), RegKey: key(`Google\Chrome`)},
			{Name: "Microsoft Edge", Dir: filepath.Join(dir, "chromium"), RegKey: key(`Microsoft\Edge`)},
			{Name: "Brave", Dir: filepath.Join(dir, "chromium"), RegKey: key(`BraveSoftware\Brave-Browser`)},
			{Name: "Firefox", Firefox: true, Dir: filepath.Join(dir, "firefox"), RegKey: key(`Mozilla`)},
		}
	case "darwin":
		lib := filepath.Join(home, "Library", "Application Support")
		return []Browser{
			{Name: "Chromium", Dir: filepath.Join(lib, "Chromium", "NativeMessagingHosts")},
			{Name: "Google Chrome", Dir: filepath.Join(lib, "Google", "Chrome", "NativeMessagingHosts")},
			{Name: "Microsoft Edge", Dir: filepath.Join(lib, "Microsoft Edge", "NativeMessagingHosts")},
			{Name: "Brave", Dir: filepath.Join(lib, "BraveSoftware", "Brave-Browser", "NativeMessagingHosts")},
			{Name: "Firefox", Firefox: true, Dir: filepath.Join(lib, "Mozilla", "NativeMessagingHosts")},
		}
	}
	cfg := getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}
	return []Browser{
		{Name: "Chromium", Dir: filepath.Join(cfg, "chromium", "NativeMessagingHosts")},
		{Name: "Google Chrome", Dir: filepath.Join(cfg, "google-chrome", "NativeMessagingHosts")},
		{Name: "Microsoft Edge", Dir: filepath.Join(cfg, "microsoft-edge", "NativeMessagingHosts")},
		{Name: "Brave", Dir: filepath.Join(cfg, "BraveSoftware", "Brave-Browser", "NativeMessagingHosts")},
		{Name: "Firefox", Firefox: true, Dir: filepath.Join(home, ".mozilla", "native-messaging-hosts")},
	}
}

// SystemBrowsers are the system-wide manifest folders on Linux, below root
// (a package's staging folder, or "/"), for the .deb. Brave reads the
// user's folder only, which `dialbridge register` fills.
func SystemBrowsers(root string) []Browser {
	return []Browser{
		{Name: "Chromium", Dir: filepath.Join(root, "etc", "chromium", "native-messaging-hosts")},
		{Name: "Google Chrome", Dir: filepath.Join(root, "etc", "opt", "chrome", "native-messaging-hosts")},
		{Name: "Microsoft Edge", Dir: filepath.Join(root, "etc", "opt", "edge", "native-messaging-hosts")},
		{Name: "Firefox", Firefox: true, Dir: filepath.Join(root, "usr", "lib", "mozilla", "native-messaging-hosts")},
	}
}

// Registry is the part of HKEY_CURRENT_USER the manifests need
// (winreg.Registry fits).
type Registry interface {
	SetString(path, name, value string) error
	GetString(path, name string) (value string, ok bool, err error)
	DeleteTree(path string) error
}

// Hosts installs and removes the manifests for a set of browsers.
type Hosts struct {
	// Exe is the front program the manifests start.
	Exe string
	// Browsers are the places to write.
	Browsers []Browser
	// Registry is HKEY_CURRENT_USER on Windows; nil elsewhere.
	Registry Registry
}

// Install writes every browser's manifest (whether or not the browser is
// installed yet, so one installed later finds dialbridge) and, on Windows,
// the registry value that names it.
func (h Hosts) Install() error {
	if !filepath.IsAbs(h.Exe) {
		return fmt.Errorf("the native messaging host needs an absolute path, not %q", h.Exe)
	}
	for _, b := range h.Browsers {
		data, err := Manifest(h.Exe, b.Firefox)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(b.Dir, 0o755); err != nil {
			return fmt.Errorf("creating %s's manifest folder: %w", b.Name, err)
		}
		if err := writeFile(b.File(), data); err != nil {
			return fmt.Errorf("writing %s's manifest: %w", b.Name, err)
		}
		if b.RegKey != "" && h.Registry != nil {
			if err := h.Registry.SetString(b.RegKey, "", b.File()); err != nil {
				return fmt.Errorf("registering the manifest with %s: %w", b.Name, err)
			}
		}
	}
	return nil
}

// writeFile replaces path through a temporary file, so a browser never
// reads half a manifest.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dialbridge-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Remove deletes dialbridge's manifests and registry keys and nothing
// else; missing ones are no error.
func (h Hosts) Remove() error {
	var errs []error
	for _, b := range h.Browsers {
		if err := os.Remove(b.File()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("removing %s's manifest: %w", b.Name, err))
		}
		if b.RegKey != "" && h.Registry != nil {
			if err := h.Registry.DeleteTree(b.RegKey); err != nil {
				errs = append(errs, fmt.Errorf("removing %s's registry key: %w", b.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Installed names the browsers whose manifest starts h.Exe (and on
// Windows is registered), in the order of h.Browsers.
func (h Hosts) Installed() []string {
	var names []string
	for _, b := range h.Browsers {
		data, err := os.ReadFile(b.File())
		if err != nil {
			continue
		}
		var m struct{ Path string }
		if json.Unmarshal(data, &m) != nil || m.Path != h.Exe {
			continue
		}
		if b.RegKey != "" && h.Registry != nil {
			if v, ok, _ := h.Registry.GetString(b.RegKey, ""); !ok || !strings.EqualFold(v, b.File()) {
				continue
			}
		}
		names = append(names, b.Name)
	}
	return names
}
