package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/ui/backend"
)

// TestTheDialPadListsCallersByTheNamesTheLookupFound runs the real
// resident with the demo phone and a vCard address book, lets the demo
// phone ring twice from a number the book knows (the phone sends no
// name), and opens the dial pad on that resident: its recent and its
// frequent lists name the caller as the book does.
func TestTheDialPadListsCallersByTheNamesTheLookupFound(t *testing.T) {
	inSession(t)
	dir := t.TempDir()
	book := filepath.Join(dir, "contacts.vcf")
	vcf := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nORG:Schmidt GmbH\r\nTEL;VALUE=uri:tel:+49-30-1234567\r\nEND:VCARD\r\n"
	if err := os.WriteFile(book, []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	cfg := berlinConfig()
	cfg.Listener.Port = configtest.FreePort(t)
	cfg.Lookup = []config.Lookup{{Kind: "vcard", Path: book}}
	if err := (backend.ConfigFile{Path: cfgPath}).Save(cfg); err != nil {
		t.Fatal(err)
	}
	startRealResident(t, cfgPath)
	cf, err := control.ReadFile(control.FilePath(cfgPath))
	if err != nil {
		t.Fatal(err)
	}
	ctl := control.NewClient(cf, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := backend.NewResident(cfgPath, nil)
	for i := 1; i <= 2; i++ {
		if err := ctl.DemoIncoming(ctx, control.DemoCall{Number: "030 1234567"}); err != nil {
			t.Fatal(err)
		}
		// The next ring once this one is in the journal.
		for {
			calls, err := res.Calls(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) >= i {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("the journal has %d calls after %d rings", len(calls), i)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	a := test.NewTempApp(t)
	p := NewDialPad(a, DialPadDeps{Env: Env{Go: func(f func()) { f() }, Timeout: 30 * time.Second}, Resident: res, Config: &memConfig{cfg: cfg}})
	for name, list := range map[string][]numberUse{"recent": p.recentNums, "frequent": p.frequentNums} {
		if len(list) != 1 || list[0].Name != "Anna Schmidt" {
			t.Errorf("the %s list shows %+v; want Anna Schmidt's number", name, list)
		}
	}
}
