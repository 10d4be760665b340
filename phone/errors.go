package phone

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind says what went wrong in terms a person can act on: fix the
// password, check the cable, change a setting on the phone.
type ErrorKind int

// The kinds of failure a driver reports.
const (
	// ErrProtocol: the phone answered something the driver does not understand.
	ErrProtocol ErrorKind = iota
	// ErrUnreachable: no connection, or no answer in time.
	ErrUnreachable
	// ErrAuth: the phone refused the user name or password.
	ErrAuth
	// ErrRefused: the phone understood but refused (a setting on the phone
	// forbids it, the firmware has no such command, ...).
	ErrRefused
	// ErrNotSupported: the brand or model cannot do this at all.
	ErrNotSupported
	// ErrNoSuchCall: the call the request named no longer exists.
	ErrNoSuchCall
	// ErrCertificate: the phone's TLS certificate is not the one that was
	// trusted when pairing.
	ErrCertificate
)

// Error is the error type every driver returns. Its message is a sentence
// for a person; Err keeps the underlying cause for logs and errors.Is.
type Error struct {
	Kind ErrorKind
	// Brand is the config name of the brand, e.g. "snom".
	Brand string
	// Address is the phone's address as configured, e.g. "192.0.2.10".
	Address string
	// Op is what was attempted, in words: "dial", "hang up".
	Op string
	// Status is the HTTP status the phone answered with, or 0.
	Status int
	// Detail is an optional extra sentence (what to change on the phone).
	Detail string
	// Key, for ErrNotSupported, is the key the brand's phones lack (a key
	// sequence named it): the sentence then says so.
	Key string
	// Err is the cause, if any.
	Err error
}

// Error is the sentence in English (Sentence words it in the person's
// language).
func (e *Error) Error() string { return e.Sentence().Error() }

// brandName names a brand's phones' maker in a sentence, with the English
// article before it: "Snom", "A"; "Auerswald", "An"; "" when the brand is
// unknown. A brand with a variant ("snom-csta") is its maker's.
func brandName(brand string) (name, article string) {
	brand, _, _ = strings.Cut(brand, "-")
	if brand == "" {
		return "", ""
	}
	article = "A"
	if strings.ContainsAny(brand[:1], "aeiouAEIOU") {
		article = "An"
	}
	return strings.ToUpper(brand[:1]) + brand[1:], article
}

// Unwrap gives errors.Is and errors.As the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a driver error, or ErrProtocol for any other error.
func KindOf(err error) ErrorKind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ErrProtocol
}

// errTimeout marks an unreachable error as a time-out; see Timeout.
var errTimeout = errors.New("timed out")

// Timeout wraps cause so that the message says "did not answer in time".
func Timeout(cause error) error {
	return fmt.Errorf("%w: %w", errTimeout, cause)
}
