package actionurl

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// ErrBlocked marks an error from Prepare that refuses a number by rule
// (premium rate, a blocked pattern): the listener answers 403, not 400.
var ErrBlocked = errors.New("blocked number")

// blockedRefusal is the blocked list's refusal, marked ErrBlocked: "blocked
// number: " and the rule, which says itself in the person's language.
type blockedRefusal struct{ rule error }

func (e blockedRefusal) Error() string   { return ErrBlocked.Error() + ": " + e.rule.Error() }
func (e blockedRefusal) Unwrap() []error { return []error{ErrBlocked, e.rule} }

// Sentence is the refusal with its translation key, for i18n.Error.
func (e blockedRefusal) Sentence() *sentence.Sentence {
	return sayBlocked.With(nil, e.rule)
}

// PrepareWith is the DialService's Prepare for the dialing rules that rules
// returns at the moment of each dial (they change when Settings are saved):
// dialplan's Read, the one reading every entry shares, then its blocked
// rule for every dial the person did not type themselves. The resident and
// the tests use it alike, so no way in can read a number its own way.
func PrepareWith(rules func() dialplan.Rules) func(number string, typed bool) (string, error) {
	return func(number string, typed bool) (string, error) {
		rd, err := rules().Read(number)
		if err != nil {
			return "", err
		}
		if !typed && rd.Blocked != nil {
			return "", blockedRefusal{rd.Blocked}
		}
		return rd.Dial, nil
	}
}

// Confirmer asks the person whether a doubtful dial request may go ahead.
// The tray app implements it with the confirmation window; headless serve
// has none, so doubtful requests are refused there.
type Confirmer interface {
	// Confirm blocks until the person decided or ctx ended. An error means
	// the question could not be asked; the dial is then refused.
	Confirm(ctx context.Context, req ConfirmRequest) (Decision, error)
}

// Decision is the person's answer in the confirmation window.
type Decision struct {
	// Allow lets this one dial go ahead.
	Allow bool
	// Remember applies the answer to the request's origin from now on:
	// with Allow, "always allow this origin" (DialService.Remember adds it
	// to listener.allowed_origins); without, "never from this origin" until
	// dialbridge restarts. It is ignored when ConfirmRequest.CanRemember
	// is false.
	Remember bool
	// Unanswered is how long the prompt waited before it gave up with no
	// answer; zero when the person answered. Nobody refused then, so the
	// refusal says the dial was not confirmed in time rather than blaming
	// the person.
	Unanswered time.Duration
}

// ConfirmRequest is what the person is shown before a doubtful dial.
type ConfirmRequest struct {
	// Origin is who asked: a web origin, or a description.
	Origin string
	// Number is the number as requested; Dial what the phone would dial.
	Number, Dial string
	// Trust and Reason say how the request was judged, for a "details" line.
	Trust  Trust
	Reason string
	// CanRemember says the request carried an exact web origin, so the
	// window may offer "always allow" and "never allow" for it.
	CanRemember bool
}

// DialService is the one path every dial takes: dialing rules and blocked
// numbers, rate limit, confirmation, driver. The listener, the control API
// and the tray all call it, so a rule cannot be forgotten on one of them.
type DialService struct {
	// Phone returns the current driver (it changes when the person pairs
	// another phone).
	Phone func() phone.Driver
	// Prepare applies the dialing rules to a number: it returns the dial
	// string, or an error a person can read; blocked numbers wrap
	// ErrBlocked. typed says the person entered the number in dialbridge,
	// which exempts it from the blocked list.
	Prepare func(number string, typed bool) (string, error)
	// Limit bounds dials that the person did not type; nil means none.
	Limit *rate.Limiter
	// Confirmer asks the person about doubtful requests; nil means nobody
	// can be asked.
	Confirmer Confirmer
	// Remember makes a web origin allowed for good when the person chose
	// "always allow" in the confirmation window: the app adds it to
	// listener.allowed_origins, saves the config and updates the listener.
	// nil means the choice only lets this one dial through.
	Remember func(origin string) error
	// OnRefused tells the person about refusals (the tray shows a
	// notification). It is called at most once per ReportWindow for a
	// burst of rate-limit or busy refusals, and otherwise once per
	// refused request, debounced per kind and origin, so fifty refused
	// requests make one notification. It runs on the request's goroutine
	// and must return quickly.
	OnRefused func(RefusalReport)
	// ReportWindow is how long a kind of refusal must be quiet before it
	// is reported again; zero means one minute.
	ReportWindow time.Duration
	// Now is the clock for the rate limit and the reports; nil means
	// time.Now.
	Now func() time.Time
	// Log records every decision; nil discards.
	Log *slog.Logger

	reports reporter

	mu         sync.Mutex
	confirming bool
	// denied are origins the person refused for good in this run.
	denied map[string]bool
}

// maxDenied bounds the origins remembered as refused for this run.
const maxDenied = 256

func (s *DialService) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// reportedError is a refusal OnRefused has told the person about.
type reportedError struct{ error }

func (e reportedError) Unwrap() error { return e.error }

// Reported says whether err is a refusal that the DialService has told the
// person about already (OnRefused), so that a caller in dialbridge itself,
// the tray's hotkey or clipboard item, does not say it a second time.
func Reported(err error) bool {
	var r reportedError
	return errors.As(err, &r)
}

