package sentence

import (
	"errors"
	"fmt"
)

// Wire is a sentence as JSON carries it from one of dialbridge's programs
// to another (the resident's refusal to the command line and the dial
// pad), so that the receiving side words it in the person's language
// rather than showing the English text it was sent with.
type Wire struct {
	Key  string             `json:"key"`
	Text string             `json:"text"`
	Args map[string]WireArg `json:"args,omitempty"`
	// Cause is the cause when it is a sentence too; CauseText the words
	// of one that is not.
	Cause     *Wire  `json:"cause,omitempty"`
	CauseText string `json:"cause_text,omitempty"`
}

// WireArg is one value of a sentence: a text, a region to be named in
// the reader's language, or a sentence of its own.
type WireArg struct {
	Text     string `json:"text,omitempty"`
	Region   string `json:"region,omitempty"`
	Sentence *Wire  `json:"sentence,omitempty"`
}

// ToWire is the sentence err says (Of) ready for JSON, or nil when err
// is none.
func ToWire(err error) *Wire {
	s := Of(err)
	if s == nil {
		return nil
	}
	w := &Wire{Key: s.Key, Text: s.Text}
	if len(s.Args) > 0 {
		w.Args = make(map[string]WireArg, len(s.Args))
	}
	for name, v := range s.Args {
		switch v := v.(type) {
		case Region:
			w.Args[name] = WireArg{Region: string(v)}
		case error:
			if inner := ToWire(v); inner != nil {
				w.Args[name] = WireArg{Sentence: inner}
			} else {
				w.Args[name] = WireArg{Text: v.Error()}
			}
		default:
			w.Args[name] = WireArg{Text: fmt.Sprint(v)}
		}
	}
	if s.Err != nil {
		if w.Cause = ToWire(s.Err); w.Cause == nil {
			w.CauseText = s.Err.Error()
		}
	}
	return w
}

// Sentence is the sentence w carries, built again.
func (w *Wire) Sentence() *Sentence {
	args := make(map[string]any, len(w.Args))
	for name, a := range w.Args {
		switch {
		case a.Sentence != nil:
			args[name] = a.Sentence.Sentence()
		case a.Region != "":
			args[name] = Region(a.Region)
		default:
			args[name] = a.Text
		}
	}
	var cause error
	switch {
	case w.Cause != nil:
		cause = w.Cause.Sentence()
	case w.CauseText != "":
		cause = errors.New(w.CauseText)
	}
	return New(w.Key, w.Text, args, cause)
}
