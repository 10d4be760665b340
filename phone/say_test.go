package phone

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

// legacyError is Error as it composed its sentence before the sentences
// had keys, kept word for word: the English every golden file and log
// reader knows, which Error and Sentence must still say. Two changes were
// made on purpose since: a time-out says no more than "did not answer in
// time", and a network cause a person can act on is worded (NetCause).
func legacyError(e *Error) string {
	where := "The phone"
	if e.Address != "" {
		where = "The phone at " + e.Address
	}
	opOr := func(def string) string {
		if e.Op == "" {
			return def
		}
		return e.Op
	}
	brandPhrase := func(brand string) string {
		brand, _, _ = strings.Cut(brand, "-")
		if brand == "" {
			return "This phone"
		}
		article := "A"
		if strings.ContainsAny(brand[:1], "aeiouAEIOU") {
			article = "An"
		}
		return article + " " + strings.ToUpper(brand[:1]) + brand[1:] + " phone"
	}
	var msg string
	switch e.Kind {
	case ErrUnreachable:
		msg = where + " cannot be reached"
		if e.Err != nil && errors.Is(e.Err, errTimeout) {
			msg = where + " did not answer in time"
		}
	case ErrAuth:
		msg = where + " refused the user name or password"
	case ErrRefused:
		msg = where + " refused to " + opOr("do this")
	case ErrNotSupported:
		msg = fmt.Sprintf("%s cannot %s remotely", brandPhrase(e.Brand), opOr("do this"))
		if e.Key != "" {
			msg = fmt.Sprintf("%s has no key %s", brandPhrase(e.Brand), e.Key)
		}
	case ErrNoSuchCall:
		msg = "That call no longer exists on the phone"
	case ErrCertificate:
		msg = where + " presented a different TLS certificate than the one trusted when it was paired"
	default:
		msg = where + " gave an unexpected answer"
		if e.Op != "" {
			msg += " to " + e.Op
		}
	}
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	} else if e.Kind == ErrUnreachable && e.Err != nil && !errors.Is(e.Err, errTimeout) {
		msg += ": " + NetCause(e.Err).Error()
	}
	return msg
}

// checkSays fails unless e says the same English three ways: Error, its
// Sentence, and that sentence after crossing the control API as JSON;
// and all of them as it always did.
func checkSays(t *testing.T, e *Error) {
	t.Helper()
	want := legacyError(e)
	if got := e.Error(); got != want {
		t.Errorf("%#v.Error()\n got %q\nwant %q", e, got, want)
	}
	if got := e.Sentence().Error(); got != want {
		t.Errorf("%#v.Sentence()\n got %q\nwant %q", e, got, want)
	}
	data, err := json.Marshal(sentence.ToWire(e))
	if err != nil {
		t.Fatal(err)
	}
	var w sentence.Wire
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	// JSON carries only UTF-8: the words of the reply (control.Reply's
	// Error) lose a broken byte just as the sentence does.
	data, _ = json.Marshal(want)
	var wantWire string
	if err := json.Unmarshal(data, &wantWire); err != nil {
		t.Fatal(err)
	}
	if got := w.Sentence().Error(); got != wantWire {
		t.Errorf("%#v across the control API\n got %q\nwant %q", e, got, wantWire)
	}
}

func TestAPhonesErrorReadsAsItAlwaysDid(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{Kind: ErrAuth, Address: "192.0.2.10", Op: "dial", Status: 401},
			"The phone at 192.0.2.10 refused the user name or password (HTTP 401)"},
		{&Error{Kind: ErrUnreachable, Address: "192.0.2.10", Op: "hang up", Err: Timeout(errors.New("no answer"))},
			"The phone at 192.0.2.10 did not answer in time"},
		{&Error{Kind: ErrRefused, Brand: "yealink", Address: "192.0.2.10", Op: "forward its calls to 204", Status: 403, Detail: "add this computer"},
			"The phone at 192.0.2.10 refused to forward its calls to 204 (HTTP 403): add this computer"},
		{&Error{Kind: ErrNotSupported, Brand: "auerswald", Op: "send DTMF with the character \"x\""},
			"An Auerswald phone cannot send DTMF with the character \"x\" remotely"},
		{&Error{Kind: ErrNotSupported, Brand: "snom-csta", Op: "press P9", Key: "P9"},
			"A Snom phone has no key P9"},
		{&Error{Kind: ErrNotSupported}, "This phone cannot do this remotely"},
		{&Error{Kind: ErrNoSuchCall, Op: "hang up"}, "That call no longer exists on the phone"},
		{&Error{Kind: ErrProtocol, Address: "phone.local", Op: "list its commands", Status: 500},
			"The phone at phone.local gave an unexpected answer to list its commands (HTTP 500)"},
		{&Error{Kind: ErrCertificate, Address: "192.0.2.10", Err: errors.New("x509")},
			"The phone at 192.0.2.10 presented a different TLS certificate than the one trusted when it was paired"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
		checkSays(t, tc.e)
	}
}