func (s *DialService) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Dial carries out req as judged by v. It returns the dial string the phone
// accepted, or a *control.DialError.
func (s *DialService) Dial(ctx context.Context, req DialRequest, v Verdict) (string, error) {
	log := s.log()
	fail := func(status int, err error) (string, error) {
		log.Warn("dial refused", "format", req.Format, "number", req.Number, "trust", v.Trust.String(), "origin", v.Origin, "why", v.Reason, "reason", err.Error())
		return "", &control.DialError{Status: status, Err: err}
	}
	refuse := func(kind RefusalKind, status int, err error) (string, error) {
		s.report(kind, v.Origin, req.Number, err)
		if s.OnRefused != nil {
			err = reportedError{err}
		}
		return fail(status, err)
	}
	if v.Refuse != nil {
		return refuse(RefusedWebPage, http.StatusForbidden, v.Refuse)
	}
	if v.Allowable != "" && s.isDenied(v.Allowable) {
		return refuse(RefusedWebPage, http.StatusForbidden, sayNeverAllowed.With(map[string]any{"Origin": v.Allowable}, nil))
	}
	dial, err := s.Prepare(req.Number, req.Typed)
	if errors.Is(err, ErrBlocked) {
		return refuse(RefusedBlocked, http.StatusForbidden, err)
	}
	if err != nil {
		return fail(http.StatusBadRequest, err)
	}
	if !req.Typed && s.Limit != nil && !s.Limit.AllowN(s.now(), 1) {
		return refuse(RefusedRate, http.StatusTooManyRequests, sayTooMany.With(nil, nil))
	}
	if v.Confirm {
		if s.Confirmer == nil {
			return refuse(RefusedWebPage, http.StatusForbidden, sayNobody.With(nil, nil))
		}
		if !s.startConfirming() {
			return refuse(RefusedBusy, http.StatusTooManyRequests, sayAskingAlready.With(nil, nil))
		}
		d, err := s.ask(ctx, ConfirmRequest{
			Origin: v.Origin, Number: req.Number, Dial: dial,
			Trust: v.Trust, Reason: v.Reason, CanRemember: v.Allowable != "",
		})
		if err != nil {
			return fail(http.StatusForbidden, sayPromptFailed.With(nil, err))
		}
		if d.Remember && v.Allowable != "" {
			s.remember(v.Allowable, d.Allow)
		}
		if !d.Allow && d.Unanswered > 0 {
			return refuse(RefusedUnconfirmed, http.StatusForbidden, sayUnconfirmed.With(map[string]any{"Seconds": int(d.Unanswered.Round(time.Second) / time.Second)}, nil))
		}
		if !d.Allow {
			return fail(http.StatusForbidden, sayDeclined.With(nil, nil))
		}
	}
	drv := s.Phone()
	if drv == nil {
		return fail(http.StatusServiceUnavailable, sayNoPhone.With(nil, nil))
	}
	if err := drv.Dial(ctx, phone.DialOptions{Number: dial, Identity: req.Identity}); err != nil {
		status := http.StatusBadGateway
		if phone.KindOf(err) == phone.ErrNotSupported {
			status = http.StatusNotImplemented
		}
		return fail(status, err)
	}
	log.Info("dialed", "format", req.Format, "number", req.Number, "dial", dial, "trust", v.Trust.String(), "origin", v.Origin, "why", v.Reason, "confirmed", v.Confirm)
	return dial, nil
}

// startConfirming claims the confirmation window; only one request at a
// time may ask the person, so a page cannot bury them in prompts.
func (s *DialService) startConfirming() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.confirming {
		return false
	}
	s.confirming = true
	return true
}

// ask puts the question to the person and gives the window back however
// the Confirmer ends, a panic included.
func (s *DialService) ask(ctx context.Context, req ConfirmRequest) (Decision, error) {
	defer func() {
		s.mu.Lock()
		s.confirming = false
		s.mu.Unlock()
	}()
	return s.Confirmer.Confirm(ctx, req)
}

func (s *DialService) isDenied(origin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.denied[origin]
}

// remember carries out "always" or "never" for origin.
func (s *DialService) remember(origin string, allow bool) {
	if !allow {
		s.mu.Lock()
		if s.denied == nil {
			s.denied = map[string]bool{}
		}
		if len(s.denied) < maxDenied {
			s.denied[origin] = true
		}
		s.mu.Unlock()
		s.log().Info("origin refused for this run by the person", "origin", origin)
		return
	}
	if s.Remember == nil {
		return
	}
	if err := s.Remember(origin); err != nil {
		s.log().Warn("could not remember the allowed origin", "origin", origin, "error", err.Error())
		return
	}
	s.log().Info("origin allowed for good by the person", "origin", origin)
}

// report hands a refusal to OnRefused, debounced (see OnRefused).
func (s *DialService) report(kind RefusalKind, origin, number string, reason error) {
	if s == nil || s.OnRefused == nil {
		return
	}
	window := s.ReportWindow
	if window <= 0 {
		window = time.Minute
	}
	now := s.now()
	ok, earlier := s.reports.admit(kind, origin, now, window)
	if !ok {
		return
	}
	rep := RefusalReport{Kind: kind, Origin: origin, Number: number, Reason: reason.Error(), Earlier: earlier, At: now}
	if sentence.Of(reason) != nil {
		rep.Says = reason
	}
	s.OnRefused(rep)
}
