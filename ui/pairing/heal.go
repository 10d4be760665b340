package pairing

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
)

// Healing is what one Heal did.
type Healing int

// The outcomes of Heal.
const (
	// Unchanged: the phone's event URLs point here (or nothing is known
	// to have moved).
	Unchanged Healing = iota
	// Rewritten: this computer's address changed and dialbridge wrote the
	// phone's event URLs anew.
	Rewritten
	// Notified: the address changed but dialbridge cannot (or may not)
	// change the phone's settings; the person was told which to change.
	Notified
	// BackedOff: the phone refused the password before, and dialbridge
	// leaves it alone for a while rather than have it lock this computer
	// out.
	BackedOff
)

// Healer keeps the phone's event URLs pointing at this computer when its
// address changes (DHCP, VPN, a laptop moving between offices): it
// rewrites them where dialbridge wrote them (the phone's setting carries
// dialbridge's pairing token) and the brand lets a program, and otherwise
// tells the person the one setting to change. The tray calls Heal after
// each check that found the phone answering.
type Healer struct {
	Pairer *Pairer
	// Phone is the configured phone with its password, read anew each
	// time so that a re-pairing takes effect.
	Phone func() (brands.Settings, error)
	// Notify tells the person something (a desktop notification).
	Notify func(title, body string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	lastBase string
	told     string
	refused  int
	quiet    time.Time
	verified time.Time
}

// readBackEvery is how often Heal reads the phone's settings back while
// this computer's address stays the same: a person may change them on the
// phone, but the tray's 30-second check need not ask the phone each time.
const readBackEvery = 5 * time.Minute

// refusalPause is how long Heal leaves a phone alone after it refused the
// password; it doubles with each further refusal. Yealink phones lock a
// client out after a few failed logins in a row, so dialbridge never makes
// more than one failed login an hour on its own.
const refusalPause = time.Hour

// Heal checks where the phone sends its events and heals or tells.
func (h *Healer) Heal(ctx context.Context) (Healing, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if now.Before(h.quiet) {
		return BackedOff, nil
	}
	s, err := h.Phone()
	if err != nil {
		return Unchanged, err
	}
	if _, ok := brands.EventFormat(s.Brand); !ok {
		return Unchanged, nil // the phone sends no events to follow
	}
	want, err := h.Pairer.EventSettings(ctx, s)
	if err != nil || len(want) == 0 {
		return Unchanged, err
	}
	base := want[0].Value
	if base == h.lastBase && now.Sub(h.verified) < readBackEvery {
		return Unchanged, nil
	}
	err = h.Pairer.VerifyEvents(ctx, s)
	var mismatch *MismatchError
	switch {
	case err == nil:
		h.lastBase, h.refused, h.verified = base, 0, now
		return Unchanged, nil
	case errors.Is(err, ErrNoReadBack):
		// Nothing to read: only a change of this computer's address
		// seen while running tells that the phone points elsewhere.
		if h.lastBase == "" || h.lastBase == base {
			h.lastBase = base
			return Unchanged, nil
		}
		if h.Pairer.CanWrite(s) {
			return h.rewrite(ctx, s, base, now)
		}
		return h.tell(s, want, base), nil
	case errors.As(err, &mismatch):
		if h.Pairer.CanWrite(s) && ours(mismatch.Got, mismatch.Setting.Value) {
			return h.rewrite(ctx, s, base, now)
		}
		return h.tell(s, want, base), nil
	case phone.KindOf(err) == phone.ErrAuth:
		return h.backOff(s, now), nil
	default:
		return Unchanged, err
	}
}

// ours reports whether a phone setting's value got is an event URL
// dialbridge wrote: the URL it wants now with another host, since the
// path carries the pairing token, which only pairing hands out. A URL the
// person pointed elsewhere is left alone.
func ours(got, want string) bool {
	g, err1 := url.Parse(got)
	w, err2 := url.Parse(want)
	return err1 == nil && err2 == nil && g.Host != "" && g.Path == w.Path && g.RawQuery == w.RawQuery
}

// rewrite writes the event URLs anew.
func (h *Healer) rewrite(ctx context.Context, s brands.Settings, base string, now time.Time) (Healing, error) {
	if _, err := h.Pairer.SetUpEvents(ctx, s); err != nil {
		if phone.KindOf(err) == phone.ErrAuth {
			return h.backOff(s, now), nil
		}
		return Unchanged, err
	}
	h.lastBase, h.refused = base, 0
	h.notify(lang.X("heal.rewritten.title", "Phone events follow this computer"),
		lang.X("heal.rewritten.body", "This computer's address changed; dialbridge pointed the phone's event URLs at {{.Base}}.", map[string]any{"Base": trimPath(base)}))
	return Rewritten, nil
}

// tell names the setting to change, once per new address.
func (h *Healer) tell(s brands.Settings, want []Setting, base string) Healing {
	if h.told == base {
		return Notified
	}
	h.told = base
	where := brands.SettingsPage(s.Brand)
	h.notify(lang.X("heal.tell.title", "The phone sends its events to an old address"),
		lang.X("heal.tell.body", "This computer's address changed. In the phone's web interface ({{.Where}}) set {{.Name}} to {{.Value}}, and the other event URLs alike; \"dialbridge pairing-urls\" prints them all.",
			map[string]any{"Where": where, "Name": want[0].Name, "Value": want[0].Value}))
	return Notified
}

// backOff stops trying the phone's password for a while, and says why.
func (h *Healer) backOff(s brands.Settings, now time.Time) Healing {
	h.refused++
	pause := refusalPause << (h.refused - 1)
	h.quiet = now.Add(pause)
	h.notify(lang.X("heal.refused.title", "The phone refused the password"),
		lang.X("heal.refused.body", "The phone at {{.Address}} refused dialbridge's password. dialbridge will not sign in to it again for {{.Pause}}, so that the phone does not lock this computer out (Yealink phones do after repeated failed logins). Run \"dialbridge pair\" with the right password.",
			map[string]any{"Address": s.Address, "Pause": pause.String()}))
	return BackedOff
}

func (h *Healer) notify(title, body string) {
	if h.Notify != nil {
		h.Notify(title, body)
	}
}

func (h *Healer) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// trimPath is an event URL's scheme, host and port.
func trimPath(u string) string {
	if i := strings.Index(u, phoneevents.PhoneEventsPrefix); i > 0 {
		return u[:i]
	}
	return u
}
