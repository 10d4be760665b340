package pairing

import (
	"context"
	"errors"
	"fmt"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// Reach asks the phone in s for its start page without credentials but
// with s's certificate pin: nil when anything answered (a login challenge
// counts), else why not (a *phone.Error of kind ErrUnreachable, or
// ErrCertificate when the phone shows another certificate than the one
// pinned).
func (p *Pairer) Reach(ctx context.Context, s brands.Settings) error {
	anon := brands.Settings{Timeout: s.Timeout, TLSFingerprint: s.TLSFingerprint, OnNewFingerprint: s.OnNewFingerprint}
	_, _, err := p.startPage(ctx, s.Address, anon)
	if err != nil && phone.KindOf(err) == phone.ErrAuth {
		return nil
	}
	return err
}

// ErrNoReadBack means the phone cannot show its settings to a program, so
// whether its event URLs point at this computer cannot be read.
var ErrNoReadBack = errors.New("this phone does not show its settings to a program")

// EventSettings are the action URL settings the phone in s must hold to
// report its calls to this computer now: the lines "dialbridge
// pairing-urls" prints.
func (p *Pairer) EventSettings(ctx context.Context, s brands.Settings) ([]Setting, error) {
	settings, _, err := p.eventSettings(ctx, s)
	return settings, err
}

// VerifyEvents reads the phone's action URL settings back and checks that
// they point at this computer as it is reached now: a *MismatchError names
// the first that does not, ErrNoReadBack says the phone cannot tell.
func (p *Pairer) VerifyEvents(ctx context.Context, s brands.Settings) error {
	settings, err := p.EventSettings(ctx, s)
	if err != nil {
		return err
	}
	drv, err := p.open(s)
	if err != nil {
		return err
	}
	r, ok := brands.Underlying(drv).(phone.SettingsReader)
	if !ok {
		return ErrNoReadBack
	}
	return VerifySettings(ctx, r, settings)
}

// CanWrite reports whether dialbridge can write the phone's settings
// itself (the brand's driver is a phone.SettingsWriter).
func (p *Pairer) CanWrite(s brands.Settings) bool {
	drv, err := p.open(s)
	if err != nil {
		return false
	}
	_, ok := brands.Underlying(drv).(phone.SettingsWriter)
	return ok
}

// String shows a setting as pairing-urls prints it.
func (s Setting) String() string { return fmt.Sprintf("%s = %s", s.Name, s.Value) }
