package snom

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EventSim plays calls on a simulated Snom phone by requesting its action
// URLs the way the phone does: it fills in the runtime variables ($remote,
// $display_remote, $call-id, $csta_id, ...) escaped, and requests each
// configured URL with a GET as the call goes through its states. Like a
// real phone, it waits for the person: an incoming call rings until it is
// answered or rejected (or the caller gives up: missed), a connected call
// lasts until it is hung up or transferred, and hold toggles. Key presses
// reach it through Press, which the simulated command.htm calls (see
// SimOptions.Events), so dialbridge's own Answer, Hang up, Hold and
// Transfer drive it as they drive a desk phone. The demo mode points it at
// dialbridge.
type EventSim struct {
	client      *http.Client
	local       string
	localName   string
	pause       time.Duration
	ringTimeout time.Duration
	onError     func(error)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	urls   map[string]string
	nextID int
	// lastReport closes when the latest fireLater's request is answered:
	// the next one waits for it, so that the phone's reports of its
	// settings arrive in the order they changed, as a phone sends them.
	lastReport chan struct{}
	fired      []string
	// calls are the calls in progress, newest last; the keypad acts on
	// the newest, as on a phone showing it.
	calls []*liveCall
}

// DefaultRingTimeout is how long an unanswered incoming call rings before
// the caller gives up and it counts as missed.
const DefaultRingTimeout = 30 * time.Second

// EventSimOptions configure an EventSim.
type EventSimOptions struct {
	// Client makes the requests; nil means one with a 5-second time-out.
	Client *http.Client
	// Local and LocalName are the phone's identity ($local,
	// $display_local); defaults "demo@dialbridge.invalid" and "Demo phone".
	Local, LocalName string
	// Pause is how long the far end of a dialed call takes to pick up;
	// 0 picks up at once (tests).
	Pause time.Duration
	// RingTimeout is how long an incoming call rings unanswered before it
	// is missed; 0 means DefaultRingTimeout.
	RingTimeout time.Duration
	// OnError hears of an event the listener refused or could not take
	// (the demo mode logs it); nil drops it.
	OnError func(error)
}

// NewEventSim returns a simulated phone with no action URLs set. Close
// ends its calls.
func NewEventSim(o EventSimOptions) *EventSim {
	s := &EventSim{client: o.Client, local: o.Local, localName: o.LocalName, pause: o.Pause,
		ringTimeout: o.RingTimeout, onError: o.OnError, urls: map[string]string{}}
	if s.client == nil {
		s.client = &http.Client{Timeout: 5 * time.Second}
	}
	if s.local == "" {
		s.local = "demo@dialbridge.invalid"
	}
	if s.localName == "" {
		s.localName = "Demo phone"
	}
	if s.ringTimeout <= 0 {
		s.ringTimeout = DefaultRingTimeout
	}
	if s.onError == nil {
		s.onError = func(error) {}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close ends every call in progress without further events (the phone
// was switched off) and waits for them.
func (s *EventSim) Close() {
	s.cancel()
	s.wg.Wait()
}

// SetActionURLs sets the phone's action URL settings by name, e.g.
// "action_incoming_url" (what pairing writes to a real phone). An empty
// value clears a setting.
func (s *EventSim) SetActionURLs(settings map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, u := range settings {
		if u == "" {
			delete(s.urls, name)
			continue
		}
		s.urls[name] = u
	}
}

// Fired returns the URLs requested so far, variables filled in.
func (s *EventSim) Fired() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.fired...)
}

// simCall is what the phone's variables say about one call.
type simCall struct {
	callID, cstaID, remote, remoteName string
}

// liveCall is a call in progress and the key presses meant for it.
type liveCall struct {
	simCall
	keys chan string
}

// Ring plays an incoming call from number from (display name name) in the
// background: it rings until answered (ENTER), rejected (CANCEL) or, after
// the ring time-out, missed.
func (s *EventSim) Ring(from, name string) {
	s.run(from, name, "action_incoming_url", s.ringTimeout, "ENTER", "action_missed_url", "action_disconnected_url")
}

// Dial plays a call the phone places to number to, in the background: it
// is reported at once, connected when the far end picks up (after Pause),
// and lasts until hung up. CANCEL before the far end picks up ends it
// unanswered.
func (s *EventSim) Dial(to string) {
	s.run(to, "", "action_outgoing_url", s.pause, "")
}

// setUp is a call before it connects: first is reported at once; the call
// connects when answerKey is pressed, or when wait has passed if timedOut
// is empty; otherwise the wait ends it with the timedOut events. CANCEL
// ends it unconnected.
func (s *EventSim) setUp(c *liveCall, first string, wait time.Duration, answerKey string, timedOut ...string) error {
	if err := s.fire(first, c); err != nil {
		return err
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case <-timer.C:
			for _, ev := range timedOut {
				if err := s.fire(ev, c); err != nil {
					return err
				}
			}
			if len(timedOut) > 0 {
				return nil
			}
		case k := <-c.keys:
			if k == "CANCEL" {
				return s.fire("action_disconnected_url", c)
			}
			if k != answerKey || answerKey == "" {
				continue
			}
		}
		if err := s.fire("action_connected_url", c); err != nil {
			return err
		}
		return s.talk(c)
	}
}

