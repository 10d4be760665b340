package snom

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EventSim plays calls on a simulated Snom phone by requesting its action
// URLs the way the phone does: it fills in the runtime variables ($remote,
// $display_remote, $call-id, $csta_id, ...) escaped, and requests each
// configured URL with a GET as the call goes through its states. The demo
// mode points it at dialbridge, so "Simulate incoming call" in the tray
// plays a whole call: ringing, answered, held, resumed, hung up (or
// missed).
type EventSim struct {
	client    *http.Client
	local     string
	localName string
	pause     time.Duration

	mu     sync.Mutex
	urls   map[string]string
	nextID int
	fired  []string
}

// EventSimOptions configure an EventSim.
type EventSimOptions struct {
	// Client makes the requests; nil means one with a 5-second time-out.
	Client *http.Client
	// Local and LocalName are the phone's identity ($local,
	// $display_local); defaults "demo@dialbridge.invalid" and "Demo phone".
	Local, LocalName string
	// Pause is the time between the steps of a call, so that a person sees
	// the phone ring; 0 plays the call at once (tests).
	Pause time.Duration
}

// NewEventSim returns a simulated phone with no action URLs set.
func NewEventSim(o EventSimOptions) *EventSim {
	s := &EventSim{client: o.Client, local: o.Local, localName: o.LocalName, pause: o.Pause, urls: map[string]string{}}
	if s.client == nil {
		s.client = &http.Client{Timeout: 5 * time.Second}
	}
	if s.local == "" {
		s.local = "demo@dialbridge.invalid"
	}
	if s.localName == "" {
		s.localName = "Demo phone"
	}
	return s
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

func (s *EventSim) newCall(remote, name string) simCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return simCall{
		callID:     fmt.Sprintf("sim%d-%d@dialbridge.invalid", s.nextID, time.Now().UnixNano()%1e9),
		cstaID:     strconv.Itoa(-s.nextID),
		remote:     remote,
		remoteName: name,
	}
}

// SimulateIncoming plays a call from number from (display name name): it
// rings, and is then answered, held, resumed and hung up, or, without
// answer, missed. It returns when the call is over, or with the first
// request the listener refused.
func (s *EventSim) SimulateIncoming(ctx context.Context, from, name string, answer bool) error {
	c := s.newCall(from, name)
	steps := []string{"action_incoming_url"}
	if answer {
		steps = append(steps, "action_connected_url", "action_hold_url", "action_unhold_url", "action_disconnected_url")
	} else {
		steps = append(steps, "action_missed_url", "action_disconnected_url")
	}
	return s.play(ctx, c, steps)
}

// SimulateOutgoing plays a call the phone places to number to: dialed,
// then answered and hung up, or never answered.
func (s *EventSim) SimulateOutgoing(ctx context.Context, to, name string, answer bool) error {
	c := s.newCall(to, name)
	steps := []string{"action_outgoing_url"}
	if answer {
		steps = append(steps, "action_connected_url")
	}
	steps = append(steps, "action_disconnected_url")
	return s.play(ctx, c, steps)
}

func (s *EventSim) play(ctx context.Context, c simCall, steps []string) error {
	for i, setting := range steps {
		if i > 0 && s.pause > 0 {
			select {
			case <-time.After(s.pause):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := s.fire(ctx, setting, c); err != nil {
			return err
		}
	}
	return nil
}

// fire requests one action URL, if the phone has it set.
func (s *EventSim) fire(ctx context.Context, setting string, c simCall) error {
	s.mu.Lock()
	tmpl := s.urls[setting]
	s.mu.Unlock()
	if tmpl == "" {
		return nil // a real phone sends nothing for a setting left empty
	}
	esc := url.QueryEscape
	u := strings.NewReplacer(
		"$call-id", esc(c.callID),
		"$csta_id", esc(c.cstaID),
		"$display_local", esc(s.localName),
		"$display_remote", esc(c.remoteName),
		"$local", esc(s.local),
		"$remote", esc(c.remote),
	).Replace(tmpl)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
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
