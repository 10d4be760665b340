package commands

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
)

// TestFirstStartWritesTheDefaultsAndSaysHowToPair: the first start writes
// the file a missing one means (the demo phone commented, not pinned) with
// the new pairing token, and says in one line how to pair a real phone.
func TestFirstStartWritesTheDefaultsAndSaysHowToPair(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	var log bytes.Buffer
	token, err := phoneevents.EnsurePairingToken(path, config.Default(), NewLogger(&log))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := config.Default()
	want.Phone.PairingToken = token
	if got := string(data); got != string(config.Render(want)) || !strings.Contains(got, "\n# brand = \"demo\" ") {
		t.Errorf("the first start wrote:\n%s", got)
	}
	if n := strings.Count(log.String(), `choose \"Pair a phone…\" in the tray or run \"dialbridge ui pair\"`); n != 1 {
		t.Errorf("the log says %d times how to pair a phone, want once:\n%s", n, log.String())
	}
}

// TestPairingURLsPrintsTheLANDialURLAndFingerprint: with the LAN socket
// open to other computers over HTTPS, pairing-urls gives the phone https
// URLs, the dial URL for the other computers and the SHA-256 of the
// certificate it made beside the config (the one the resident serves).
func TestPairingURLsPrintsTheLANDialURLAndFingerprint(t *testing.T) {
	dir := t.TempDir()
	cfgPath := configtest.Write(t, dir, `
[listener]
port = 61234
lan_address = "192.0.2.5"
allow_ips = ["192.0.2.20"]
username = "crm"
lan_tls = true

[phone]
brand = "yealink"
address = "http://192.0.2.10"
`)
	text := pairingURLs(t, cfgPath)
	fp, ok, err := lancert.Fingerprint(cfgPath)
	if err != nil || !ok {
		t.Fatalf("no certificate beside the config: %v", err)
	}
	for _, want := range []string{
		"action_url.incoming_call = https://192.0.2.5:61234/phone/",
		"dial_request_url = https://192.0.2.5:61234/?action=make_call&target=NUMBER\n",
		"lan_tls_sha256 = " + fp + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("pairing-urls printed\n%s\nwant a line with %q", text, want)
		}
	}
}

// TestPairingURLsCommand: pairing-urls makes and saves a pairing token of
// the one strength, and prints the same settings each time.
func TestPairingURLsCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := configtest.Write(t, dir, `
[listener]
port = 61234
phone_events_address = "192.0.2.5"

[phone]
brand = "yealink"
address = "http://192.0.2.10"
`)
	text := pairingURLs(t, cfgPath)
	saved, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	token := saved.Phone.PairingToken
	// The token the resident makes has the one strength the wizard's has.
	if len(token) != control.PairingTokenBits/4 {
		t.Fatalf("the pairing token %q was not saved with %d bits", token, control.PairingTokenBits)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	vars := "?call_id=$call_id&local=$local&display_local=$display_local&remote=$remote&display_remote=$display_remote"
	base := "http://192.0.2.5:61234/phone/" + token + "/yealink/"
	want := []string{
		"action_url.incoming_call = " + base + "incoming" + vars,
		"action_url.outgoing_call = " + base + "outgoing" + vars,
		"action_url.call_established = " + base + "connected" + vars,
		"action_url.call_terminated = " + base + "disconnected" + vars,
		"action_url.missed_call = " + base + "missed" + vars,
		"action_url.hold = " + base + "hold" + vars,
		"action_url.unhold = " + base + "unhold" + vars,
		// The phone takes dials only from the computer it lists.
		"features.action_uri_limit_ip = 192.0.2.5",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// A second run prints the same: the token is kept.
	if again := pairingURLs(t, cfgPath); again != text {
		t.Errorf("second run differs:\n%s", again)
	}

	// The demo phone is reached on loopback; Snom's hidden firewall-test
	// URL is for automatic pairing only.
	demo := configtest.Write(t, t.TempDir(), "[listener]\nport = 40000\n")
	text = pairingURLs(t, demo)
	if !strings.HasPrefix(text, "action_incoming_url = http://127.0.0.1:40000/phone/") || strings.Contains(text, "fwtest") {
		t.Errorf("demo:\n%s", text)
	}
	if n := strings.Count(text, "\n"); n != 11 { // seven call events, DND and forwarding on and off
		t.Errorf("demo: %d lines", n)
	}
	// Forwarding switched at the phone is reported with its target.
	if !strings.Contains(text, "\naction_redirection_on_url = http://127.0.0.1:40000/phone/") ||
		!strings.Contains(text, "/snom/forward_on?remote=$fwd_all_target1\n") {
		t.Errorf("demo: no redirection action URL with the target:\n%s", text)
	}
}

// pairingURLs runs `dialbridge pairing-urls --config cfgPath` and returns
// what it printed.
func pairingURLs(t *testing.T, cfgPath string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := PairingURLs(context.Background(), []string{"--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	return out.String()
}