// example is a phrase of form f with its part filled in.
func example(f *form) string {
	text := f.text
	for _, name := range f.names {
		text = strings.Replace(text, "{{."+name+"}}", "\"7{{.Op}}\"", 1)
	}
	return text
}

// Every combination of kind, address, brand, phrase, status, detail, key
// and cause says the same English as Error always did, and every phrase
// the drivers use is read by its own form, not taken for another.
func TestEveryCombinationSaysWhatErrorSays(t *testing.T) {
	ops := []string{"", "reboot the phone"}
	for _, f := range opForms {
		ops = append(ops, example(f))
		if s := sentence.Of(phrase(opForms, example(f))); s == nil || s.Key != f.key {
			t.Errorf("%q is read as %v; want the form %s", example(f), s, f.key)
		}
	}
	detailTexts := []string{"", "Forbidden by the phone's own words"}
	for _, f := range details {
		detailTexts = append(detailTexts, example(f))
		if s := sentence.Of(phrase(details, example(f))); s == nil || s.Key != f.key {
			t.Errorf("%q is read as %v; want the form %s", example(f), s, f.key)
		}
	}
	// Each phrase with each kind, bare and with everything else; the other
	// dimensions in every combination with a few phrases, since a phrase
	// is read the same whatever surrounds it.
	type said struct{ op, detail string }
	var phrases []said
	for _, op := range ops {
		phrases = append(phrases, said{op, ""})
	}
	for _, detail := range detailTexts {
		phrases = append(phrases, said{"dial", detail})
	}
	for kind := ErrProtocol; kind <= ErrCertificate+1; kind++ {
		for _, p := range phrases {
			checkSays(t, &Error{Kind: kind, Op: p.op, Detail: p.detail})
			checkSays(t, &Error{Kind: kind, Address: "{{.Where}}", Brand: "auerswald", Op: p.op, Status: 401,
				Detail: p.detail, Key: "P1", Err: Timeout(errors.New("no answer"))})
		}
		for _, p := range phrases[:3] {
			for _, address := range []string{"", "192.0.2.10", "{{.Where}}"} {
				for _, brand := range []string{"", "snom-csta", "auerswald", "-x"} {
					for _, key := range []string{"", "P1"} {
						for _, status := range []int{0, 401} {
							for _, cause := range []error{nil, errors.New("connection refused"), Timeout(errors.New("no answer"))} {
								checkSays(t, &Error{Kind: kind, Address: address, Brand: brand, Op: p.op,
									Status: status, Detail: p.detail, Key: key, Err: cause})
							}
						}
					}
				}
			}
		}
	}
}

func FuzzErrorSaysWhatItAlwaysSaid(f *testing.F) {
	f.Add(int(ErrRefused), "192.0.2.10", "snom", "press the keys P1;P2", 403, "the number is empty", "", "", false)
	f.Add(int(ErrUnreachable), "phone", "yealink", "dial", 0, "", "", "dial tcp: refused", true)
	f.Add(int(ErrNotSupported), "", "fanvil", "dial \"+49 30\"", 0, "", "P9", "", false)
	f.Fuzz(func(t *testing.T, kind int, address, brand, op string, status int, detail, key, cause string, timeout bool) {
		var err error
		if cause != "" {
			err = errors.New(cause)
			if timeout {
				err = Timeout(err)
			}
		}
		checkSays(t, &Error{Kind: ErrorKind(kind), Address: address, Brand: brand, Op: op,
			Status: status, Detail: detail, Key: key, Err: err})
	})
}

// Every sentence of the package is in the translation files: in English
// word for word, so that the windows say what Error says; in German with
// the same placeholders. A file entry no form uses is a leftover.
func TestEveryPhoneSentenceIsTranslatedWithItsPlaceholders(t *testing.T) {
	var all []sentencetest.Form
	for _, f := range forms {
		all = append(all, sentencetest.Form{Key: f.key, Text: f.text})
	}
	sentencetest.CheckTranslations(t, "../i18n/translations", "phone", all)
}
