package calls

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
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
		func(err error) {
			s.o.Log.Warn("a caller lookup source could not answer", "error", err)
			if s.o.LookupFailed != nil {
				s.o.LookupFailed(err)
			}
		})
	if ok {
		ev.RemoteAlias, ev.RemoteCompany = phone.DisplayName(m.Name), phone.DisplayName(m.Company)
		if ev.Kind == phone.EventIncoming {
			s.showOnPhone(ev.Remote, ev.RemoteAlias, ev.RemoteCompany)
		}
	}
	return ev
}

// LookupSources is how each caller lookup source of the current config is
// doing, as the calls left them (lookup.Service.Status): what the Contacts
// page and `dialbridge lookup --status` show. None without a lookup.
func (s *Service) LookupSources() []lookup.SourceStatus {
	if s.o.Names == nil {
		return nil
	}
	names := s.o.Names()
	if names == nil {
		return nil
	}
	return names.Status()
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
		if c.Direction == phone.Inbound {
			s.showOnPhone(number, alias, company)
		}
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

// showOnPhone puts the name a caller lookup found on the phone's own
// display, when phone.show_caller_name is on and the phone can show text
// (Snom). It runs beside the call, so a phone slow to fetch the screen
// delays nothing; the title is the name (or the company), the text the
// company (or the number).
func (s *Service) showOnPhone(number, name, company string) {
	if !s.o.Config().Phone.ShowCallerName || s.o.Driver == nil || name == "" && company == "" {
		return
	}
	d, ok := s.o.Driver().(phone.TextShower)
	if !ok {
		return
	}
	title, text := name, company
	if title == "" {
		title, text = company, ""
	}
	if text == "" {
		text = number
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := d.ShowText(ctx, title, text, s.publishScreen); err != nil {
			s.o.Log.Warn("the caller's name could not be shown on the phone", "error", err)
		}
	}()
}

// publishScreen keeps a screen for the phone to fetch and returns its
// URL: under the phone-event path, with the pairing token, at the
// address the phone reaches dialbridge at.
func (s *Service) publishScreen(doc string) string {
	return phoneevents.ScreenURL(s.o.EventsBase(), s.o.Token(), s.screens.Publish(doc))
}
