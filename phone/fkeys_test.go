package phone

import (
	"slices"
	"testing"
)

// The model comes from the User-Agent of the phone's requests.
func TestTheModelIsReadFromTheUserAgent(t *testing.T) {
	agents := []string{"snom D785-SIP 10.1.159.12", "snomD735-SIP 10.1.33.33", "Yealink SIP-T54W 96.86.0.100", "Go-http-client/1.1", ""}
	want := []string{"D785", "D735", "T54W", "", ""}
	got := make([]string, len(agents))
	for i, a := range agents {
		got[i] = ModelOf(a)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ModelOf(%q) = %q, want %q", agents, got, want)
	}
}
