// Package backend connects the windows of package ui to the real parts of
// dialbridge: the running resident (through its control API and the
// per-user control file), the config file (atomic saves) and the desktop
// registration. It holds no Fyne code, so it is tested quickly on its own,
// and ui's windows stay testable with fakes.
package backend

import (
	"github.com/dialbridge/dialbridge/packaging/programs"

	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os/exec"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/ui/data"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// Resident implements the windows' Resident (package ui) over the control API of the resident
// that belongs to a config file. It reads the control file for every
// request, so that a window open while the resident restarts keeps working.
type Resident struct {
	configPath string
	hc         *http.Client
	// Source is how dials from this window are labelled in the resident's
	// log and journal, e.g. "dial pad".
	Source string
}

// NewResident returns the resident of the config file at configPath; hc nil
// means the client's default.
func NewResident(configPath string, hc *http.Client) *Resident {
	return &Resident{configPath: configPath, hc: hc, Source: control.SourceDialPad}
}

var _ pairing.Listener = (*Resident)(nil)

// client reads the control file. A missing file means no resident runs.
func (r *Resident) client() (*control.Client, error) {
	cf, err := control.ReadFile(control.FilePath(r.configPath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: start it from the applications menu or run \"dialbridge\"", control.ErrNotRunning)
	}
	if err != nil {
		return nil, err
	}
	return control.NewClient(cf, r.hc), nil
}

// Dial asks the resident to dial a number the person typed or picked.
func (r *Resident) Dial(ctx context.Context, number, identity string) (string, error) {
	return withClient(r, func(c *control.Client) (string, error) {
		return c.Dial(ctx, control.DialCommand{Number: number, Identity: identity, Typed: true, Source: r.Source})
	})
}

// Transfer asks the resident to hand the call in progress callID (the
// phone's call id or the journal's GUID) over to target as the person
// typed it; the resident normalizes it with its dialing rules. A refusal
// comes back as the resident's own sentence ("that call is not in
// progress", the phone's reason).
func (r *Resident) Transfer(ctx context.Context, callID, target string) error {
	if strings.TrimSpace(callID) == "" {
		return errors.New("no call to transfer was named")
	}
	return r.do(func(c *control.Client) error {
		return c.Call(ctx, callID, "transfer", control.CallCommand{Target: target})
	})
}

// Forward asks the resident to make the phone forward every incoming call
// to target, read through the dialing rules there.
func (r *Resident) Forward(ctx context.Context, target string) error {
	return r.do(func(c *control.Client) error {
		_, err := c.SetForward(ctx, target)
		return err
	})
}

// Ping reports whether the resident runs and accepts this user's token,
// for the About window.
func (r *Resident) Ping(ctx context.Context) error {
	return r.do(func(c *control.Client) error { return c.Ping(ctx) })
}

// Reload tells the resident that the config file changed.
func (r *Resident) Reload(ctx context.Context) error {
	return r.do(func(c *control.Client) error { return c.Reload(ctx) })
}

// Lines returns the identity configured for the phone. The control API has
// no list of the phone's accounts yet, so the dial pad offers no choice
// beyond the configured identity.
func (r *Resident) Lines(context.Context) ([]data.Line, error) {
	cfg, err := config.Load(r.configPath)
	if err != nil {
		return nil, err
	}
	if cfg.Phone.Identity == "" {
		return nil, nil
	}
	return []data.Line{{ID: cfg.Phone.Identity, Label: cfg.Phone.Identity}}, nil
}

// journalLimit is how many calls the windows ask for: a few weeks of a
// busy desk, enough for recent and frequent numbers and for searching.
const journalLimit = 500

// Calls returns the call journal, newest first.
func (r *Resident) Calls(ctx context.Context) ([]phone.Call, error) {
	return withClient(r, func(c *control.Client) ([]phone.Call, error) {
		return converted(data.CallOf)(c.Journal(ctx, control.JournalQuery{Limit: journalLimit}))
	})
}

// Active returns the calls in progress, oldest first.
func (r *Resident) Active(ctx context.Context) ([]phone.Call, error) {
	return withClient(r, func(c *control.Client) ([]phone.Call, error) {
		return converted(data.CallOf)(c.Calls(ctx))
	})
}

// Control answers or hangs up (op) the call in progress callID through
// the endpoint the tray uses.
func (r *Resident) Control(ctx context.Context, callID, op string) error {
	return r.do(func(c *control.Client) error { return c.Call(ctx, callID, op, control.CallCommand{}) })
}

// Operate does op with arg (dtmf digits, or a consult or transfer
// target) to the call in progress callID through the control API.
func (r *Resident) Operate(ctx context.Context, callID, op, arg string) error {
	cmd := control.CallCommand{Target: arg}
	if op == "dtmf" {
		cmd = control.CallCommand{Digits: arg}
	}
	return r.do(func(c *control.Client) error { return c.Call(ctx, callID, op, cmd) })
}

// Deliveries returns the outgoing action URL log, newest first.
func (r *Resident) Deliveries(ctx context.Context) ([]data.Delivery, error) {
	return withClient(r, func(c *control.Client) ([]data.Delivery, error) {
		return converted(deliveryOf)(c.Deliveries(ctx, control.JournalQuery{Limit: journalLimit}))
	})
}

// deliveryOf turns the control API's delivery into what the journal
// window shows.
func deliveryOf(e control.DeliveryEntry) data.Delivery {
	d := data.Delivery{
		ID: strconv.FormatInt(e.ID, 10), At: e.Created, Event: phone.Action(e.Action), URL: e.URL,
		Browser: e.Mode == string(outgoing.ModeBrowser), Status: e.HTTPStatus, Err: e.Err(),
		Attempts: e.Attempts, Pending: e.Status == string(outgoing.StatusPending),
	}
	if e.Done != nil {
		d.At = *e.Done
	}
	d.Failed = e.Status == string(outgoing.StatusFailed)
	return d
}

// RetryDelivery asks the resident to send a failed delivery again.
func (r *Resident) RetryDelivery(ctx context.Context, id string) error {
	err := r.do(func(c *control.Client) error { return c.RetryDelivery(ctx, id) })
	var de *control.DialError
	if errors.As(err, &de) && de.Status == http.StatusNotFound {
		return errors.New("the running dialbridge cannot send an action URL again (its control API has no retry)")
	}
	return err
}

// EventsBase returns where the phone at phoneAddress reaches dialbridge
// and the pairing token, from the config file the resident runs with
// (pairing.Listener).
func (r *Resident) EventsBase(ctx context.Context, phoneAddress string) (string, string, error) {
	cfg, err := config.Load(r.configPath)
	if err != nil {
		return "", "", err
	}
	addr, err := phoneevents.EventsAddress(ctx, cfg.Listener.LANAddress, phoneAddress)
	if err != nil {
		return "", "", err
	}
	if cfg.Phone.PairingToken == "" {
		return "", "", errors.New("there is no pairing token yet: start dialbridge once, then pair the phone again")
	}
	return phoneevents.EventsBaseURL(addr, cfg.Listener.Port, cfg.Listener.LANTLS && !addr.IsLoopback()), cfg.Phone.PairingToken, nil
}

// Seen returns the last request from the phone that reached the resident
// (pairing.Listener).
func (r *Resident) Seen(ctx context.Context) (control.PhoneSeen, error) {
	return withClient(r, func(c *control.Client) (control.PhoneSeen, error) { return c.PhoneSeen(ctx) })
}

// ConfigFile implements the windows' ConfigStore (package ui) on the config file at Path.
type ConfigFile struct {
	Path string
}

// Load reads the file; a missing one means the defaults.
func (f ConfigFile) Load() (config.Config, error) { return config.Load(f.Path) }

// Save writes the file atomically after validating it.
func (f ConfigFile) Save(cfg config.Config) error { return config.Save(f.Path, cfg) }

// Register runs `dialbridge register` with the front program installed
// beside this one, so that the registration names the copy the person is
// running.
func Register(ctx context.Context) error {
	front, err := programs.Path(programs.Front)
	if err != nil {
		return fmt.Errorf("finding dialbridge's own binary: %w", err)
	}
	return run(ctx, front, "register")
}

// run runs a dialbridge command and turns its failure into the sentence it
// printed.
func run(ctx context.Context, bin string, args ...string) error {
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err == nil {
		return nil
	}
	msg := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
		msg = msg[i+1:]
	}
	msg = strings.TrimPrefix(msg, "dialbridge: ")
	if msg == "" {
		return fmt.Errorf("dialbridge %s failed: %w", strings.Join(args, " "), err)
	}
	return fmt.Errorf("%s (%w)", msg, err)
}

