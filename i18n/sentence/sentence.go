// Package sentence is an error a person reads, carrying the key of its
// translation: packages that know no language (the caller lookup, the
// config check) build their sentences with it, and the windows and the
// command line word them in the person's language through i18n.Error.
// It needs nothing but the standard library, so that those packages stay
// free of any toolkit.
package sentence

import (
	"errors"
	"fmt"
	"slices"
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

// Form is a sentence a package declares: its translation key and its
// English text with {{.Name}} placeholders. A package keeps its forms in
// one list, so that its translation test (sentencetest.CheckTranslations)
// finds every one.
type Form struct{ Key, Text string }

// With is f's sentence with its placeholders' values and its cause.
func (f Form) With(args map[string]any, cause error) *Sentence {
	return New(f.Key, f.Text, args, cause)
}

// Forms are the sentences a package declares, kept in one list as they
// are declared (Add), so that its translation test holds every one to the
// translation files.
type Forms []Form

// Add declares the sentence key says in English as text, keeps it in fs
// and returns it.
func (fs *Forms) Add(key, text string) Form {
	f := Form{Key: key, Text: text}
	*fs = append(*fs, f)
	return f
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
	if s := Of(err); s != nil {
		return join(x(s.Key, s.Text, translateArgs(s.Args, x)), s.Err, func(err error) string { return Translate(err, x) })
	}
	if parts := joinedParts(err); parts != nil {
		var lines []string
		for _, e := range parts {
			lines = append(lines, Translate(e, x))
		}
		return strings.Join(lines, "\n")
	}
	// A sentence inside another error's words cannot be told apart from
	// them: the whole stays as it is.
	return err.Error()
}

// joinedParts are the errors err joins one to a line (errors.Join), nil
// when it is no such list: an error that wraps several with words of its
// own between them (fmt.Errorf("%w: %w")) reads as its words.
func joinedParts(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	parts := joined.Unwrap()
	words := make([]string, len(parts))
	for i, e := range parts {
		words[i] = e.Error()
	}
	if strings.Join(words, "\n") != err.Error() {
		return nil
	}
	return parts
}

// Of is the sentence err says: err itself, its Sentence (Sayer), or the
// sentence of the one error it wraps when it adds no words of its own (a
// wrapper that only carries a status or a mark, such as an HTTP status
// beside the refusal). nil when err is no sentence.
func Of(err error) *Sentence {
	for err != nil {
		switch e := err.(type) {
		case *Sentence:
			return e
		case Sayer:
			return e.Sentence()
		}
		inner := errors.Unwrap(err)
		if inner == nil || inner.Error() != err.Error() {
			return nil
		}
		err = inner
	}
	return nil
}

// Sayer is an error of its own type (one that callers tell apart with
// errors.As, such as a refusal naming its rule) that can say itself as a
// Sentence: Translate words it by that sentence.
type Sayer interface {
	error
	Sentence() *Sentence
}

// translateArgs words the values of args that are errors, sentences
// themselves (a part of a sentence that needs its own words, like "the
// country code +882").
func translateArgs(args map[string]any, x func(key, text string, args map[string]any) string) map[string]any {
	return MapArgs(args, func(v any) (any, bool) {
		err, ok := v.(error)
		if !ok {
			return v, false
		}
		return Translate(err, x), true
	})
}

// MapArgs is args with the values f changes (it says so with true)
// replaced. args itself stays as it is, since it belongs to a sentence
// that may be worded again in another language; without a change, args
// is returned.
func MapArgs(args map[string]any, f func(v any) (any, bool)) map[string]any {
	var out map[string]any
	for name, v := range args {
		nv, changed := f(v)
		if !changed {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(args))
			for n, v := range args {
				out[n] = v
			}
		}
		out[name] = nv
	}
	if out == nil {
		return args
	}
	return out
}

// Placeholders are the names of text's {{.Name}} placeholders, in the
// order they first appear, each once: what a form declaring a sentence
// fills in, and what a translation of it must fill in too.
func Placeholders(text string) []string {
	var names []string
	for rest := text; ; {
		_, after, ok := strings.Cut(rest, "{{.")
		if !ok {
			return names
		}
		name, tail, _ := strings.Cut(after, "}}")
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		rest = tail
	}
}

// Region is a country or region, ISO 3166 alpha-2 ("DE"), as a value in a
// sentence. It reads as its code in English logs; the translation side
// names it in the person's language ("Deutschland"), which a package
// without a language cannot do.
type Region string

// String is the code, as logs and English sentences have always shown it.
func (r Region) String() string { return string(r) }

func join(text string, cause error, word func(error) string) string {
	if cause == nil {
		return text
	}
	return text + ": " + word(cause)
}
