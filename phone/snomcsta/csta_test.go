package snomcsta

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readAnswer(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "answers", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseAnswer(t *testing.T) {
	invalid := func(v string) *Fault {
		return &Fault{Code: "Client", String: "CSTA Error", Category: "operation", Value: v}
	}
	tests := []struct {
		file    string
		body    string // used when file is empty
		want    Answer
		wantErr bool
	}{
		{file: "ed5_response.xml", want: Answer{Response: "AnswerCallResponse", Edition: "ed5"}},
		{file: "ed5_response_bare.xml", want: Answer{Response: "AnswerCallResponse", Edition: "ed5"}},
		{file: "ed4_response.xml", want: Answer{Response: "AnswerCallResponse", Edition: "ed4"}},
		{file: "ed4_response_snom_source.xml", want: Answer{Response: "MakeCallResponse", Edition: "ed4"}},
		{file: "ed5_fault.xml", want: Answer{Edition: "ed5", Fault: invalid("invalidCallID")}},
		{file: "ed4_fault.xml", want: Answer{Edition: "ed4", Fault: invalid("Invalid CallID")}},
		{file: "ed5_fault_bare.xml", want: Answer{Edition: "ed5", Fault: &Fault{Category: "operation", Value: "invalidCallID"}}},
		{body: `<Envelope><Body><csta:CSTAErrorCode><csta:stateIncompatibility>invalidObjectState</csta:stateIncompatibility></csta:CSTAErrorCode></Body></Envelope>`,
			want: Answer{Fault: &Fault{Category: "stateIncompatibility", Value: "invalidObjectState"}}},
		{body: `<html><body><h1>snom D865</h1></body></html>`, wantErr: true},
		{body: ``, wantErr: true},
		{body: `<Response/>`, wantErr: true},
	}
	for _, tt := range tests {
		name := tt.file
		if name == "" {
			name = tt.body
		}
		t.Run(name, func(t *testing.T) {
			body := []byte(tt.body)
			if tt.file != "" {
				body = readAnswer(t, tt.file)
			}
			got, err := ParseAnswer(body)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseAnswer() error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAnswer() = %+v (fault %+v), want %+v (fault %+v)", got, got.Fault, tt.want, tt.want.Fault)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		value    string
		wantGone bool
		wantSub  string
	}{
		{"invalidCallID", true, ""},
		{"Invalid CallID", true, ""},
		{"invalidConnectionID", true, ""},
		{"invalidCallingDevice", false, "identity"},
		{"requestIncompatibleWithObject", false, "not in a state"},
		{"securityViolation", false, "do not allow"},
		{"somethingNew", false, `"somethingNew"`},
		{"", false, "no reason"},
	}
	for _, tt := range tests {
		detail, gone := explain(tt.value)
		if gone != tt.wantGone || !strings.Contains(detail, tt.wantSub) {
			t.Errorf("explain(%q) = %q, %v; want gone %v and a detail containing %q", tt.value, detail, gone, tt.wantGone, tt.wantSub)
		}
	}
}

func FuzzParseAnswer(f *testing.F) {
	for _, name := range []string{"ed5_response.xml", "ed5_response_bare.xml", "ed4_response.xml",
		"ed4_response_snom_source.xml", "ed5_fault.xml", "ed5_fault_bare.xml", "ed4_fault.xml"} {
		f.Add(readAnswer(f, name))
	}
	f.Add([]byte(`<CSTAErrorCode><operation>`))
	f.Add([]byte(`<a:b xmlns:a="x"><c:dResponse/></a:b>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := ParseAnswer(body)
		if err != nil {
			if a.Fault != nil {
				t.Fatalf("error %v together with a fault %+v", err, a.Fault)
			}
			return
		}
		if (a.Response == "") == (a.Fault == nil) {
			t.Fatalf("answer %+v must be either a response or a fault", a)
		}
		if a.Edition != "" && a.Edition != "ed4" && a.Edition != "ed5" {
			t.Fatalf("edition %q", a.Edition)
		}
		if a.Fault != nil && len(a.Fault.Value) > 1024 {
			t.Fatalf("fault value of %d bytes", len(a.Fault.Value))
		}
	})
}

func BenchmarkParseAnswer(b *testing.B) {
	for _, name := range []string{"ed5_response.xml", "ed4_fault.xml"} {
		body := readAnswer(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := ParseAnswer(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
