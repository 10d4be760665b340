package auerswald

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseActions(t *testing.T) {
	v14 := []string{"log", "resume", "accept", "terminate", "show", "call", "transfer", "hold", "join", "conference", "dtmf"}
	tests := []struct {
		name    string
		body    string
		want    []string
		wantErr bool
	}{
		{"JSON array", `["log","resume","accept","terminate","show","call","transfer","hold","join","conference","dtmf"]`, v14, false},
		{"wiki sentence", "Version 1.4 supports these commands: log, resume, accept, terminate, show, call, transfer, hold, join, conference, dtmf.",
			append([]string{"version", "supports", "these", "commands"}, v14...), false},
		{"comma list", "log, resume, accept, terminate, show, call, transfer, hold, join, conference, dtmf", v14, false},
		{"lines", "call\nACCEPT\r\nterminate\n", []string{"call", "accept", "terminate"}, false},
		{"object with actions", `{"actions":["call",{"name":"accept"},{"action":"dtmf"}]}`, []string{"call", "accept", "dtmf"}, false},
		{"object keyed by name", `{"terminate":"ends a call","call":"dials"}`, []string{"call", "terminate"}, false},
		{"duplicates", `call call Call`, []string{"call"}, false},
		{"nothing", ``, nil, true},
		{"broken JSON", `["call"`, nil, true},
		{"no names", `{"actions":[1,2,3]}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseActions([]byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseActions() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseResult(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   Result
	}{
		{"200 empty", 200, "", Result{OK: true}},
		{"200 ok JSON", 200, `{"result":"ok"}`, Result{OK: true, Message: "ok"}},
		{"200 with error", 200, `{"error":"line busy"}`, Result{Message: "line busy"}},
		{"200 success false", 200, `{"success":false,"message":"no line"}`, Result{Message: "no line"}},
		{"200 status error", 200, `{"status":"error","msg":"x"}`, Result{Message: "x"}},
		{"400 JSON", 400, `{"error":"unknown action 'foo'"}`, Result{Message: "unknown action 'foo'"}},
		{"404 text", 404, "no call with callId TC@9\nmore", Result{Message: "no call with callId TC@9"}},
		{"500 HTML", 500, "<html><body>Internal</body></html>", Result{}},
		{"long", 400, strings.Repeat("x", 500), Result{Message: strings.Repeat("x", maxMessage) + "…"}},
		{"control characters", 400, "bad\x00\x07 thing", Result{Message: "bad thing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseResult(tt.status, []byte(tt.body)); got != tt.want {
				t.Errorf("ParseResult(%d, %q) = %+v, want %+v", tt.status, tt.body, got, tt.want)
			}
		})
	}
}

func FuzzParseActions(f *testing.F) {
	f.Add([]byte(`["log","resume","accept","terminate","show","call","transfer","hold","join","conference","dtmf"]`))
	f.Add([]byte(`{"actions":["call",{"name":"accept"}]}`))
	f.Add([]byte("call, accept\nterminate"))
	f.Add([]byte(`{"call":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseActions(body)
		if err != nil {
			return
		}
		if len(got) == 0 || len(got) > maxActions {
			t.Fatalf("%d actions", len(got))
		}
		seen := map[string]bool{}
		for _, a := range got {
			if !validAction(a) || seen[a] {
				t.Fatalf("action %q invalid or repeated in %q", a, got)
			}
			seen[a] = true
		}
	})
}

func FuzzParseResult(f *testing.F) {
	f.Add(200, []byte(`{"result":"ok"}`))
	f.Add(400, []byte(`{"error":"unknown action 'foo'"}`))
	f.Add(200, []byte(`{"success":false,"message":"x"}`))
	f.Add(404, []byte("no call\r\n"))
	f.Add(500, []byte("<html/>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		r := ParseResult(status, body)
		if r.OK && (status < 200 || status > 299) {
			t.Fatalf("status %d reported as success", status)
		}
		if utf8.RuneCountInString(r.Message) > maxMessage+1 || strings.ContainsAny(r.Message, "\r\n\x00") {
			t.Fatalf("message %q is not one short line", r.Message)
		}
	})
}
