package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/lookup/lookuptest"
	"github.com/dialbridge/dialbridge/i18n"
)

// The running resident tells how its caller lookup sources are doing
// after a call asked them: the address book read with its numbers, the
// CRM that refused the password. `dialbridge lookup --status` prints the
// lines the control API's answer words, source by source.
func TestLookupStatusShowsTheRunningResidentsSourcesAfterACall(t *testing.T) {
	book := lookuptest.Book(t, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schmidt\r\nTEL:030 1234567\r\nEND:VCARD\r\n")
	crm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) }))
	defer crm.Close()
	r, c, _ := startCallsResident(t, fmt.Sprintf(`
[phone]
brand = "demo"

[dialing]
country = "DE"
area_code = "30"

[[lookup]]
kind = "vcard"
path = %q

[[lookup]]
kind = "url"
url = "%s/?nr=<$remote_party>"
`, book, crm.URL))
	ctx := context.Background()
	if err := c.DemoIncoming(ctx, control.DemoCall{Number: "030 7654321"}); err != nil {
		t.Fatal(err)
	}
	sources := poll(t, 10*time.Second, func() ([]control.LookupSource, error) { return c.LookupSources(ctx) },
		func(s []control.LookupSource) bool { return len(s) == 2 && s[1].At != nil }, "the CRM was never asked")
	host := strings.TrimPrefix(crm.URL, "http://")
	want := []struct{ label, line string }{
		{"vcard " + book, "Read at {{.Time}}: 1 number"},
		{"url " + host, "Asked at {{.Time}}: the CRM at " + host + " refused the user name or password (HTTP 401)"},
	}
	now := time.Now()
	var printed strings.Builder
	for i, w := range want {
		got := sources[i]
		if got.At == nil {
			t.Fatalf("source %d has no time: %+v", i+1, got)
		}
		line := strings.ReplaceAll(w.line, "{{.Time}}", got.At.Local().Format("15:04"))
		if text := i18n.Error(lookup.StatusOf(got).Line(now)); got.Label != w.label || text != line {
			t.Errorf("source %d: %q says %q; want %q saying %q", i+1, got.Label, text, w.label, line)
		}
		fmt.Fprintf(&printed, "%s: %s\n", w.label, line)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"lookup", "--status", "--config", r.ConfigPath()}, &out, &errOut); code != 0 || out.String() != printed.String() {
		t.Errorf("lookup --status: exit %d, stderr %q, printed\n%s\nwant\n%s", code, errOut.String(), out.String(), printed.String())
	}
}
