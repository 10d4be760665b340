// Package ui holds dialbridge's Fyne windows: the dial pad (which also
// transfers a call), the settings, the pairing wizard, the call journal,
// the confirmation prompt and the About window.
//
// The windows run in their own short-lived process (`dialbridge ui WINDOW`),
// never in the resident: Fyne's driver ticks all the time and would cost the
// resident ~100 MB and a few % of a core all day. To keep them testable
// headless with fyne.io/fyne/v2/test, this package never imports
// fyne.io/fyne/v2/app: every constructor takes the fyne.App and the few
// things the window needs from outside (the running resident, the config
// file, the keyring, a clock) as small interfaces, which cmd/dialbridge-ui
// wires to the real parts through ui/backend.
//
// The settings window and the pairing wizard are a file per page
// (settings_PAGE.go, wizard_STEP.go) over ui/form, their model without a
// window: the fields as plain values, the problems with them keyed by
// config key, and the save sequence.
//
// Every word a person sees goes through fyne.io/fyne/v2/lang with a key of
// ui.en.json / ui.de.json in i18n/translations.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/data"
)

// Resident is the running dialbridge as the windows see it: its control
// API. The windows never talk to the phone for dialing or read the journal
// files themselves, so that the resident's rules (confirmation, blocked
// numbers, rate limit) apply to every dial.
type Resident interface {
	// Dial asks the resident to dial number, typed by the person, from
	// identity ("" for the phone's default). It returns what the phone dialed.
	Dial(ctx context.Context, number, identity string) (dialed string, err error)
	// Calls returns the call journal, newest first.
	Calls(ctx context.Context) ([]phone.Call, error)
	// Deliveries returns the log of outgoing action URLs, newest first.
	Deliveries(ctx context.Context) ([]Delivery, error)
	// RetryDelivery sends a failed outgoing action URL again.
	RetryDelivery(ctx context.Context, id string) error
	// Reload makes the resident re-read the config file after it was saved.
	Reload(ctx context.Context) error
	// Lines lists the identities (accounts, lines) the phone can dial from.
	// Zero or one line means there is nothing to choose.
	Lines(ctx context.Context) ([]Line, error)
	// Transfer hands the call in progress callID (the phone's call id or
	// the journal's GUID) over to target, as the person typed it: the
	// resident applies the dialing rules, so that a transfer reaches the
	// same number a dial of the same text would.
	Transfer(ctx context.Context, callID, target string) error
	// Active returns the calls in progress, oldest first.
	Active(ctx context.Context) ([]phone.Call, error)
	// Control carries out op ("answer", "hangup") on the call in progress
	// callID, as the tray's items do.
	Control(ctx context.Context, callID, op string) error
	// Operate carries out op with its argument on the call in progress
	// callID: "dtmf" with the digits, "consult" with the target as typed,
	// "transfer" with "" to complete an attended transfer.
	Operate(ctx context.Context, callID, op, arg string) error
	// Forward makes the phone forward every incoming call to target, as
	// the person typed it (the resident applies the dialing rules).
	Forward(ctx context.Context, target string) error
}

// Pinger tells whether the resident runs. The About window needs only
// this, so it takes the one method rather than the whole Resident.
type Pinger interface {
	// Ping returns nil when the resident answers, else why it does not
	// (as a sentence for the person).
	Ping(ctx context.Context) error
}

// Line is one identity of the phone that a dial can go out on.
type Line = data.Line

// Delivery is one outgoing action URL as the delivery log recorded it.
type Delivery = data.Delivery

// ConfigStore loads and saves the config file. Saving must be atomic: the
// windows save what the person confirmed, and a crash must never leave half
// a file behind.
type ConfigStore interface {
	Load() (config.Config, error)
	Save(config.Config) error
}

// SecretStore keeps passwords in the system keyring (config.Secrets
// implements it). Passwords never go into the config file.
type SecretStore interface {
	Get(user string) (string, error)
	Set(user, password string) error
	Delete(user string) error
}

// Env is what every window takes besides its own dependencies.
type Env struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Go runs slow work (network, keyring, disk) off the UI goroutine; nil
	// means `go f()`. Tests pass a function that runs f at once, so that a
	// tap's whole effect is visible when test.Tap returns.
	Go func(f func())
	// Timeout bounds one request to the resident or the phone; 0 means 20s.
	Timeout time.Duration
}

func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e Env) spawn(f func()) {
	if e.Go == nil {
		go f()
		return
	}
	e.Go(f)
}

func (e Env) context() (context.Context, context.CancelFunc) {
	d := e.Timeout
	if d == 0 {
		d = 20 * time.Second
	}
	return context.WithTimeout(context.Background(), d)
}

// ask runs call off the UI goroutine (Env.Go) within one request's time
// (Env.Timeout) and hands its answer to show on the UI goroutine: how a
// window asks the resident or the phone something without freezing.
func ask[T any](e Env, call func(context.Context) (T, error), show func(T, error)) {
	e.spawn(func() {
		ctx, cancel := e.context()
		defer cancel()
		v, err := call(ctx)
		fyne.Do(func() { show(v, err) })
	})
}

// askDone is ask for a call that answers only whether it worked.
func askDone(e Env, call func(context.Context) error, show func(error)) {
	ask(e, func(ctx context.Context) (struct{}, error) { return struct{}{}, call(ctx) },
		func(_ struct{}, err error) { show(err) })
}
