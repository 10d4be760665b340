// Package data holds the values the windows show that come from the
// running resident (a line to dial from, a delivery of an outgoing action
// URL). It has no Fyne code, so that ui/backend, which fetches them, builds
// and tests without the GUI toolkit, and package ui can in turn test the
// backend end to end.
package data

import (
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// Line is one identity of the phone that a dial can go out on.
type Line struct {
	// ID is what the driver gets as phone.DialOptions.Identity.
	ID string
	// Label is what the person sees, e.g. "101 – Reception".
	Label string
}

// Delivery is one outgoing action URL as the delivery log recorded it.
type Delivery struct {
	// ID names the delivery for RetryDelivery.
	ID string
	// At is when it was last attempted.
	At time.Time
	// Event is the call event (a phone.Action) that fired it.
	Event phone.Action
	// URL is the expanded URL that was requested or opened.
	URL string
	// Browser: the URL was opened in the browser, not requested.
	Browser bool
	// Status is the HTTP status of the last attempt, 0 when none came back.
	Status int
	// Err says why the last attempt failed, as the sentence the resident
	// kept when it has one, so that the window words it in the person's
	// language; nil when it succeeded.
	Err error
	// Attempts counts the tries so far.
	Attempts int
	// Pending: the delivery is queued or waiting for a retry.
	Pending bool
	// Failed: the delivery was given up; the person may send it again.
	Failed bool
}
