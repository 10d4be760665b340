package calls

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/phone"
)

// nameCaller asks the caller lookup for the far end of an event that
// brings a number without a name, and waits at most NameBudget, outside
// the service's lock, so that a slow source delays this call's event by
// that much and no other call at all. The name found goes into the event
// as if the phone had sent it, so the tracker, the journal, the
// notification, the recent calls and <$remote_alias> all have it; an
// answer that comes later names the call through lateName.
func (s *Service) nameCaller(ev phone.Event) phone.Event {
	if s.o.Names == nil || ev.Remote == "" || ev.RemoteAlias != "" {
		return ev
	}
	switch ev.Kind {
	case phone.EventIncoming, phone.EventOutgoing, phone.EventUpdate, phone.EventTransferred:
	default:
		// Later events of a call: the tracker has what its start found.
		return ev
	}
	names := s.o.Names()
	if names == nil || len(names.Sources()) == 0 {
		return ev
	}
	if c, ok := s.tracker.Lookup(ev.CallID); ok && c.Remote == ev.Remote && c.RemoteAlias != "" {
		return ev
	}
	asked := s.o.Now()
	m, ok := names.Ask(ev.Remote, s.o.NameBudget,
		func(m lookup.Match) { s.lateName(ev.CallID, ev.Remote, asked, m) },
		func(err error) { s.o.Log.Warn("a caller lookup source could not answer", "error", err) })
	if ok {
		ev.RemoteAlias, ev.RemoteCompany = phone.DisplayName(m.Name), phone.DisplayName(m.Company)
	}
	return ev
}

// lateName gives a call the name a caller lookup found after its event
// went out: in the tracker while the call lasts, else in the journal; the
// subscribers hear of it as ActionNamed, which fires no outgoing URL.
func (s *Service) lateName(callID, number string, asked time.Time, m lookup.Match) {
	alias, company := phone.DisplayName(m.Name), phone.DisplayName(m.Company)
	s.mu.Lock()
	c, ok := s.tracker.Name(callID, number, alias, company)
	if ok {
		wait := s.recordCall(c)
		s.mu.Unlock()
		if err := wait(context.Background()); err != nil {
			s.o.Log.Error("a caller's name could not be recorded", "error", err)
		}
		s.publishNamed(c)
		return
	}
	s.mu.Unlock()
	// The call has ended (or never started): name it where it is kept.
	s.journal.NameCall(callID, number, asked.Add(-12*time.Hour), alias, company, func(c phone.Call, ok bool, err error) {
		switch {
		case err != nil:
			s.o.Log.Error("a caller's name could not be recorded", "error", err)
		case ok:
			// Not on the journal's writer: a subscriber must never hold
			// it up, and the lock may be held by a writer's caller.
			go s.publishNamed(c)
		}
	})
}

// publishNamed tells the subscribers (the tray's recent calls) that c has
// its name now, once the journal has it too.
func (s *Service) publishNamed(c phone.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.o.Publish(phone.CallEvent{Action: phone.ActionNamed, Call: c, At: s.o.Now()})
}
