package actionurl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/time/rate"

	"github.com/dialbridge/dialbridge/phone"
)

// ErrBlocked marks an error from Prepare that refuses a number by rule
// (premium rate, a blocked pattern): the listener answers 403, not 400.
var ErrBlocked = errors.New("blocked number")

// Confirmer asks the person whether a doubtful dial request may go ahead.
// The tray app implements it with the confirmation window; headless serve
// has none, so doubtful requests are refused there.
type Confirmer interface {
	// Confirm blocks until the person decided or ctx ended. It reports
	// whether the dial may proceed.
	Confirm(ctx context.Context, req ConfirmRequest) (bool, error)
}

// ConfirmRequest is what the person is shown before a doubtful dial.
type ConfirmRequest struct {
	// Origin is who asked: a web origin, or a description.
	Origin string
	// Number is the number as requested; Dial what the phone would dial.
	Number, Dial string
}

// DialService is the one path every dial takes (DESIGN.md §3, flow 1):
// dialing rules and blocked numbers, rate limit, confirmation, driver. The
// listener, the control API and the tray all call it, so a rule cannot be
// forgotten on one of them.
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
	// Log records every decision; nil discards.
	Log *slog.Logger
}

// DialError is a refused or failed dial with the HTTP status that says so.
type DialError struct {
	Status int
	Err    error
}

func (e *DialError) Error() string { return e.Err.Error() }
func (e *DialError) Unwrap() error { return e.Err }

// Dial carries out req as judged by v. It returns the dial string the phone
// accepted, or a *DialError.
func (s *DialService) Dial(ctx context.Context, req DialRequest, v Verdict) (string, error) {
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fail := func(status int, err error) (string, error) {
		log.Warn("dial refused", "format", req.Format, "number", req.Number, "trust", v.Trust.String(), "origin", v.Origin, "reason", err.Error())
		return "", &DialError{Status: status, Err: err}
	}
	if v.Refuse != "" {
		return fail(http.StatusForbidden, errors.New(v.Refuse))
	}
	dial, err := s.Prepare(req.Number, req.Typed)
	if errors.Is(err, ErrBlocked) {
		return fail(http.StatusForbidden, err)
	}
	if err != nil {
		return fail(http.StatusBadRequest, err)
	}
	if !req.Typed && s.Limit != nil && !s.Limit.Allow() {
		return fail(http.StatusTooManyRequests, errors.New("too many dial requests; wait a moment and try again"))
	}
	if v.Confirm {
		if s.Confirmer == nil {
			return fail(http.StatusForbidden, errors.New("refused: this request needs confirmation and no one is at the screen to confirm"))
		}
		ok, err := s.Confirmer.Confirm(ctx, ConfirmRequest{Origin: v.Origin, Number: req.Number, Dial: dial})
		if err != nil {
			return fail(http.StatusForbidden, fmt.Errorf("refused: the confirmation could not be shown: %w", err))
		}
		if !ok {
			return fail(http.StatusForbidden, errors.New("refused by the person at the phone"))
		}
	}
	drv := s.Phone()
	if drv == nil {
		return fail(http.StatusServiceUnavailable, errors.New("no phone is paired yet; pair one in Settings"))
	}
	if err := drv.Dial(ctx, phone.DialOptions{Number: dial, Identity: req.Identity}); err != nil {
		status := http.StatusBadGateway
		if phone.KindOf(err) == phone.ErrNotSupported {
			status = http.StatusNotImplemented
		}
		return fail(status, err)
	}
	log.Info("dialed", "format", req.Format, "number", req.Number, "dial", dial, "trust", v.Trust.String(), "origin", v.Origin)
	return dial, nil
}