// talk is a connected call: the HOLD key toggles hold, CANCEL hangs up,
// TRANSFER, the target's digits and ENTER hand the call over (it ends
// here), and on hold the target's digits and ENTER call the target for an
// attended transfer, which TRANSFER on that call completes (keyXferDone).
func (s *EventSim) talk(c *liveCall) error {
	held, transferring := false, false
	var consult strings.Builder
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case k := <-c.keys:
			switch {
			case k == "CANCEL", k == keyXferDone, transferring && k == "ENTER":
				return s.fire("action_disconnected_url", c)
			case held && k == "ENTER" && consult.Len() > 0:
				s.Dial(consult.String())
				consult.Reset()
			case held && len(k) == 1 && strings.Contains("0123456789*#", k):
				consult.WriteString(k)
			case k == "TRANSFER":
				transferring = true
			case k == keyHold || k == keyHoldOld:
				held = !held
				ev := "action_unhold_url"
				if held {
					ev = "action_hold_url"
				}
				if err := s.fire(ev, c); err != nil {
					return err
				}
			}
		}
	}
}

// keyXferDone is what the phone tells both calls of a completed attended
// transfer: each of them ends here.
const keyXferDone = "transfer done"

// Press hands key events to the newest call in progress, as the keypad
// does. It reports false when no call is in progress to take them.
func (s *EventSim) Press(keys ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) == 0 {
		return false
	}
	c := s.calls[len(s.calls)-1]
	if len(s.calls) > 1 && len(keys) == 1 && keys[0] == "TRANSFER" {
		// TRANSFER with a call on hold and a consultation call: the
		// attended transfer completes and the phone leaves both.
		for _, o := range s.calls[len(s.calls)-2:] {
			o.keys <- keyXferDone
		}
		return true
	}
	for _, k := range keys {
		select {
		case c.keys <- k:
		default:
			return false // more keys than a person types: the phone drops them
		}
	}
	return true
}

// DND reports that do not disturb went on or off, as the phone does with
// its DND action URLs, in the background.
func (s *EventSim) DND(on bool) {
	setting := "action_dnd_off_url"
	if on {
		setting = "action_dnd_on_url"
	}
	s.fireLater(setting)
}

// Forward reports that the forwarding of every call went on, to target,
// or off, as the phone does with its redirection action URLs, in the
// background.
func (s *EventSim) Forward(on bool, target string) {
	if on {
		s.fireLater("action_redirection_on_url", "$fwd_all_target1", target)
		return
	}
	s.fireLater("action_redirection_off_url")
}

// fireLater requests the action URL of setting, which concerns no call,
// in the background, after the reports fired before it; vars are pairs of
// a setting variable and its value.
func (s *EventSim) fireLater(setting string, vars ...string) {
	s.wg.Add(1)
	s.mu.Lock()
	prev, done := s.lastReport, make(chan struct{})
	s.lastReport = done
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer close(done)
		if prev != nil {
			<-prev
		}
		if err := s.fire(setting, &liveCall{}, vars...); err != nil && s.ctx.Err() == nil {
			s.onError(err)
		}
	}()
}

// run starts a call on its own goroutine (see setUp) and forgets it when
// it ends.
func (s *EventSim) run(remote, name, first string, wait time.Duration, answerKey string, timedOut ...string) {
	s.mu.Lock()
	s.nextID++
	c := &liveCall{simCall: simCall{
		callID:     fmt.Sprintf("sim%d-%d@dialbridge.invalid", s.nextID, time.Now().UnixNano()%1e9),
		cstaID:     strconv.Itoa(-s.nextID),
		remote:     remote,
		remoteName: name,
	}, keys: make(chan string, 64)}
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.setUp(c, first, wait, answerKey, timedOut...); err != nil && s.ctx.Err() == nil {
			s.onError(err)
		}
		s.mu.Lock()
		s.calls = slices.DeleteFunc(s.calls, func(o *liveCall) bool { return o == c })
		s.mu.Unlock()
	}()
}

// fire requests one action URL, if the phone has it set; vars are pairs
// of a further variable (a setting of the phone) and its value.
func (s *EventSim) fire(setting string, c *liveCall, vars ...string) error {
	s.mu.Lock()
	tmpl := s.urls[setting]
	s.mu.Unlock()
	if tmpl == "" {
		return nil // a real phone sends nothing for a setting left empty
	}
	esc := url.QueryEscape
	pairs := []string{
		"$call-id", esc(c.callID),
		"$csta_id", esc(c.cstaID),
		"$display_local", esc(s.localName),
		"$display_remote", esc(c.remoteName),
		"$local", esc(s.local),
		"$remote", esc(c.remote),
	}
	for i := 0; i+1 < len(vars); i += 2 {
		pairs = append(pairs, vars[i], esc(vars[i+1]))
	}
	u := strings.NewReplacer(pairs...).Replace(tmpl)
	req, err := http.NewRequestWithContext(s.ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("the simulated phone's %s is not a URL: %w", setting, err)
	}
	req.Header.Set("User-Agent", "Mozilla/4.0 (compatible; snom D785-SIP 10.1.159.12; dialbridge simulator)")
	res, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("the simulated phone could not send its %s: %w", setting, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	res.Body.Close()
	s.mu.Lock()
	s.fired = append(s.fired, u)
	s.mu.Unlock()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the simulated phone's %s was refused with HTTP %d", setting, res.StatusCode)
	}
	return nil
}
