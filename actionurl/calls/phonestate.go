package calls

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// The phone's own state, beside its calls: do not disturb and call
// forwarding. Each is switched through the driver's optional capability
// and remembered as the phone accepted it (or, for do not disturb, as the
// phone reported it), so that the tray's items and the status commands
// show it; every change is told to Options.PhoneChanged.

// declared finds drv's optional capability T. A driver may implement an
// interface for some models or firmware only, so it must also declare c
// for this phone; otherwise the sentence says the brand cannot do op.
func declared[T any](drv phone.Driver, c phone.Capability, op string) (T, error) {
	t, ok := phone.Optional[T](drv)
	if !ok || !drv.Capabilities().Has(c) {
		var zero T
		return zero, phone.NotSupported(drv.Brand(), op)
	}
	return t, nil
}

// driver is the paired phone's driver, or the sentence that none is.
func (s *Service) driver() (phone.Driver, error) {
	if s.o.Driver == nil || s.o.Driver() == nil {
		return nil, errors.New("no phone is paired")
	}
	return s.o.Driver(), nil
}

// switchPhone changes the phone's own state through its capability T
// (declared as c; otherwise the sentence says the brand cannot do op) and
// records the change only when the phone accepted it, so that what the
// tray shows is what the phone does.
func switchPhone[T any](ctx context.Context, s *Service, c phone.Capability, op string, set func(context.Context, T) error, record func()) error {
	drv, err := s.driver()
	if err != nil {
		return err
	}
	t, err := declared[T](drv, c, op)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := set(ctx, t); err != nil {
		return err
	}
	record()
	return nil
}

// SetDND switches the phone's do not disturb on or off and remembers
// what the phone accepted, so that the tray's check item shows it.
func (s *Service) SetDND(ctx context.Context, on bool) (control.DND, error) {
	err := switchPhone(ctx, s, phone.CanDND, "switch do not disturb",
		func(ctx context.Context, d phone.DoNotDisturb) error { return d.SetDND(ctx, on) },
		func() { s.setDND(on) })
	return s.DND(), err
}

// setDND records the phone's do not disturb, set by dialbridge or
// reported by the phone.
func (s *Service) setDND(on bool) {
	s.dnd.Store(&control.DND{On: on, Known: true})
	s.o.PhoneChanged()
	s.changed()
}

// DND returns the phone's do not disturb as dialbridge last set it or
// the phone last reported it.
func (s *Service) DND() control.DND {
	if d := s.dnd.Load(); d != nil {
		return *d
	}
	return control.DND{}
}

// SetForward makes the phone forward every incoming call to target, read
// through the dialing rules like a transfer target (the person typed it,
// so the blocked list does not apply), or switches forwarding off when
// target is empty; it remembers what the phone accepted.
func (s *Service) SetForward(ctx context.Context, target string) (control.Forward, error) {
	dial := ""
	err := switchPhone(ctx, s, phone.CanForward, "forward calls",
		func(ctx context.Context, f phone.Forwarder) (err error) {
			if strings.TrimSpace(target) != "" {
				if dial, err = s.read(target); err != nil {
					return err
				}
			}
			return f.SetForward(ctx, dial)
		},
		func() { s.setForward(dial) })
	return s.Forward(), err
}

// setForward records the phone's call forwarding, to target or off when
// target is empty, set by dialbridge or reported by the phone.
func (s *Service) setForward(target string) {
	s.forward.Store(&control.Forward{Target: target, Known: true})
	s.o.PhoneChanged()
}

// Forward returns the phone's call forwarding as dialbridge last set it
// or the phone last reported it.
func (s *Service) Forward() control.Forward {
	if f := s.forward.Load(); f != nil {
		return *f
	}
	return control.Forward{}
}
