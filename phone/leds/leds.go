// Package leds decides what the lights of the phone's function keys show:
// from dialbridge's state (calls, missed calls, the outbox, the confirm
// prompt, do not disturb) it computes each bound key's light, and tells
// when a light must be pushed to the phone. It does no I/O and reads the
// clock it is given, so that its scenarios run as golden files.
package leds

import (
	"slices"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// The states a key's light can show, as [[phone.keys]] led names them.
const (
	None           = "none"
	MissedCalls    = "missed_calls"
	InCall         = "in_call"
	CRMFailing     = "crm_failing"
	ConfirmPending = "confirm_pending"
	DND            = "dnd"
)

// State is what dialbridge knows right now, gathered from the call
// service, the outbox, the listener's confirm prompt and the phone's do
// not disturb.
type State struct {
	// Ringing: a call rings (inbound, not yet answered).
	Ringing bool
	// InCall: a call is in progress (answered, dialing out or on hold).
	InCall bool
	// Missed is the number of missed calls not yet returned.
	Missed int
	// CRMFailing: the last attempt to deliver an outgoing action URL
	// failed.
	CRMFailing bool
	// ConfirmPending: a dial waits for the person to confirm it.
	ConfirmPending bool
	// DND: do not disturb is on.
	DND bool
}

// Binding is a function key whose light shows one state (led of
// [[phone.keys]]).
type Binding struct {
	Key int
	LED string
}

// Colours by state: red for what needs the person (a missed call, a
// failing CRM, do not disturb that refuses callers), green for a call,
// orange for a question waiting.
var colors = map[string]string{
	MissedCalls:    "red",
	InCall:         "green",
	CRMFailing:     "red",
	ConfirmPending: "orange",
	DND:            "red",
}

// LightOf is what the light of a key bound to led shows in st.
func LightOf(led string, st State) phone.KeyLight {
	l := phone.KeyLight{Light: phone.LightOff, Color: colors[led]}
	switch led {
	case MissedCalls:
		if st.Missed > 0 {
			l.Light = phone.LightBlink
		}
	case InCall:
		switch {
		case st.Ringing:
			l.Light = phone.LightBlink
		case st.InCall:
			l.Light = phone.LightOn
		}
	case CRMFailing:
		if st.CRMFailing {
			l.Light = phone.LightOn
		}
	case ConfirmPending:
		if st.ConfirmPending {
			l.Light = phone.LightBlink
		}
	case DND:
		if st.DND {
			l.Light = phone.LightOn
		}
	}
	return l
}

// Lights is every bound key's light in st, by key; keys bound to no
// state ("" or none) are left out: dialbridge leaves their light alone.
func Lights(bindings []Binding, st State) []phone.KeyLight {
	var out []phone.KeyLight
	for _, b := range bindings {
		if b.LED == "" || b.LED == None {
			continue
		}
		l := LightOf(b.LED, st)
		l.Key = b.Key
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b phone.KeyLight) int { return a.Key - b.Key })
	return out
}

// DefaultDebounce is how long a change waits before it is pushed: a call
// that rings and is answered at once, or an event repeated by the phone,
// becomes one push instead of a flicker of requests to the phone.
const DefaultDebounce = 300 * time.Millisecond

// Engine keeps what the phone shows and what it should show, and says
// which lights to push when. A change is pushed Debounce after the first
// change not yet pushed (so a steady stream of changes cannot hold the
// lights back for ever); nothing is pushed when the lights the phone shows
// are already right. Safe for concurrent use.
type Engine struct {
	now      func() time.Time
	debounce time.Duration

	mu       sync.Mutex
	bindings []Binding
	state    State
	shown    map[int]phone.KeyLight // what the phone was last told, by key
	since    time.Time              // the first change not yet pushed; zero for none
}

// New returns an engine with the clock now (nil: time.Now) and the
// debounce (0: DefaultDebounce). Nothing is known to be shown yet, so the
// first Update pushes every bound light.
func New(now func() time.Time, debounce time.Duration) *Engine {
	if now == nil {
		now = time.Now
	}
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	return &Engine{now: now, debounce: debounce, shown: map[int]phone.KeyLight{}}
}

// Update takes the bindings and the state now. It reports how long to wait
// before Due has something to push (0: nothing pending).
func (e *Engine) Update(bindings []Binding, st State) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.bindings, e.state = slices.Clone(bindings), st
	if len(e.changesLocked()) == 0 {
		e.since = time.Time{}
		return 0
	}
	now := e.now()
	if e.since.IsZero() {
		e.since = now
	}
	return max(e.since.Add(e.debounce).Sub(now), time.Nanosecond)
}

// Due returns the lights to push now: those whose wanted state differs
// from what the phone shows, once the debounce has passed; nil otherwise,
// with how long to wait (0: nothing pending).
func (e *Engine) Due() ([]phone.KeyLight, time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := e.changesLocked()
	if len(ch) == 0 {
		e.since = time.Time{}
		return nil, 0
	}
	if wait := e.since.Add(e.debounce).Sub(e.now()); wait > 0 {
		return nil, wait
	}
	return ch, 0
}

// Shown records that the phone shows lights (they were pushed).
func (e *Engine) Shown(lights []phone.KeyLight) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range lights {
		e.shown[l.Key] = l
	}
	if len(e.changesLocked()) == 0 {
		e.since = time.Time{}
	}
}

// Clear returns the lights that turn off every light dialbridge lit (the
// keys it set and the keys no longer bound), for when dialbridge quits.
// The phone keeps a light as it was told last, so a light left on would
// show a state nobody keeps any more.
func (e *Engine) Clear() []phone.KeyLight {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []phone.KeyLight
	for _, l := range e.shown {
		if l.Light != phone.LightOff {
			out = append(out, phone.KeyLight{Key: l.Key, Light: phone.LightOff, Color: l.Color})
		}
	}
	slices.SortFunc(out, func(a, b phone.KeyLight) int { return a.Key - b.Key })
	return out
}

// Forget makes the engine push every light again: the phone was paired
// anew or restarted and shows what it shows.
func (e *Engine) Forget() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.shown = map[int]phone.KeyLight{}
	e.since = time.Time{}
}

// changesLocked is every light to push: wanted and not shown, and lights
// of keys no longer bound to a state that were left lit (turned off).
func (e *Engine) changesLocked() []phone.KeyLight {
	want := Lights(e.bindings, e.state)
	var out []phone.KeyLight
	wanted := map[int]bool{}
	for _, l := range want {
		wanted[l.Key] = true
		if s, ok := e.shown[l.Key]; !ok || s != l {
			out = append(out, l)
		}
	}
	for k, s := range e.shown {
		if !wanted[k] && s.Light != phone.LightOff {
			out = append(out, phone.KeyLight{Key: k, Light: phone.LightOff, Color: s.Color})
		}
	}
	slices.SortFunc(out, func(a, b phone.KeyLight) int { return a.Key - b.Key })
	return out
}
