// Package sentence is an error a person reads, carrying the key of its
// translation: packages that know no language (the caller lookup, the
// config check) build their sentences with it, and the windows and the
// command line word them in the person's language through i18n.Error.
// It needs nothing but the standard library, so that those packages stay
// free of any toolkit.
package sentence

import (
	"fmt"
	"strings"
)

// Sentence is one sentence with its translation key. Its Error is the
// English sentence, so logs and tests read it as before.
type Sentence struct {
	// Key is the translation key, e.g. "lookup.err.carddav_auth".
	Key string
	// Text is the English sentence, with {{.Name}} for each of Args: the
	// form the translation files use.
	Text string
	Args map[string]any
	// Err is the cause, written after a colon; it may be a Sentence too.
	Err error
}

// New is a sentence with its key, its English text, the values of its
// placeholders and its cause (nil for none).
func New(key, text string, args map[string]any, cause error) *Sentence {
	return &Sentence{Key: key, Text: text, Args: args, Err: cause}
}

// Error is the sentence in English, with its cause.
func (s *Sentence) Error() string {
	return join(Render(s.Text, s.Args), s.Err, func(err error) string { return err.Error() })
}

// Unwrap is the cause, for errors.Is and errors.As.
func (s *Sentence) Unwrap() error { return s.Err }

// Render fills text's {{.Name}} placeholders from args, as the
// translations' templates are filled: in one pass, so that a value which
// itself reads "{{.Other}}" (a caller's name comes from outside) stays
// as it is.
func Render(text string, args map[string]any) string {
	pairs := make([]string, 0, 2*len(args))
	for name, v := range args {
		pairs = append(pairs, "{{."+name+"}}", fmt.Sprint(v))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// Translate words err with x, which looks a sentence up by key (lang.X):
// every Sentence in err is translated with its cause after a colon,
// joined errors (errors.Join) each on a line, and any other error as it
// is, since its words are not dialbridge's.
func Translate(err error, x func(key, text string, args map[string]any) string) string {
	if err == nil {
		return ""
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range joined.Unwrap() {
			lines = append(lines, Translate(e, x))
		}
		return strings.Join(lines, "\n")
	}
	s, ok := err.(*Sentence)
	if !ok {
		// A sentence inside another error's words cannot be told apart
		// from them: the whole stays as it is.
		return err.Error()
	}
	return join(x(s.Key, s.Text, s.Args), s.Err, func(err error) string { return Translate(err, x) })
}

func join(text string, cause error, word func(error) string) string {
	if cause == nil {
		return text
	}
	return text + ": " + word(cause)
}
