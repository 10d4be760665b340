package calls

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// Kind says what went wrong with a request to the service, so that an
// entry can answer in its own terms (the HTTP adapter picks a status) while
// the sentence stays the service's.
type Kind int

// The kinds of Error. An error that is no *Error comes from the phone or
// the journal.
const (
	// Invalid: the request itself is wrong (a bad number, time, id).
	Invalid Kind = iota + 1
	// NotFound: no such call, or no such operation.
	NotFound
	// Gone: the journal no longer holds what was asked for.
	Gone
	// Conflict: the request does not fit the state (only a failed
	// delivery is sent again; only the demo phone simulates calls).
	Conflict
)

// Error is a request the service refused, with a sentence for a person.
type Error struct {
	Kind Kind
	Msg  string
	// Err is the error Msg words, when it is one (the dialing rules'
	// refusal of a number), so that its sentence reaches the person.
	Err error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func refuse(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Dial places a call through the one path every dial takes (dialing
// rules, blocked list, rate limit, driver), as asked by the person in
// dialbridge itself: the tray, a window, the command line in-process.
// It returns the dial string the phone accepted.
func (s *Service) Dial(ctx context.Context, cmd control.DialCommand) (string, error) {
	if s.o.Dialer == nil {
		return "", errors.New("dialing is not set up in this dialbridge")
	}
	if cmd.Origin != "" {
		// A page's number is judged with its origin on the control API
		// (actionurl.DialHandler); here it would pass as the person's own.
		return "", errors.New("a number from a web page goes through the control API, not dialbridge's own dial")
	}
	v := actionurl.Verdict{Trust: actionurl.TrustTyped, Origin: cmd.Source}
	if !cmd.Typed {
		// The clipboard or the selection: the person asked for the dial,
		// but the text is another program's, as the blocked list knows.
		v.Trust, v.Reason = actionurl.TrustLocalApp, "text another program holds, dialed by the person in dialbridge"
	}
	return s.o.Dialer.Dial(ctx,
		actionurl.DialRequest{Number: cmd.Number, Identity: cmd.Identity, Format: actionurl.FormatControl, Typed: cmd.Typed}, v)
}

// CurrentCall names, instead of a call id, the call the phone has now: for
// phones that report no calls to dialbridge, whose drivers find the call
// themselves. For a phone that reports its calls it is refused like any
// call that is not in progress.
const CurrentCall = "current"

// NotInProgress is the refusal of a call operation on a call that is not
// in progress.
const NotInProgress = "that call is not in progress (it may have ended)"

// reportsCalls says whether the paired brand reports its calls, so that
// the tracker knows every call in progress.
func (s *Service) reportsCalls() bool {
	_, ok := brands.EventFormat(s.o.Config().Phone.Brand)
	return ok
}

// Ops are the call operations Control knows, in the order a person meets
// them.
var Ops = []string{"answer", "hangup", "hold", "resume", "dtmf", "transfer", "consult", "conference", "clear"}

// Control does op to the call in progress named by callID (the journal's
// GUID or the phone's call id) through the current driver. cmd carries the
// target of transfer and consult, or the dtmf digits. transfer with a
// target is blind; without one it completes the attended transfer that
// consult began, connecting the held call with the other one, as
// conference joins them.
func (s *Service) Control(ctx context.Context, callID, op string, cmd control.CallCommand) error {
	call, ok := s.tracker.Lookup(callID)
	if !ok && (callID != CurrentCall || s.reportsCalls()) {
		return refuse(NotFound, NotInProgress)
	}
	// Otherwise CurrentCall on a phone that reports no calls (Polycom,
	// Cisco): the zero call, which the driver takes as the phone's own
	// current call.
	drv, err := s.driver()
	if err != nil {
		return err
	}
	if fl, ok := phone.Optional[phone.FirmwareLearner](drv); ok {
		if agent := s.events.Seen().Agent; agent != "" {
			fl.LearnFirmware(agent)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	id := phoneID(call)
	switch op {
	case "answer":
		return drv.Answer(ctx, id)
	case "hangup":
		return drv.Hangup(ctx, id)
	case "hold":
		return drv.Hold(ctx, id)
	case "resume":
		return drv.Resume(ctx, id)
	case "dtmf":
		if !validDTMF(cmd.Digits) {
			return refuse(Invalid, "dtmf needs 1 to 32 of the digits 0-9, *, #, A-D")
		}
		return drv.SendDTMF(ctx, id, cmd.Digits)
	case "transfer":
		if strings.TrimSpace(cmd.Target) == "" {
			at, err := declared[phone.AttendedTransferer](drv, phone.CanConsult, "complete an attended transfer")
			if err != nil {
				return err
			}
			return s.joinPair(ctx, call, at.CompleteTransfer)
		}
		return s.toTarget(ctx, id, cmd.Target, drv.Transfer)
	case "consult":
		at, err := declared[phone.AttendedTransferer](drv, phone.CanConsult, "hold a call and call a transfer target")
		if err != nil {
			return err
		}
		return s.toTarget(ctx, id, cmd.Target, at.Consult)
	case "conference":
		conf, err := declared[phone.Conferencer](drv, phone.CanConference, "join calls into a conference")
		if err != nil {
			return err
		}
		return s.joinPair(ctx, call, conf.Conference)
	case "clear":
		cl, ok := phone.Optional[phone.CallClearer](drv)
		if !ok {
			return phone.NotSupported(drv.Brand(), "clear a call for every party")
		}
		return cl.ClearCall(ctx, id)
	}
	return refuse(NotFound, "%q is not a call operation (%s)", op, strings.Join(Ops, ", "))
}

// SendKeys presses the key sequence text (Snom's syntax,
// KEY[,TIME[,PAUSE]][;...]) on the paired phone: the one implementation
// behind `dialbridge key`, the control API and function keys. A typo or a
// bad time is refused before the phone is asked (a *phone.KeyError); a
// driver that cannot press keys, or a key its brand lacks, fails with a
// sentence naming the brand.
func (s *Service) SendKeys(ctx context.Context, text string) error {
	keys, err := phone.ParseKeys(text)
	if err != nil {
		return err
	}
	drv, err := s.driver()
	if err != nil {
		return err
	}
	ks, ok := phone.Optional[phone.KeySender](drv)
	if !ok {
		return phone.NotSupported(drv.Brand(), "press keys")
	}
	// The phone (or, for brands that wait themselves, the driver) takes
	// the sequence's own times on top of the usual time-out.
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second+keys.Duration())
	defer cancel()
	return ks.SendKeys(ctx, keys)
}

// phoneID names call the way its driver needs: Snom's CSTA requests by
// its $csta_id, every other driver by the phone's call id.
func phoneID(call phone.Call) string {
	if call.CSTAID != "" {
		return call.CSTAID
	}
	return call.ID
}

// dialString reads a transfer target through the dialing rules. The
// person typed it (the dial pad's transfer mode, the command line): the
// blocked list does not apply, as for any number the person typed.
func (s *Service) dialString(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", refuse(Invalid, "a transfer needs a target number")
	}
	return s.read(text)
}

// read applies the dialing rules to a number the person typed.
func (s *Service) read(text string) (string, error) {
	if s.o.Read == nil {
		return text, nil
	}
	r, err := s.o.Read(text)
	if err != nil {
		return "", &Error{Kind: Invalid, Msg: err.Error(), Err: err}
	}
	return r.Dial, nil
}

// toTarget hands send the call's id and the number a person typed for
// a blind transfer or a consultation, read through the dialing rules.
func (s *Service) toTarget(ctx context.Context, id, typed string, send func(ctx context.Context, id, target string) error) error {
	target, err := s.dialString(typed)
	if err != nil {
		return err
	}
	return send(ctx, id, target)
}

// joinPair hands join the phone's ids of the two calls an attended
// transfer or a conference joins: the call on hold and the other call in
// progress, whichever of the two call names.
func (s *Service) joinPair(ctx context.Context, call phone.Call, join func(ctx context.Context, held, active string) error) error {
	var other *phone.Call
	active2 := s.tracker.Active()
	for i := len(active2) - 1; i >= 0; i-- {
		c := active2[i]
		if c.ID != call.ID && c.OnHold != call.OnHold {
			other = &c
			break
		}
	}
	if other == nil {
		return refuse(Conflict, "this needs a call on hold and a second call (consult a number first)")
	}
	if call.OnHold {
		return join(ctx, phoneID(call), phoneID(*other))
	}
	return join(ctx, phoneID(*other), phoneID(call))
}

func validDTMF(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789*#ABCDabcd", c) {
			return false
		}
	}
	return true
}

// Target picks the call in progress that op acts on when the person named
// none (`dialbridge call answer`), newest first: answer takes a ringing
// incoming call, resume one on hold, hold, dtmf, consult, transfer and
// conference the connected call not on hold, hang up and clear any (they
// also reject a ringing one).
func Target(op string, active []control.CallEntry) (control.CallEntry, bool) {
	for i := len(active) - 1; i >= 0; i-- {
		c := active[i]
		var ok bool
		ringing := c.Connected == nil && c.Direction == "inbound"
		talking := c.Connected != nil && !c.OnHold
		switch op {
		case "answer":
			ok = ringing
		case "hangup", "clear":
			ok = true
		case "resume":
			ok = c.Connected != nil && c.OnHold
		case "hold", "dtmf", "consult", "transfer", "conference":
			ok = talking
		default:
			ok = false
		}
		if ok {
			return c, true
		}
	}
	return control.CallEntry{}, false
}

// Active returns the calls in progress, oldest first.
func (s *Service) Active() []control.CallEntry {
	now := s.o.Now()
	list := []control.CallEntry{}
	for _, call := range s.tracker.Active() {
		list = append(list, journal.EntryOf(call, now))
	}
	return list
}

// Journal returns the journal's calls with their deliveries, newest first.
func (s *Service) Journal(ctx context.Context, q control.JournalQuery) ([]control.CallEntry, error) {
	return listJournal(ctx, s, q, s.journal.Calls)
}

// Deliveries returns the outgoing action URLs, newest first.
func (s *Service) Deliveries(ctx context.Context, q control.JournalQuery) ([]control.DeliveryEntry, error) {
	return listJournal(ctx, s, q, s.journal.Deliveries)
}

// listJournal reads q and lists what read finds for it. The list is never
// nil, so that an empty journal answers [] rather than null.
func listJournal[T any](ctx context.Context, s *Service, q control.JournalQuery, read func(context.Context, journal.Query) ([]T, error)) ([]T, error) {
	jq, err := s.query(q)
	if err != nil {
		return nil, err
	}
	list, err := read(ctx, jq)
	if list == nil {
		list = []T{}
	}
	return list, err
}

// query reads a control.JournalQuery the way a person writes it.
func (s *Service) query(in control.JournalQuery) (journal.Query, error) {
	var q journal.Query
	since, err := ParseSince(in.Since, s.o.Now())
	if err != nil {
		return q, &Error{Kind: Invalid, Msg: err.Error()}
	}
	q.Since = since
	if in.Limit < 0 {
		return q, refuse(Invalid, "limit %d is not a positive number", in.Limit)
	}
	q.Limit = in.Limit
	switch st := outgoing.Status(in.Status); st {
	case "", outgoing.StatusPending, outgoing.StatusDelivered, outgoing.StatusFailed:
		q.Status = st
	default:
		return q, refuse(Invalid, "status %q is not one of pending, delivered, failed", st)
	}
	return q, nil
}

// Retry is the journal's "Send again": the failed background delivery id
// is queued anew as a fresh delivery of the same URL (its own id and
// Idempotency-Key: the person means it).
func (s *Service) Retry(ctx context.Context, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return refuse(Invalid, "a delivery id is a number")
	}
	d, ok, err := s.journal.Delivery(ctx, n)
	switch {
	case err != nil:
		return err
	case !ok:
		return refuse(Gone, "the journal has no delivery %d (it may have been pruned)", n)
	case d.Status != outgoing.StatusFailed:
		return refuse(Conflict, "delivery %d is %s; only a failed one is sent again", n, d.Status)
	case d.Mode != outgoing.ModeBackground:
		return refuse(Conflict, "a URL that opens in the browser is not sent again")
	}
	again := outgoing.Delivery{CallGUID: d.CallGUID, Action: d.Action, URL: d.URL, Mode: d.Mode, Created: s.o.Now()}
	return s.outbox.Enqueue([]outgoing.Delivery{again})(ctx)
}

