package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// TestPremiumNumbersDialOnlyWhenTyped goes through the entries a person
// uses, with the resident's own dialing rules (Germany: 0900, 0137, 0138
// and 118 are blocked): a link, a web page's request or a phone link
// never makes the phone dial a premium number, while a number the person
// typed into dialbridge (dial pad, `dialbridge dial`) does.
func TestPremiumNumbersDialOnlyWhenTyped(t *testing.T) {
	sim, _, err := brandsim.StartDialer("snom", phonesim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	_, c, port := startCallsResident(t, fmt.Sprintf("[phone]\nbrand = \"snom\"\naddress = %q\n[dialing]\ncountry = \"DE\"\narea_code = \"30\"\n", sim.URL()))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	ctx := context.Background()

	for _, target := range []string{
		"/?action=make_call&target=0900%201234567",
		"/?action=make_call&target=%2B49%20900%201234567",
		"/command.htm?number=01371234567",
		"/servlet?key=number=11833",
	} {
		status, body := get(t, base+target)
		if status != http.StatusForbidden || !strings.Contains(body, "blocked") {
			t.Errorf("GET %s: %d %q, want 403 naming the blocked rule", target, status, body)
		}
	}
	var de *control.DialError
	_, err = c.Dial(ctx, control.DialCommand{Number: "tel:+49-900-1234567", Source: "phone link"})
	if !asDialError(err, &de) || de.Status != http.StatusForbidden {
		t.Errorf("phone link to a premium number: %v, want 403", err)
	}
	if d := sim.Dialed(); len(d) != 0 {
		t.Fatalf("the phone dialed %v from links and pages, want nothing", d)
	}

	dialed, err := c.Dial(ctx, control.DialCommand{Number: "0900 1234567", Typed: true, Source: "dial pad"})
	if err != nil {
		t.Fatalf("typed premium number: %v, want it dialed", err)
	}
	if d := sim.Dialed(); len(d) != 1 || d[0].Number != dialed || dialed != "09001234567" {
		t.Errorf("the phone dialed %v (answer %q), want 09001234567 once", d, dialed)
	}
}
