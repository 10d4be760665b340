package control

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// A refusal comes back as the sentence it was when the reply carries one
// that reads as its words; a reply of an older resident (words only), or
// one whose sentence says something else than its words, comes back as
// the words, which the person was always shown.
func TestARefusalComesBackAsItsSentenceWhenItReadsAsItsWords(t *testing.T) {
	refusal := sentence.New("refusal.blocked", "blocked number", nil,
		sentence.New("dialplan.blocked.default", "{{.Number}} is blocked by the rule {{.Pattern}} ({{.Reason}})", map[string]any{
			"Number": `"+49 900 1 234567"`, "Pattern": `"0900*"`, "Reason": sentence.New("dialplan.reason.premium", "premium-rate number", nil, nil),
		}, nil))
	other := ReplyError(refusal)
	other.Error = "something else"
	for _, tc := range []struct {
		name         string
		reply        Reply
		wantSentence bool
		wantText     string
	}{
		{"a sentence", ReplyError(&DialError{Status: http.StatusForbidden, Err: refusal}), true, refusal.Error()},
		{"words only, from an older resident", Reply{Error: refusal.Error()}, false, refusal.Error()},
		{"a sentence that says something else", other, false, "something else"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_ = json.NewEncoder(w).Encode(tc.reply)
			}))
			defer srv.Close()
			_, err := NewClient(File{URL: srv.URL, Token: "t"}, nil).Dial(context.Background(), DialCommand{Number: "0900 1234567"})
			var de *DialError
			if !errors.As(err, &de) || de.Status != http.StatusForbidden {
				t.Fatalf("Dial: %v, want a DialError with 403", err)
			}
			if err.Error() != tc.wantText {
				t.Errorf("Error() = %q; want %q", err.Error(), tc.wantText)
			}
			if got := sentence.Of(err) != nil; got != tc.wantSentence {
				t.Errorf("a sentence: %v; want %v", got, tc.wantSentence)
			}
			if tc.wantSentence && sentence.Translate(err, upper) != sentence.Translate(refusal, upper) {
				t.Errorf("translated %q; want %q", sentence.Translate(err, upper), sentence.Translate(refusal, upper))
			}
		})
	}
}

// upper shows which sentences a translation was asked for.
func upper(key, text string, args map[string]any) string {
	return "[" + key + "] " + sentence.Render(text, args)
}
