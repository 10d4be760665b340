package actionurl

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

// The number goes on as the client wrote it, percent-decoded: a raw '+'
// stays a '+' wherever it stands, so the dialing rules see the same text as
// for the same number typed anywhere else.
func TestParseDialHandsOnTheNumberAsWritten(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"target=%2B4930", "+4930"},
		{"target=+4930", "+4930"},
		{"target=%2B49+30+1234", "+49+30+1234"},
		{"target=+49+30", "+49+30"},
		{"target=%20%2B49", " +49"},
		{"target=0301234%23", "0301234#"},
		{"target=100%", "100%"},
		{"target=tel%3A%2B1-201-555-0123", "tel:+1-201-555-0123"},
		{"target=tel:+1-201-555-0123", "tel:+1-201-555-0123"},
		{"target=callto://+4930123", "callto://+4930123"},
		{"target=sip%3A%2B4930123%40pbx%3Buser%3Dphone", "sip:+4930123@pbx;user=phone"},
	}
	for _, tt := range tests {
		got, err := ParseDial("GET", "/", "action=make_call&"+tt.raw, "")
		if err != nil {
			t.Fatalf("%s: %v", tt.raw, err)
		}
		if got.Number != tt.want {
			t.Errorf("%s: Number = %q, want %q", tt.raw, got.Number, tt.want)
		}
	}
}

// TestParseDialTheFirstValueWins: a parameter given twice counts the
// first time, and a POST body only adds what the query lacks, so that
// nothing appended to a link a person checked can change the number.
func TestParseDialTheFirstValueWins(t *testing.T) {
	tests := []struct {
		name, method, path, query, body string
		wantNumber, wantIdentity        string
	}{
		{"native, target twice", "GET", "/", "action=make_call&target=0301234&target=09001234567", "", "0301234", ""},
		{"snom, number twice", "GET", "/command.htm", "number=204&number=0900123&outgoing_uri=a%40b&outgoing_uri=c%40d", "", "204", "a@b"},
		{"yealink, key twice", "GET", "/servlet", "key=number=204&key=number=0900123", "", "204", ""},
		{"grandstream, phonenumber twice", "GET", "/cgi-bin/api-make_call", "phonenumber=204&phonenumber=0900123", "", "204", ""},
		{"POST body does not override the query", "POST", "/command.htm", "number=204", "number=0900123&outgoing_uri=x%40y", "204", "x@y"},
		{"POST body, number twice", "POST", "/command.htm", "", "number=204&number=0900123", "204", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDial(tt.method, tt.path, tt.query, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if got.Number != tt.wantNumber || got.Identity != tt.wantIdentity {
				t.Errorf("number %q, identity %q; want %q, %q", got.Number, got.Identity, tt.wantNumber, tt.wantIdentity)
			}
		})
	}
}

func TestParseDialNotADial(t *testing.T) {
	for _, path := range []string{"/favicon.ico", "/robots.txt", "/command.htm/x"} {
		if _, err := ParseDial("GET", path, "number=1", ""); !errors.Is(err, ErrNotDial) {
			t.Errorf("%s: err = %v, want ErrNotDial", path, err)
		}
	}
	if _, err := ParseDial("GET", "/", "", ""); !errors.Is(err, ErrNotDial) {
		t.Errorf("bare /: err = %v, want ErrNotDial", err)
	}
}

func BenchmarkParseDial(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDial("GET", "/servlet", "key=number=%2B49301234567&outgoing_uri=101%40pbx.example", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseDial: whatever arrives, the parser answers without panicking,
// and what it accepts has a number and a bounded identity free of control
// characters (the number itself is judged by the dialing rules).
func FuzzParseDial(f *testing.F) {
	for _, s := range []struct{ method, path, query, body string }{
		{"GET", "/", "action=make_call&target=123", ""},
		{"GET", "/command.htm", "number=%2B4930&outgoing_uri=a%40b", ""},
		{"POST", "/command.htm", "", "number=0301234"},
		{"GET", "/servlet", "key=number=+49+30", ""},
		{"GET", "/cgi-bin/api-make_call", "phonenumber=1&account=0&password=x", ""},
		{"GET", "/cgiServer.exx", "number=%zz", ""},
	} {
		f.Add(s.method, s.path, s.query, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		req, err := ParseDial(method, path, query, body)
		if err != nil {
			return
		}
		if req.Number == "" {
			t.Fatalf("accepted no number from %s?%s", path, query)
		}
		if len(req.Identity) > 256 || strings.IndexFunc(req.Identity, unicode.IsControl) >= 0 {
			t.Fatalf("accepted the identity %q", req.Identity)
		}
	})
}
