package control

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// RouteLookupSources answers the LookupSources of the running dialbridge:
// how each caller lookup source of its config is doing, so that the
// Contacts page and `dialbridge lookup --status` show what the calls
// actually get, without a test lookup of their own.
const RouteLookupSources = "GET /api/v1/lookup/sources"

// How a LookupSource's state reads (its Kind): from a copy the source
// keeps, or from the last time it was asked.
const (
	// LookupRead is an address book file read into memory: At is when it
	// was read, Numbers how many numbers it gave.
	LookupRead = "read"
	// LookupSynced is a CardDAV address book's local copy: At is the last
	// successful sync, Numbers how many numbers the copy holds.
	LookupSynced = "synced"
	// LookupAsked is a directory or CRM asked for each number: At is when
	// it was last asked, and the error says whether that failed.
	LookupAsked = "asked"
)

// LookupSource is one caller lookup source as the running dialbridge sees
// it, in the config's order.
type LookupSource struct {
	// Label names the source for people ("vcard ~/contacts.vcf",
	// "ldap dir.example").
	Label string `json:"label"`
	// Kind is LookupRead, LookupSynced or LookupAsked.
	Kind string `json:"kind"`
	// At is when the source was last read, synced or asked; absent for
	// not yet.
	At *time.Time `json:"at,omitempty"`
	// Numbers is how many numbers a copy holds (LookupRead, LookupSynced).
	Numbers int `json:"numbers,omitempty"`
	// Error is why the last read, sync or question failed; "" when it
	// worked. Says is the same as a sentence, so that the reader's side
	// words it in the person's language.
	Error string         `json:"error,omitempty"`
	Says  *sentence.Wire `json:"says,omitempty"`
}

// Err is why the source failed last, worded as its sentence when it came
// with one; nil when it did not fail.
func (l LookupSource) Err() error {
	if l.Error == "" {
		return nil
	}
	return saidErr(l.Error, l.Says)
}

// LookupSources is the answer of RouteLookupSources.
type LookupSources struct {
	Sources []LookupSource `json:"sources"`
}

// LookupSources returns how each caller lookup source of the running
// dialbridge is doing.
func (c *Client) LookupSources(ctx context.Context) ([]LookupSource, error) {
	l, err := answer[LookupSources](ctx, c, RouteLookupSources, nil)
	return l.Sources, err
}
