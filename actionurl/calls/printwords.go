package calls

import (
	"strings"
	"unicode/utf8"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// The words of `dialbridge journal`'s printout, in English with their
// translation keys (i18n/translations/journal.*.json), so that the command
// prints them in the person's language through Report.Word. The English
// keeps the journal's own codes ("inbound", "missed", "pending"), the
// words of the --json output and of the log.
var (
	sayNoJournal    = printForms.Add("journal.print.no_journal", "No calls recorded yet (there is no journal at {{.Path}}).")
	sayNoCallsYet   = printForms.Add("journal.print.no_calls", "No calls in the journal at {{.Path}} yet.")
	sayNoCallsSince = printForms.Add("journal.print.no_calls_since", "No calls since {{.Since}} (--since {{.Flag}}).")
	sayNextAttempt  = printForms.Add("journal.print.next_attempt", "attempt {{.Attempt}}, next at {{.Time}}")
)

// codeWords are the journal's codes, each with its words: a call's
// direction and outcome, a delivery's event, status and mode, and the word
// for a caller nobody knows. A code of a newer dialbridge, which has none,
// is printed as it is.
var codeWords = func() map[string]sentence.Form {
	m := map[string]sentence.Form{}
	for _, code := range []string{
		"inbound", "outbound", // directions, and the events of those names
		"active", "answered", "missed", "not answered", "transferred", // outcomes
		"connected", "hold", "disconnected", // events
		"pending", "delivered", "failed", // statuses
		"unknown", "browser", // a caller without a number, a delivery opened in the browser
	} {
		m[code] = printForms.Add("journal.print.code."+strings.ReplaceAll(code, " ", "_"), code)
	}
	return m
}()

// printForms are the sentences above, for the translation test.
var printForms sentence.Forms

// words words the printout's sentences and codes with word (Report.Word;
// English when nil).
type words func(error) string

func (w words) say(f sentence.Form, args map[string]any) string {
	return w.err(f.With(args, nil))
}

// code is code in the person's words, or as it is when it has none.
func (w words) code(code string) string {
	f, ok := codeWords[code]
	if !ok {
		return code
	}
	return w.say(f, nil)
}

// pad fills s with blanks to width runes, as %-*s does for bytes: the
// columns line up also where a translation has umlauts.
func pad(s string, width int) string {
	for n := utf8.RuneCountInString(s); n < width; n++ {
		s += " "
	}
	return s
}

// err is why something failed, in the person's words.
func (w words) err(err error) string {
	if w == nil {
		return err.Error()
	}
	return w(err)
}

// width is the widest of codes in the person's words, at least least:
// a column that fits every code of the language.
func (w words) width(least int, codes ...string) int {
	for _, c := range codes {
		least = max(least, utf8.RuneCountInString(w.code(c)))
	}
	return least
}
