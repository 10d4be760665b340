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
