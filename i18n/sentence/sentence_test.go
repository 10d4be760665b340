package sentence

import (
	"errors"
	"fmt"
	"testing"
)

// upper is a stand-in for lang.X that shows which sentences it was asked
// for: the key in brackets, then the English text filled in.
func upper(key, text string, args map[string]any) string {
	return "[" + key + "] " + Render(text, args)
}

func TestTranslateWordsEverySentenceAndLeavesOtherWordsAlone(t *testing.T) {
	cause := errors.New("stat x: no such file")
	inner := New("file", "the file {{.Path}} cannot be read", map[string]any{"Path": "x"}, cause)
	outer := New("source", "{{.Source}}", map[string]any{"Source": "vcard x"}, inner)
	for _, tc := range []struct {
		name      string
		err       error
		english   string
		translate string
	}{
		{"nested, with a cause of other words", outer, "vcard x: the file x cannot be read: stat x: no such file",
			"[source] vcard x: [file] the file x cannot be read: stat x: no such file"},
		{"joined, one a line", errors.Join(inner, errors.New("plain")), "the file x cannot be read: stat x: no such file\nplain",
			"[file] the file x cannot be read: stat x: no such file\nplain"},
		{"wrapped in other words", fmt.Errorf("reading: %w", inner), "reading: the file x cannot be read: stat x: no such file",
			"reading: the file x cannot be read: stat x: no such file"},
		{"a value that reads like a placeholder", New("match", "{{.Who}} — from {{.Source}}", map[string]any{"Who": "{{.Source}}", "Source": "csv"}, nil),
			"{{.Source}} — from csv", "[match] {{.Source}} — from csv"},
		{"a value that is a sentence itself", New("of", "too short for {{.Country}}", map[string]any{"Country": New("cc", "the country code {{.Code}}", map[string]any{"Code": "+882"}, nil)}, nil),
			"too short for the country code +882", "[of] too short for [cc] the country code +882"},
		{"an error of its own type that says itself", sayer{}, "blocked by 0900*", "[blocked] blocked by 0900*"},
		{"a region, in English as its code", New("in", "a number of {{.Region}}", map[string]any{"Region": Region("DE")}, nil),
			"a number of DE", "[in] a number of DE"},
		{"nothing", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err != nil && tc.err.Error() != tc.english {
				t.Errorf("Error() = %q; want %q", tc.err.Error(), tc.english)
			}
			if got := Translate(tc.err, upper); got != tc.translate {
				t.Errorf("Translate = %q; want %q", got, tc.translate)
			}
		})
	}
	if !errors.Is(outer, cause) {
		t.Error("the cause is lost for errors.Is")
	}
}

// sayer is an error type of its own with a Sentence, as a refusal that
// callers tell apart with errors.As is.
type sayer struct{}

func (sayer) Error() string { return "blocked by 0900*" }
func (sayer) Sentence() *Sentence {
	return New("blocked", "blocked by {{.Rule}}", map[string]any{"Rule": "0900*"}, nil)
}
