package phonekeys

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Config returns the current config.
	Config func() config.Config
	// Driver returns the paired phone's driver; nil when none is paired.
	Driver func() phone.Driver
	// Token returns the pairing token.
	Token func() string
	// Base returns the address the phone reaches dialbridge at
	// (phoneevents.KeysBase with the listener's port).
	Base func(ctx context.Context) (string, error)
	// Model returns the phone's model for its smart labels: phone.model,
	// else what the phone itself names; "" when unknown (no short labels).
	// nil for always unknown.
	Model func(ctx context.Context) string
	// Lights returns why the keys' lights cannot be set ("" when they
	// can), for the status; nil for never.
	Lights func() string
	// Words puts a failed write's error in the person's words for the
	// status (i18n.Error); nil keeps its English.
	Words func(error) string
	Now   func() time.Time
	Log   *slog.Logger
}

// keyState is how the last write left one key.
type keyState struct {
	binding config.PhoneKey
	state   string
	err     string
	at      time.Time
}

// Writer writes the [[phone.keys]] bindings into the phone when dialbridge
// starts, whenever the config changes and when asked, and resets the keys
// whose binding was deleted since it last wrote them. It remembers what
// it wrote for as long as dialbridge runs.
type Writer struct {
	o WriterOptions

	// writing lets one write run at a time.
	writing sync.Mutex

	mu sync.Mutex
	// written are the keys the phone holds from dialbridge, by number.
	written map[int]bool
	keys    map[int]keyState
	last    time.Time
	lastErr string
	manual  string
}

// NewWriter returns a Writer that has written nothing yet.
func NewWriter(o WriterOptions) *Writer {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Words == nil {
		o.Words = func(err error) string { return err.Error() }
	}
	if o.Model == nil {
		o.Model = func(context.Context) string { return "" }
	}
	return &Writer{o: o, written: map[int]bool{}, keys: map[int]keyState{}}
}

// Write writes every bound key into the phone and resets the keys whose
// binding was deleted, and returns the status after it. A phone without
// keys to write or reset gets no request.
func (w *Writer) Write(ctx context.Context) control.KeysStatus {
	w.writing.Lock()
	defer w.writing.Unlock()
	cfg := w.o.Config()
	removed := w.removed(cfg)
	err := w.write(ctx, cfg, removed)
	now := w.o.Now()
	w.mu.Lock()
	w.last, w.lastErr, w.manual = now, "", ""
	state := control.KeyWritten
	switch {
	case errors.Is(err, errManual):
		w.manual, state = ManualEntry, control.KeyManual
	case err != nil:
		w.lastErr, state = w.o.Words(err), control.KeyFailed
		w.o.Log.Warn("the phone's function keys could not be written", "error", err)
	default:
		for _, n := range removed {
			delete(w.written, n)
		}
	}
	for _, k := range cfg.Phone.Keys {
		w.keys[k.Key] = keyState{binding: k, state: state, err: w.lastErr, at: now}
		if state == control.KeyWritten {
			w.written[k.Key] = true
		}
	}
	w.mu.Unlock()
	return w.Status()
}

// errManual: the brand's keys are entered by hand.
var errManual = errors.New("manual")

func (w *Writer) write(ctx context.Context, cfg config.Config, removed []int) error {
	if len(cfg.Phone.Keys) == 0 && len(removed) == 0 {
		return nil
	}
	var drv phone.Driver
	if w.o.Driver != nil {
		drv = w.o.Driver()
	}
	if drv == nil {
		return sentence.New("fkeys.err.not_paired", "No phone is paired, so its keys cannot be written.", nil, nil)
	}
	sw, canWrite := phone.Optional[phone.SettingsWriter](drv)
	base, err := w.o.Base(ctx)
	if err != nil {
		return err
	}
	settings, err := Settings(cfg, base, w.o.Token(), w.o.Model(ctx), removed)
	if err != nil {
		return err
	}
	if !canWrite {
		return errManual
	}
	return sw.SetSettings(ctx, settings...)
}

// removed are the keys dialbridge wrote that cfg binds no more.
func (w *Writer) removed(cfg config.Config) []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.removedLocked(cfg)
}

// Status is how the last write left the keys the config binds now; a key
// bound (or changed) since is pending.
func (w *Writer) Status() control.KeysStatus {
	cfg := w.o.Config()
	w.mu.Lock()
	defer w.mu.Unlock()
	st := control.KeysStatus{Keys: []control.KeyStatus{}, Removed: w.removedLocked(cfg), Manual: w.manual, Error: w.lastErr}
	if !w.last.IsZero() {
		at := w.last
		st.At = &at
	}
	if w.o.Lights != nil {
		st.Lights = w.o.Lights()
	}
	for _, k := range cfg.Phone.Keys {
		ks := control.KeyStatus{Key: k.Key, Label: k.Label, Action: k.Action, State: control.KeyPending}
		if s, ok := w.keys[k.Key]; ok && s.binding == k {
			at := s.at
			ks.State, ks.Error, ks.At = s.state, s.err, &at
		}
		st.Keys = append(st.Keys, ks)
	}
	return st
}

func (w *Writer) removedLocked(cfg config.Config) []int {
	var out []int
	for _, n := range slices.Sorted(maps.Keys(w.written)) {
		if _, ok := Binding(cfg, n); !ok {
			out = append(out, n)
		}
	}
	return out
}
