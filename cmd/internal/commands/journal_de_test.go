package commands

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
)

// TestJournalCommandSaysWhyADeliveryFailedInThePersonsLanguage: a
// delivery the real sender could not make (a CRM port where nothing
// listens) is stored in the real journal; `dialbridge journal` words the
// call, the delivery and its reason in German for a German person, with
// the columns as wide as the German words, and in the English the log
// reads for an English one.
func TestJournalCommandSaysWhyADeliveryFailedInThePersonsLanguage(t *testing.T) {
	cfg := savedConfig(t, config.Default())
	crm := net.JoinHostPort("127.0.0.1", strconv.Itoa(configtest.FreePort(t)))
	d := outgoing.Delivery{ID: 1, CallGUID: "g1", Action: phone.ActionInbound, URL: "http://" + crm + "/in?nr=42",
		Mode: outgoing.ModeBackground, Status: outgoing.StatusPending, Attempts: 1, Created: time.Now().Add(-time.Minute)}
	res := outgoing.NewHTTPSender(1, "test").Send(context.Background(), d)
	if res.Err == nil {
		t.Fatalf("%s answered although nothing listens there", crm)
	}
	d.LastError, d.Says = res.Err.Error(), sentence.ToWire(res.Err)
	j, err := journal.Open(journal.PathFor(cfg))
	if err != nil {
		t.Fatal(err)
	}
	j.RecordCall(phone.Call{ID: "1", GUID: "g1", Direction: phone.Inbound, Remote: "42", Created: d.Created}, nil)
	j.AddDeliveries([]outgoing.Delivery{d}, nil)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ language, want, call, delivery string }{
		{"de", crm + " ist nicht erreichbar: die Verbindung wurde abgelehnt (unter dieser Adresse und diesem Port antwortet nichts)",
			"  eingehend  läuft  ", "eingehend    wartet  "},
		{"en", crm + " cannot be reached: the connection was refused (nothing answers at that address and port)",
			"  inbound   active  ", "inbound      pending  "},
	} {
		t.Run(tc.language, func(t *testing.T) {
			i18ntest.UseLanguage(t, tc.language)
			var out, errOut bytes.Buffer
			if err := Journal(context.Background(), []string{"--config", cfg}, &out, &errOut); err != nil {
				t.Fatalf("%v\n%s", err, errOut.String())
			}
			var got string
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.Contains(line, crm) && !strings.Contains(line, "http://") {
					got = strings.TrimSpace(line)
				}
			}
			if got != tc.want {
				t.Errorf("the reason reads %q\nwant %q\nin:\n%s", got, tc.want, out.String())
			}
			lines := strings.Split(out.String(), "\n")
			if !strings.Contains(lines[0], tc.call) {
				t.Errorf("the call reads %q; want the words %q", lines[0], tc.call)
			}
			if !strings.HasPrefix(strings.TrimSpace(lines[1]), tc.delivery) {
				t.Errorf("the delivery reads %q; want it to start %q", lines[1], tc.delivery)
			}
			if url, reason := strings.Index(lines[1], "http://"), len(lines[2])-len(strings.TrimLeft(lines[2], " ")); url != reason {
				t.Errorf("the reason starts in column %d, the URL above it in %d:\n%s", reason, url, out.String())
			}
		})
	}
}

// savedConfig is the path of cfg saved as a config file in a directory of
// its own, for a command's --config.
func savedConfig(t *testing.T, cfg config.Config) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := config.Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	return path
}
