package notify

import (
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
)

// lookupReminder is how long one source's same failure stays quiet after
// it was notified: an address book that refuses the password fails at
// every call, and the person needs to hear it once a day, not each time.
const lookupReminder = 24 * time.Hour

// lookupSeen remembers which source failures were notified when.
type lookupSeen struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// LookupFailed reports caller lookup sources that could not answer for a
// call (the joined sentences calls.Options.LookupFailed hands over, one a
// source), each in the person's language, each at most once a day: without
// it, callers would show without names and nobody would know why.
func (ns *Notifications) LookupFailed(err error) {
	parts := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		parts = joined.Unwrap()
	}
	for _, part := range parts {
		if part == nil {
			continue
		}
		text := display.Text(i18n.Error(part), 200)
		if !ns.lookups.due(text, ns.now()) {
			continue
		}
		ns.send(lang.L("Caller names: a source failed"),
			lang.L("{{.Err}}\nCallers it knows show without their name until this is fixed (Settings → Contacts).", map[string]any{"Err": text}),
			assets.TrayOffline)
	}
}

// due reports whether text is to be notified at now, and if so notes it.
func (s *lookupSeen) due(text string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at, ok := s.last[text]; ok && now.Sub(at) < lookupReminder {
		return false
	}
	if s.last == nil {
		s.last = map[string]time.Time{}
	}
	if len(s.last) >= 64 {
		for k, at := range s.last {
			if now.Sub(at) >= lookupReminder {
				delete(s.last, k)
			}
		}
		if len(s.last) >= 64 {
			return false // a flood of distinct failures: the log has them
		}
	}
	s.last[text] = now
	return true
}
