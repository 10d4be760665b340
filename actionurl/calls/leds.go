package calls

import (
	"context"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/leds"
)

// LEDState is what the lights of the phone's function keys show now: the
// calls in progress (ringing or not), the missed calls not yet returned
// (from the journal: a later call to or from the number returns one), the
// outbox failing and do not disturb. The confirm prompt is the listener's
// and the resident adds it.
func (s *Service) LEDState(ctx context.Context) (leds.State, error) {
	st := leds.State{CRMFailing: s.outbox.Failing(), DND: s.DND().On}
	for _, c := range s.tracker.Active() {
		if c.Direction == phone.Inbound && c.Connected.IsZero() {
			st.Ringing = true
		} else {
			st.InCall = true
		}
	}
	n, err := s.UnreturnedMissed(ctx)
	st.Missed = n
	return st, err
}

// changed tells Options.Changed that a light may show something else.
func (s *Service) changed() {
	if s.o.Changed != nil {
		s.o.Changed()
	}
}

// PublishScreen keeps an XML screen where the phone fetches it (the
// phone-event path, with the pairing token) and returns its URL: what a
// driver's serve gets for the key lights, the same way as a caller's name.
func (s *Service) PublishScreen(doc string) string { return s.publishScreen(doc) }