// Seen returns the last request from the phone that reached the service:
// the pairing wizard's proof that the phone's settings arrived.
func (s *Service) Seen() control.PhoneSeen { return s.events.Seen() }

// DemoIncoming lets the demo phone ring with d (a demo caller when d is
// empty).
func (s *Service) DemoIncoming(_ context.Context, d control.DemoCall) error {
	if d.Number != "" {
		// The phone rings with the number as given, as a real one would;
		// text that is no number is refused rather than ringing as "abc".
		if _, err := s.read(d.Number); err != nil {
			return err
		}
	}
	s.demoMu.Lock()
	demo := s.demo
	s.demoMu.Unlock()
	if demo == nil || s.o.Config().Phone.Brand != brands.Demo {
		return refuse(Conflict, "only the demo phone can simulate calls (start dialbridge with --demo)")
	}
	if d.Number == "" {
		d.Number, d.Name = "+4930901820", "Demo Caller"
	}
	demo.Ring(d.Number, d.Name)
	return nil
}

// PlayDemo makes p, the demo phone, report its calls to this service's
// events on 127.0.0.1:port, as a paired phone would.
func (s *Service) PlayDemo(p phone.CallPlayer, port int) error {
	settings, err := phoneevents.PairingURLs(brands.Demo, phoneevents.EventsBaseURL(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port, false), s.o.Token())
	if err != nil {
		return err
	}
	urls := map[string]string{}
	for _, st := range settings {
		urls[st.Name] = st.URL
	}
	s.demoMu.Lock()
	s.demo = p
	s.demoMu.Unlock()
	p.SetActionURLs(urls)
	return nil
}

// ParseSince reads a point in time the way a person writes it: a
// duration back from now ("90m", "24h", "7d"), a date ("2024-05-01", local
// midnight), a local date and time ("2024-05-01T09:30"), or RFC 3339.
// Empty means the beginning.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use e.g. 24h, 7d, 2024-05-01 or 2024-05-01T09:30", s)
}
