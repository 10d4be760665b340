package config

import (
	"reflect"
	"testing"
)

// TestBrandSettingsAreCheckedByKey: a brand's own rules (here the sip
// brand's address and PBX domain) come back under the config key they
// concern, before any dial fails.
func TestBrandSettingsAreCheckedByKey(t *testing.T) {
	tests := []struct {
		name  string
		phone Phone
		want  []string // "key: message"
	}{
		{name: "a SIP phone with its PBX domain", phone: Phone{Brand: "sip", Address: "sip:101@192.0.2.10:5060", SIPDomain: "pbx.example"}},
		{name: "a SIP phone over TCP, a domain with a port", phone: Phone{Brand: "sip", Address: "sip:101@192.0.2.10;transport=tcp", SIPDomain: "192.0.2.1:5060"}},
		{name: "a SIP phone at a web address", phone: Phone{Brand: "sip", Address: "http://192.0.2.10", SIPDomain: "pbx.example"},
			want: []string{`phone.address: "http://192.0.2.10" is not a SIP address; write it as sip:101@192.0.2.10:5060`}},
		{name: "a SIP phone without a PBX domain", phone: Phone{Brand: "sip", Address: "sip:101@192.0.2.10"},
			want: []string{`phone.sip_domain: is empty; set the domain of the PBX the phone is registered with, e.g. "pbx.example"`}},
		{name: "a PBX domain that would break the header", phone: Phone{Brand: "sip", Address: "sip:101@192.0.2.10", SIPDomain: "pbx.example>\r\nX: y"},
			want: []string{`phone.sip_domain: "pbx.example>\r\nX: y" is not a domain like "pbx.example" or "192.0.2.1:5060"`}},
		{name: "no address at all is said once", phone: Phone{Brand: "sip", SIPDomain: "pbx.example"},
			want: []string{`phone.address: is empty; set the phone's address, e.g. "http://192.0.2.10"`}},
		{name: "a brand without rules of its own", phone: Phone{Brand: "snom", Address: "http://192.0.2.10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Phone = tc.phone
			var got []string
			for _, p := range cfg.Validate() {
				got = append(got, p.Msg)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAMalformedHotkeyIsNamedByKeyAndLine: a hotkey the resident could not
// grab is refused when the file is read, at its line, like every other
// mistake, and a valid one is kept as written.
func TestAMalformedHotkeyIsNamedByKeyAndLine(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"a valid combination", "[desktop]\nhotkey = \"ctrl+alt+d\"\n", ""},
		{"off", "[desktop]\nhotkey = \"\"\n", ""},
		{"an unknown key", "[dialing]\ncountry = \"DE\"\n\n[desktop]\nhotkey = \"ctrl+alt+dd\"\n",
			`line 5: desktop.hotkey: "ctrl+alt+dd": "dd" is not a key dialbridge can use (a to z, 0 to 9, f1 to f12, space), e.g. "ctrl+alt+d"`},
		{"a letter alone", "[desktop]\nhotkey = \"d\"\n",
			`line 2: desktop.hotkey: "d" needs Ctrl, Alt or Super with the key, or it would take the key away from typing`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tc.file))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Parse = %q, want %q", got, tc.want)
			}
			if err == nil && cfg.Desktop.Hotkey == "" && tc.name == "a valid combination" {
				t.Error("the hotkey was lost")
			}
		})
	}
}
