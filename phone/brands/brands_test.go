package brands

import "testing"

func TestDetectFindsTheBrandInWhatThePhoneSays(t *testing.T) {
	tests := []struct{ text, want string }{
		{`Digest realm="snom D785"`, "snom"},
		{"Yealink SIP-T54W", "yealink"},
		{"COMfortel D-400", "auerswald"},
		{"PolycomVVX-VVX_450-UA/6.4.3", "polycom"},
		{"Grandstream GXP2170", "grandstream"},
		{"Fanvil X6U", "fanvil"},
		{"Cisco CP-8845", "cisco"},
		{"lighttpd/1.4", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestEventFormatsComeFromTheDescriptors(t *testing.T) {
	tests := []struct {
		brand, wantFormat string
		wantOK            bool
	}{
		{"snom", "snom", true},
		{"snom-csta", "snom", true},
		{"demo", "snom", true},
		{"yealink", "yealink", true},
		{"auerswald", "auerswald", true},
		{"grandstream", "grandstream", true},
		{"polycom", "", false},
		{"fanvil", "", false},
		{"cisco", "", false},
		{"panasonic", "", false},
	}
	for _, tt := range tests {
		f, ok := EventFormat(tt.brand)
		if ok != tt.wantOK || f.Name != tt.wantFormat {
			t.Errorf("EventFormat(%q) = %q, %v, want %q, %v", tt.brand, f.Name, ok, tt.wantFormat, tt.wantOK)
		}
	}
	if got := len(EventFormats()); got != 4 {
		t.Errorf("EventFormats() has %d formats, want 4 (snom, yealink, auerswald, grandstream)", got)
	}
}

func TestOnlyTheDemoPhoneIsBuiltIn(t *testing.T) {
	if _, _, err := StartSimulator("yealink"); err == nil {
		t.Error(`StartSimulator("yealink") started a simulator; the programs ship only the demo phone`)
	}
	sim, s, err := StartSimulator(Demo)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if s.Brand != "snom" || s.Address != sim.URL() {
		t.Errorf("demo settings = %+v, want the Snom simulator at %s", s, sim.URL())
	}
}
