package config

import (
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

func TestConfigCheck(t *testing.T) {
	data := `
[phone]
brand = "demo"

[[outgoing]]
event = "inbound"
url = "https://crm.example/?nr=<$remote_party>"
enabled = true

[[outgoing]]
event = "connected"
url = "https://crm.example/?nr=<$caller_number>"
enabled = false

[[outgoing]]
event = "hold"
url = "javascript:alert(<$remote_alias>)"
enabled = true
`
	_, err := Parse([]byte(data))
	if err == nil {
		t.Fatal("the config check passed")
	}
	msg := err.Error()
	for _, want := range []string{
		"line 12: outgoing[2].url: unknown placeholder <$caller_number>",
		"line 17: outgoing[3].url: \"javascript:alert(x)\" is not an http:// or https:// URL",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("config check said:\n%s\nwant a line %q", msg, want)
		}
	}
	if strings.Contains(msg, "outgoing[1]") {
		t.Errorf("a good URL was reported:\n%s", msg)
	}
}

// OutgoingRules compiles the enabled URLs only, each with its place in
// the file and its mode.
func TestOutgoingRulesCompilesTheEnabledURLs(t *testing.T) {
	rs, err := OutgoingRules([]Outgoing{
		{Event: "disconnected", URL: "https://crm.example/end?guid=<$call_guid>", Enabled: true},
		{Event: "disconnected", URL: "https://crm.example/popup?nr=<$remote_party>", Enabled: true, OpenInBrowser: true},
		{Event: "disconnected", URL: "https://crm.example/off", Enabled: false},
		{Event: "inbound", URL: "https://crm.example/in", Enabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		action phone.Action
		url    string
		mode   outgoing.Mode
		index  int
	}
	var gots []got
	for _, r := range rs {
		gots = append(gots, got{r.Action, r.Template.String(), r.Mode, r.Index})
	}
	want := []got{
		{phone.ActionDisconnected, "https://crm.example/end?guid=<$call_guid>", outgoing.ModeBackground, 1},
		{phone.ActionDisconnected, "https://crm.example/popup?nr=<$remote_party>", outgoing.ModeBrowser, 2},
		{phone.ActionInbound, "https://crm.example/in", outgoing.ModeBackground, 4},
	}
	if len(gots) != len(want) {
		t.Fatalf("got %+v, want %+v", gots, want)
	}
	for i := range want {
		if gots[i] != want[i] {
			t.Errorf("rule %d: got %+v, want %+v", i, gots[i], want[i])
		}
	}
	if _, err := OutgoingRules([]Outgoing{{Event: "inbound", URL: "https://x/<$bad>", Enabled: true}}); err == nil {
		t.Error("OutgoingRules accepted an unknown placeholder")
	}
}

// Validate reports the parts with a file of their own by itself: this test
// links no package but config and what it imports, and still sees every
// problem.
func TestValidateChecksEveryPartWithoutRegistration(t *testing.T) {
	cfg := Default()
	cfg.Listener.LANAddress = "my-pc"
	cfg.Phone.PairingToken = "short"
	cfg.Outgoing = []Outgoing{{Event: "inbound", URL: "https://x/<$bad>", Enabled: true}}
	var keys []string
	for _, p := range cfg.Validate() {
		keys = append(keys, p.Key)
	}
	want := "[listener.lan_address phone.pairing_token outgoing[1].url]"
	got := "[" + strings.Join(keys, " ") + "]"
	if !strings.Contains(got, "listener.lan_address") || !strings.Contains(got, "phone.pairing_token") || !strings.Contains(got, "outgoing[1].url") {
		t.Errorf("problems with %s, want %s", got, want)
	}
}
