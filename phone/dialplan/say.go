package dialplan

// The sentences of this package: its refusals and the steps that explain
// a reading. Each is a form with a translation key, so that the windows
// and the command line word it in the person's language (package
// sentence, i18n.Error), while Error and String stay English for logs and
// tests. This package knows no language and no toolkit.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// form is one sentence with its translation key and its English text,
// whose {{.Name}} placeholders take their values in the order they first
// appear.
type form struct {
	key   string
	text  string
	names []string
}

// forms are every form of the package, so that a test holds each to its
// entries in the translation files.
var forms []*form

// say declares a form. Only package variables call it.
func say(key, text string) *form {
	f := &form{key: key, text: text, names: sentence.Placeholders(text)}
	forms = append(forms, f)
	return f
}

// err is the sentence with vals for the form's names and cause after a
// colon (nil for none).
func (f *form) err(cause error, vals ...any) *sentence.Sentence {
	args := make(map[string]any, len(vals))
	for i, v := range vals {
		args[f.names[i]] = v
	}
	return sentence.New(f.key, f.text, args, cause)
}

// regionArg is a region as a sentence value: a region code ("DE") becomes
// a sentence.Region, which the translation side names in the person's
// language; a country calling code that belongs to no region ("+882", as
// parsedNumber.country gives it then) becomes "the country code +882".
func regionArg(region string) any {
	if strings.HasPrefix(region, "+") {
		return sayCallingCode.err(nil, region)
	}
	return sentence.Region(region)
}

// maxStepVals is the most values a step's form has.
const maxStepVals = 5

// Step is one sentence of how a number was read. It keeps its form and
// values and is worded only when someone reads it: every dial reads a
// number, few show the steps, so building the sentence (and its English
// text) is left to String and Sentence.
type Step struct {
	form *form
	vals [maxStepVals]string
	// why is a reason that is a sentence of its own (a value named Why).
	why error
}

// newStep is the step of form f with vals for its names but a Why. A
// count that does not fit the form is a mistake in this package, which
// the tests and the fuzz targets reach.
func newStep(f *form, vals ...string) Step {
	want := len(f.names)
	if slices.Contains(f.names, "Why") {
		want--
	}
	if len(vals) != want {
		panic("dialplan: the step " + f.key + " takes " + strconv.Itoa(want) + " values, not " + strconv.Itoa(len(vals)))
	}
	st := Step{form: f}
	copy(st.vals[:], vals)
	return st
}

// Sentence is the step with its translation key, for i18n.Error.
func (st Step) Sentence() *sentence.Sentence {
	if st.form == nil {
		return sentence.New("", "", nil, nil) // a Step not made here says nothing
	}
	args := make(map[string]any, len(st.form.names))
	i := 0
	for _, name := range st.form.names {
		switch name {
		case "Why":
			args[name] = st.why
			continue
		case "Region", "Home":
			args[name] = regionArg(st.vals[i])
		default:
			args[name] = st.vals[i]
		}
		i++
	}
	return sentence.New(st.form.key, st.form.text, args, nil)
}

// String is the step in English.
func (st Step) String() string {
	return st.Sentence().Error()
}
