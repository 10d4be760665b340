package resident

import (
	"log/slog"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
)

// TestTheFirstCertificateIsKept: the phone's certificate seen first is
// written to the config file and trusted from then on; a later one never
// replaces it (that is what refusing a changed certificate rests on).
func TestTheFirstCertificateIsKept(t *testing.T) {
	path := configtest.Write(t, t.TempDir(), "[phone]\nbrand = \"snom\"\naddress = \"https://192.0.2.10\"\n")
	r := &App{cfgPath: path, log: slog.New(slog.DiscardHandler)}
	const first, second = "aa:bb", "cc:dd"
	for _, fp := range []string{first, second} {
		r.savePin(fp)
		onDisk, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if onDisk.Phone.TLSFingerprint != first || r.cfg.Phone.TLSFingerprint != first {
			t.Errorf("after seeing %s: the file trusts %q, the resident %q; want %q", fp, onDisk.Phone.TLSFingerprint, r.cfg.Phone.TLSFingerprint, first)
		}
	}
}
