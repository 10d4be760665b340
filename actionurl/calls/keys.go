package calls

import (
	"context"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// CallBackMissed dials the newest missed call that nobody called back yet
// and marks it returned in the journal, with every other call missed from
// that number: the journal, the tray and a "missed calls" light then no
// longer count them. The number was picked by the person (a phone key,
// like a click on a recent call), so it is dialed as typed. It returns
// the dial string the phone accepted.
func (s *Service) CallBackMissed(ctx context.Context, source string) (string, error) {
	c, ok, err := s.journal.LatestMissed(ctx)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", sentence.New("fkeys.err.no_missed", "No missed call is waiting to be called back.", nil, nil)
	}
	dialed, err := s.Dial(ctx, control.DialCommand{Number: c.Remote, Typed: true, Source: source})
	if err != nil {
		return "", err
	}
	type result struct {
		n   int
		err error
	}
	ch := make(chan result, 1)
	s.journal.MarkReturned(c.Remote, s.o.Now(), func(n int, err error) { ch <- result{n, err} })
	select {
	case r := <-ch:
		if r.err != nil {
			return dialed, r.err
		}
		if s.o.OnReturned != nil {
			s.o.OnReturned(c.Remote, r.n)
		}
		return dialed, nil
	case <-ctx.Done():
		return dialed, ctx.Err()
	}
}

// missedWindow is how far back a missed call still counts as waiting to
// be returned (a key bound to missed_calls lights for it): a call nobody
// returned in a week is left to the journal.
const missedWindow = 7 * 24 * time.Hour

// UnreturnedMissed counts the missed calls nobody returned yet (called
// back, marked returned, or got through later), of the last week. The
// calls recorded so far are counted: the journal writes in the background.
func (s *Service) UnreturnedMissed(ctx context.Context) (int, error) {
	if err := s.journal.Sync(ctx); err != nil {
		return 0, err
	}
	return s.journal.UnreturnedMissed(ctx, s.o.Now().Add(-missedWindow))
}

// OpenCRM opens again, in the browser, the page that an outgoing action
// URL with open_in_browser opened for the current call, or, when the
// current call has none (or there is no call), for the last call that
// had one. It goes through the outbox like the first opening, so the
// journal shows it and the same browser check applies.
func (s *Service) OpenCRM(ctx context.Context) error {
	var current string
	if active := s.tracker.Active(); len(active) > 0 {
		current = active[len(active)-1].GUID
	}
	d, ok, err := s.journal.LatestBrowserDelivery(ctx, current)
	if err != nil {
		return err
	}
	if !ok {
		return sentence.New("fkeys.err.no_page", "No call has opened a page in the browser yet (an outgoing URL with open_in_browser).", nil, nil)
	}
	again := outgoing.Delivery{CallGUID: d.CallGUID, Action: d.Action, URL: d.URL, Mode: outgoing.ModeBrowser, Created: s.o.Now()}
	return s.outbox.Enqueue([]outgoing.Delivery{again})(ctx)
}

// ControlCurrent does op to the call in progress it fits (Target): the
// ringing call for answer, the connected one for hold; for a phone that
// reports no calls, the phone's current call.
func (s *Service) ControlCurrent(ctx context.Context, op string) error {
	if c, ok := Target(op, s.Active()); ok {
		return s.Control(ctx, c.GUID, op, control.CallCommand{})
	}
	if !s.reportsCalls() {
		return s.Control(ctx, CurrentCall, op, control.CallCommand{})
	}
	return sentence.New("fkeys.err.no_call", "No call in progress fits {{.Op}}.", map[string]any{"Op": op}, nil)
}

// ToggleHold puts the connected call on hold, or, when none is
// connected, resumes the call on hold: one key for both.
func (s *Service) ToggleHold(ctx context.Context) error {
	active := s.Active()
	if _, ok := Target("hold", active); !ok {
		if _, ok := Target("resume", active); ok {
			return s.ControlCurrent(ctx, "resume")
		}
	}
	return s.ControlCurrent(ctx, "hold")
}

// ToggleDND switches the phone's do not disturb the other way from what
// dialbridge knows of it (on, when it knows nothing).
func (s *Service) ToggleDND(ctx context.Context) (control.DND, error) {
	d := s.DND()
	return s.SetDND(ctx, !(d.Known && d.On))
}
