package resident

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/leds"
)

// lightsRetry is how long a light the phone did not take waits before it
// is pushed again (the phone was off, or its address changed).
const lightsRetry = 30 * time.Second

// lightsTimeout bounds one push to the phone.
const lightsTimeout = 5 * time.Second

// clearTimeout bounds the clearing at quit: a phone that does not answer
// must not hold up quitting for long.
const clearTimeout = 2 * time.Second

// errNoLights is the error for a phone whose brand takes no key lights.
var errNoLights = errors.New("dialbridge cannot set the key lights")

// keyLights keeps the lights of the [[phone.keys]] bound to a state in
// step with dialbridge: the call service and the confirm prompt say when
// something changed, the engine (phone/leds) says what to push and when,
// and the paired phone's driver pushes it.
type keyLights struct {
	app    *App
	engine *leds.Engine
	kick   chan struct{}
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	// confirming counts the dials waiting for the person's confirmation.
	confirming atomic.Int32

	mu sync.Mutex
	// model is the phone's model as it said it, for the driver it was
	// read from.
	model    string
	modelFor phone.Driver
	// problem is why the lights cannot be set, one sentence ("" when they
	// can), for the log and the Settings page.
	problem string
}

func newKeyLights(r *App) *keyLights {
	return &keyLights{
		app:    r,
		engine: leds.New(nil, 0),
		kick:   make(chan struct{}, 1),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// changed wakes the loop: something a light shows may be different.
func (k *keyLights) changed() {
	select {
	case k.kick <- struct{}{}:
	default:
	}
}

// bindings are the keys of the config whose light shows a state.
func bindings(keys []config.PhoneKey) []leds.Binding {
	var out []leds.Binding
	for _, key := range keys {
		if key.LED != "" && key.LED != leds.None {
			out = append(out, leds.Binding{Key: key.Key, LED: key.LED})
		}
	}
	return out
}

// run pushes the lights until stopped.
func (k *keyLights) run() {
	defer close(k.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		wait := k.step()
		if wait > 0 {
			timer.Reset(wait)
		}
		select {
		case <-k.stop:
			timer.Stop()
			return
		case <-k.kick:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// step takes the state now and pushes what is due; it returns how long
// to wait before the next step (0: until something changes).
func (k *keyLights) step() time.Duration {
	b := bindings(k.app.Config().Phone.Keys)
	ctx, cancel := context.WithTimeout(context.Background(), lightsTimeout)
	defer cancel()
	var st leds.State
	if len(b) > 0 {
		// Without a bound light nothing is read: only lights left on are
		// turned off.
		var err error
		if st, err = k.app.calls.LEDState(ctx); err != nil {
			k.app.log.Warn("the key lights could not read the journal", "error", err)
		}
		st.ConfirmPending = k.confirming.Load() > 0
	}
	k.engine.Update(b, st)
	lights, wait := k.engine.Due()
	if len(lights) == 0 {
		return wait
	}
	if err := k.push(ctx, lights); err != nil {
		k.report(err)
		if errors.Is(err, errNoLights) || errors.Is(err, phone.ErrUnknownModel) {
			// Trying again changes nothing: wait for the next change
			// (a new config, another phone).
			return 0
		}
		return lightsRetry
	}
	k.report(nil)
	k.engine.Shown(lights)
	_, wait = k.engine.Due()
	return wait
}

// push sets lights on the paired phone.
func (k *keyLights) push(ctx context.Context, lights []phone.KeyLight) error {
	drv := k.app.phone.Driver()
	if drv == nil {
		return errors.New("no phone is paired")
	}
	setter, ok := phone.Optional[phone.LEDSetter](drv)
	if !ok {
		return fmt.Errorf("%w of a %s phone; only Snom phones take them", errNoLights, drv.Brand())
	}
	model, err := k.modelOf(ctx, drv)
	if err != nil {
		return err
	}
	return setter.SetLEDs(ctx, model, lights, k.app.calls.PublishScreen)
}

// phoneModel is the paired phone's model as modelOf reads it, "" when it is
// unknown or the phone cannot be asked now: the function keys' writer
// takes it for the smart labels, so keys and lights read the model one way.
func (k *keyLights) phoneModel(ctx context.Context) string {
	drv := k.app.phone.Driver()
	if drv == nil {
		return k.app.Config().Phone.Model
	}
	m, _ := k.modelOf(ctx, drv)
	return m
}

// modelOf is phone.model, or the model the phone names in the
// User-Agent of its requests, or
// on its web interface (asked once per pairing); "" when none says, which
// the driver turns into a sentence.
func (k *keyLights) modelOf(ctx context.Context, drv phone.Driver) (string, error) {
	if m := k.app.Config().Phone.Model; m != "" {
		return m, nil
	}
	if m := phone.ModelOf(k.app.calls.Seen().Agent); m != "" {
		return m, nil
	}
	k.mu.Lock()
	if k.modelFor == drv {
		defer k.mu.Unlock()
		return k.model, nil
	}
	k.mu.Unlock()
	r, ok := phone.Optional[phone.ModelReader](drv)
	if !ok {
		return "", nil
	}
	m, err := r.Model(ctx)
	if err != nil && phone.KindOf(err) != phone.ErrProtocol {
		return "", err // the phone is not reachable now: ask again later
	}
	k.mu.Lock()
	k.model, k.modelFor = m, drv
	k.mu.Unlock()
	return m, nil
}

// report logs why the lights cannot be set, once per reason, and keeps
// it for the Settings page; nil says they can again.
func (k *keyLights) report(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	k.mu.Lock()
	same := k.problem == msg
	k.problem = msg
	k.mu.Unlock()
	switch {
	case same:
	case err != nil:
		k.app.log.Warn("the phone's key lights cannot be set", "reason", msg)
	default:
		k.app.log.Info("the phone's key lights are set again")
	}
}

// Problem is why the key lights cannot be set ("" when they can).
func (k *keyLights) Problem() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.problem
}

// quit stops the loop and turns off every light dialbridge lit: the phone
// keeps a light as it was told last, and nobody keeps it up to date any
// more. The listener must still serve, for the phone fetches the screen
// that clears them.
func (k *keyLights) quit() {
	k.once.Do(func() {
		close(k.stop)
		<-k.done
		lights := k.engine.Clear()
		if len(lights) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), clearTimeout)
		defer cancel()
		if err := k.push(ctx, lights); err != nil {
			k.app.log.Warn("the phone's key lights could not be turned off", "error", err)
			return
		}
		k.engine.Shown(lights)
	})
}

// confirmCounter is the dial service's Confirmer with the confirm prompt
// counted, so that a key bound to confirm_pending blinks while a dial waits.
type confirmCounter struct {
	actionurl.Confirmer
	lights *keyLights
}

// Confirm asks the person through the wrapped Confirmer, counted.
func (c confirmCounter) Confirm(ctx context.Context, req actionurl.ConfirmRequest) (actionurl.Decision, error) {
	c.lights.confirming.Add(1)
	c.lights.changed()
	defer func() {
		c.lights.confirming.Add(-1)
		c.lights.changed()
	}()
	return c.Confirmer.Confirm(ctx, req)
}

// LightsProblem is why the phone's key lights cannot be set, one sentence
// ("" when they can, or no key's light is bound), for the Settings page.
func (r *App) LightsProblem() string {
	if r.lights == nil || len(bindings(r.Config().Phone.Keys)) == 0 {
		return ""
	}
	return r.lights.Problem()
}
