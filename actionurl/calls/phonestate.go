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

// capable finds the paired driver's optional capability T, which the
// driver must also declare as c, or says in one sentence that the brand
// cannot do op.
func capable[T any](s *Service, c phone.Capability, op string) (T, error) {
	var zero T
	if s.o.Driver == nil || s.o.Driver() == nil {
		return zero, errors.New("no phone is paired")
	}
	drv := s.o.Driver()
	t, ok := phone.Optional[T](drv)
	if !ok || !drv.Capabilities().Has(c) {
		return zero, phone.NotSupported(drv.Brand(), op)
	}
	return t, nil
}

// SetDND switches the phone's do not disturb on or off and remembers
// what the phone accepted, so that the tray's check item shows it.
func (s *Service) SetDND(ctx context.Context, on bool) (control.DND, error) {
	d, err := capable[phone.DoNotDisturb](s, phone.CanDND, "switch do not disturb")
	if err != nil {
		return s.DND(), err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := d.SetDND(ctx, on); err != nil {
		return s.DND(), err
	}
	s.setDND(on)
	return s.DND(), nil
}

// setDND records the phone's do not disturb, set by dialbridge or
// reported by the phone.
func (s *Service) setDND(on bool) {
	s.stateMu.Lock()
	s.dnd = control.DND{On: on, Known: true}
	s.stateMu.Unlock()
	s.o.PhoneChanged()
	s.changed()
}

// DND returns the phone's do not disturb as dialbridge last set it or
// the phone last reported it.
func (s *Service) DND() control.DND {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.dnd
}

// SetForward makes the phone forward every incoming call to target, read
// through the dialing rules like a transfer target (the person typed it,
// so the blocked list does not apply), or switches forwarding off when
// target is empty; it remembers what the phone accepted.
func (s *Service) SetForward(ctx context.Context, target string) (control.Forward, error) {
	f, err := capable[phone.Forwarder](s, phone.CanForward, "forward calls")
	if err != nil {
		return s.Forward(), err
	}
	dial := ""
	if strings.TrimSpace(target) != "" {
		if dial, err = s.read(target); err != nil {
			return s.Forward(), err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := f.SetForward(ctx, dial); err != nil {
		return s.Forward(), err
	}
	s.setForward(dial)
	return s.Forward(), nil
}

// setForward records the phone's call forwarding, to target or off when
// target is empty, set by dialbridge or reported by the phone.
func (s *Service) setForward(target string) {
	s.stateMu.Lock()
	s.forward = control.Forward{Target: target, Known: true}
	s.stateMu.Unlock()
	s.o.PhoneChanged()
}

// Forward returns the phone's call forwarding as dialbridge last set it
// or the phone last reported it.
func (s *Service) Forward() control.Forward {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.forward
}
