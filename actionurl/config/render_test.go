package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestRenderedFileLoadsAsTheConfig: what dialbridge writes reads back as
// the config it wrote, defaults and all.
func TestRenderedFileLoadsAsTheConfig(t *testing.T) {
	withToken := Default()
	withToken.Phone.PairingToken = "0123456789abcdef0123456789abcdef"
	blockNothing := Default()
	blockNothing.Dialing.Blocked = []string{}
	custom := Default()
	custom.Phone = Phone{Brand: "snom", Address: "http://192.0.2.10", Username: "admin"}
	custom.Dialing = Dialing{Country: "AT", AreaCode: "1", OutsideLine: "0", InternalMaxDigits: 3, Format: "e164", Blocked: []string{"0900*"}}
	custom.Listener.AllowedOrigins = []string{"https://crm.example"}
	custom.Outgoing = []Outgoing{{Event: "inbound", URL: "https://crm.example/call?nr=<$remote_party>", Enabled: true}}
	custom.Lookup = []Lookup{{Kind: "vcard", Path: "~/contacts.vcf"}, {Kind: "url", URL: "https://crm.example/lookup?nr=<$remote_party>", Username: "me"},
		{Kind: "ldap", URL: "ldaps://dir.example", BaseDN: "ou=people,dc=example,dc=com", NumberAttributes: []string{"telephoneNumber"}}}
	withKeys := custom
	withKeys.Phone.Model = "D785"
	withKeys.Phone.Keys = []PhoneKey{{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"},
		{Key: 2, Label: `Büro "Nord"`, Action: "dial:030 123456"}, {Key: 15, Label: "Hold", Action: "keys:F_HOLD,50,200;ENTER"}}
	sipPhone := Default()
	sipPhone.Phone = Phone{Brand: "sip", Address: "sip:101@192.0.2.10:5060", Username: "101", SIPDomain: "pbx.example"}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"the defaults", Default()},
		{"first start: a pairing token", withToken},
		{"an empty blocked list blocks nothing", blockNothing},
		{"a real phone and rules of its own", custom},
		{"a SIP phone and its PBX domain", sipPhone},
		{"function keys bound to dialbridge", withKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := Render(tt.cfg)
			got, err := Parse(file)
			if err != nil {
				t.Fatalf("the rendered file does not load: %v\n%s", err, file)
			}
			if !reflect.DeepEqual(normal(got), normal(tt.cfg)) {
				t.Errorf("read back\n%+v\nwant\n%+v\nfile:\n%s", got, tt.cfg, file)
			}
		})
	}
}

// normal makes unset lists empty, except blocked, where unset and empty
// differ (the country's premium ranges, nothing).
func normal(c Config) Config {
	for _, l := range []*[]string{&c.Listener.AllowIPs, &c.Listener.AllowedOrigins} {
		if *l == nil {
			*l = []string{}
		}
	}
	return c
}

func TestRenderShowsTheDefaultsInForce(t *testing.T) {
	file := string(Render(Default()))
	for _, want := range []string{
		"\n# brand = \"demo\" ", // the default, not pinned
		"\n# format = \"national\" ",
		"\n# blocked = [\"0900*\", \"0137*\", \"0138*\", \"0180*\", \"118*\"] ",
		"\n# [[outgoing]] ",
	} {
		if !strings.Contains(file, want) {
			t.Errorf("the file lacks %q:\n%s", want, file)
		}
	}
	withToken := Default()
	withToken.Phone.PairingToken = "abc"
	if !strings.Contains(string(Render(withToken)), "\npairing_token = \"abc\" ") {
		t.Errorf("a value that is not the default is not set:\n%s", Render(withToken))
	}
}

// TestREADMEShowsWhatAMissingFileMeans: the README's config block is the
// file dialbridge writes for a missing one, line for line.
func TestREADMEShowsWhatAMissingFileMeans(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Configuration\n")
	if !ok {
		t.Fatal("the README has no Configuration section")
	}
	_, block, ok := strings.Cut(section, "```toml\n")
	block, _, ok2 := strings.Cut(block, "```\n")
	if !ok || !ok2 {
		t.Fatal("the Configuration section has no toml block")
	}
	if want := string(Render(Default())); block != want {
		t.Errorf("the README's block differs from the file for a missing one; put this in:\n%s", want)
	}
}
