package sip

import (
	"strings"
	"testing"
)

func TestParseSipfragReadsTheStatusLine(t *testing.T) {
	tests := []struct {
		body    string
		want    Status
		wantErr string
	}{
		{body: "SIP/2.0 100 Trying\r\n", want: Status{100, "Trying"}},
		{body: "SIP/2.0 200 OK", want: Status{200, "OK"}},
		{body: "SIP/2.0 180 Ringing\r\nContact: <sip:030123456@pbx.example>\r\n", want: Status{180, "Ringing"}},
		{body: "SIP/2.0 486 Busy Here\n", want: Status{486, "Busy Here"}},
		{body: "SIP/2.0 603", want: Status{603, ""}},
		{body: "", wantErr: "not a SIP status line"},
		{body: "HTTP/1.1 200 OK", wantErr: "not a SIP status line"},
		{body: "SIP/2.0 2000 OK", wantErr: "bad status code"},
		{body: "SIP/2.0 099 Early", wantErr: "bad status code"},
		{body: "SIP/2.0 700 Beyond", wantErr: "bad status code"},
		{body: "SIP/2.0 +20 OK", wantErr: "bad status code"},
		{body: "SIP/2.0 200 O\x1bK", wantErr: "control characters"},
	}
	for _, tc := range tests {
		got, err := ParseSipfrag([]byte(tc.body))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err = %v, want %q", tc.body, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %+v, %v; want %+v", tc.body, got, err, tc.want)
		}
	}
}

func TestFinalStatusesEndTheReferral(t *testing.T) {
	for code, want := range map[int]bool{100: false, 183: false, 199: false, 200: true, 404: true, 603: true} {
		if got := (Status{Code: code}).Final(); got != want {
			t.Errorf("Status %d Final() = %v, want %v", code, got, want)
		}
	}
}

// FuzzParseSipfrag: whatever a phone puts in a NOTIFY body, the parser
// either refuses it or returns a status code from 100 to 699 whose line
// printed again parses to the same status, without control characters.
func FuzzParseSipfrag(f *testing.F) {
	for _, s := range []string{"SIP/2.0 100 Trying\r\n", "SIP/2.0 200 OK", "SIP/2.0 180 Ringing\r\nX: y\r\n", "SIP/2.0 603", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := ParseSipfrag(body)
		if err != nil {
			return
		}
		if st.Code < 100 || st.Code > 699 {
			t.Fatalf("%q: code %d", body, st.Code)
		}
		if strings.ContainsAny(st.Reason, "\r\n\x00") {
			t.Fatalf("%q: reason %q", body, st.Reason)
		}
		again, err := ParseSipfrag([]byte("SIP/2.0 " + st.String()))
		if err != nil || again != st {
			t.Fatalf("%q: %+v printed and parsed again gives %+v, %v", body, st, again, err)
		}
	})
}
