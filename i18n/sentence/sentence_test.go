package sentence

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
		{"two wrapped with words between, not a list", New("slow", "no answer", nil, fmt.Errorf("%w: %w", errors.New("timed out"), errors.New("dial tcp"))),
			"no answer: timed out: dial tcp", "[slow] no answer: timed out: dial tcp"},
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

// A sentence sent as JSON and built again reads as before, in English and
// translated: its values, a region, a sentence as a value, a cause of
// other words; an error that is no sentence sends none.
func TestASentenceCrossesJSONWhole(t *testing.T) {
	cause := New("file", "the file {{.Path}} cannot be read", map[string]any{"Path": "x"}, errors.New("stat x: no such file"))
	s := New("of", "{{.N}} numbers of {{.Region}} in {{.Where}}", map[string]any{
		"N": 3, "Region": Region("AT"), "Where": New("cc", "the country code {{.Code}}", map[string]any{"Code": "+882"}, nil),
	}, cause)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"a sentence", s},
		{"in a wrapper that adds no words", fmt.Errorf("%w", s)},
		{"an error that says itself", sayer{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(ToWire(tc.err))
			if err != nil {
				t.Fatal(err)
			}
			var w Wire
			if err := json.Unmarshal(data, &w); err != nil {
				t.Fatal(err)
			}
			got := w.Sentence()
			if got.Error() != tc.err.Error() {
				t.Errorf("English: got %q; want %q", got.Error(), tc.err.Error())
			}
			if g, want := Translate(got, upper), Translate(tc.err, upper); g != want {
				t.Errorf("translated: got %q; want %q", g, want)
			}
		})
	}
	if w := ToWire(errors.New("plain")); w != nil {
		t.Errorf("an error of other words sends %+v", w)
	}
}

func TestPlaceholdersAreNamedInOrderEachOnce(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"no placeholders", nil},
		{"{{.Where}} refused to {{.Op}}", []string{"Where", "Op"}},
		{"{{.Region}} names {{.Digits}} in {{.Region}}", []string{"Region", "Digits"}},
	} {
		if got := Placeholders(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Placeholders(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
