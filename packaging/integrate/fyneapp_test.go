package integrate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
)

// FyneApp.toml names the app to the fyne tool; it must agree with the
// identity the registrations use.
func TestFyneAppTomlAgrees(t *testing.T) {
	var meta struct {
		Details struct {
			Icon, Name, ID, Version string
			Build                   int
		}
		LinuxAndBSD struct {
			ExecParams string
		}
	}
	md, err := toml.DecodeFile("../../FyneApp.toml", &meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Undecoded()) > 0 {
		t.Logf("keys this test does not check: %v", md.Undecoded())
	}
	if meta.Details.ID != AppID || meta.Details.Name != Name {
		t.Errorf("FyneApp.toml says %q %q, integrate says %q %q", meta.Details.ID, meta.Details.Name, AppID, Name)
	}
	if meta.Details.Version == "" || meta.Details.Build < 1 {
		t.Errorf("version %q build %d", meta.Details.Version, meta.Details.Build)
	}
	if _, err := os.Stat(filepath.Join("../..", meta.Details.Icon)); err != nil {
		t.Errorf("icon: %v", err)
	}
	if meta.LinuxAndBSD.ExecParams != "%u" {
		t.Errorf("ExecParams = %q: a fyne-made desktop entry would drop the clicked link", meta.LinuxAndBSD.ExecParams)
	}
}