// withClient runs f with a client of the running resident, or returns why
// none runs.
func withClient[T any](r *Resident, f func(*control.Client) (T, error)) (T, error) {
	c, err := r.client()
	if err != nil {
		var zero T
		return zero, err
	}
	return f(c)
}

// do is withClient for a call that returns only whether it worked.
func (r *Resident) do(f func(*control.Client) error) error {
	_, err := withClient(r, func(c *control.Client) (struct{}, error) { return struct{}{}, f(c) })
	return err
}

// converted turns a list the control API returned into what the windows
// show, one entry at a time, passing the call's error on.
func converted[E, T any](f func(E) T) func([]E, error) ([]T, error) {
	return func(entries []E, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		out := make([]T, len(entries))
		for i, e := range entries {
			out[i] = f(e)
		}
		return out, nil
	}
}

// Keys returns how the last write of the function keys into the phone
// went, for the Settings "Phone keys" page.
func (r *Resident) Keys(ctx context.Context) (control.KeysStatus, error) {
	return withClient(r, func(c *control.Client) (control.KeysStatus, error) { return c.Keys(ctx) })
}

// LookupSources returns how each caller lookup source of the running
// dialbridge is doing, for the lines under the sources on the Settings
// "Contacts" page.
func (r *Resident) LookupSources(ctx context.Context) ([]lookup.SourceStatus, error) {
	return withClient(r, func(c *control.Client) ([]lookup.SourceStatus, error) {
		return converted(lookup.StatusOf)(c.LookupSources(ctx))
	})
}

// WriteKeys has the resident write the function keys into the phone now.
func (r *Resident) WriteKeys(ctx context.Context) (control.KeysStatus, error) {
	return withClient(r, func(c *control.Client) (control.KeysStatus, error) { return c.WriteKeys(ctx) })
}
