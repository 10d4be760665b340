package phone

import (
	"sort"
	"sync"
	"time"
)

// TrackerOptions configure a Tracker. The zero value works: real clock,
// random GUIDs, one second of grace.
type TrackerOptions struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// GUID makes a call's GUID from its creation time; nil means NewGUID.
	GUID func(created time.Time) string
	// Local is the local party (user@domain) for phones whose events do not
	// name it (Auerswald), usually the configured identity.
	Local string
	// Grace is how long the tracker waits for an event that should have
	// come first: events of a call whose start has not arrived yet are held
	// back this long, and so is the end of a call that was never answered
	// (a late "connected" turns a missed call into an answered one).
	// Default one second.
	Grace time.Duration
	// Keep is how long an ended call is remembered, so that late or
	// repeated events for it are recognized and dropped. Default 10 minutes.
	Keep time.Duration
	// Stale ends a call that has had no event for this long (the phone was
	// unplugged mid-call, or its last event was lost). Default 12 hours.
	Stale time.Duration
}

// Tracker folds the phone's events into one Call per call id and reports the
// five Actions (inbound, outbound, connected, hold, disconnected), each
// exactly once per change, in the order they happened. Phones send their
// events over separate HTTP requests that may overtake each other or be
// repeated, so the tracker treats every event as a statement about the call's
// state rather than as a command: a repeated event changes nothing, and an
// event that arrives before the start of its call waits for it.
//
// A Tracker is safe for concurrent use. Handle and Expire return the
// actions in order; callers that need one global order across goroutines
// (the journal, the outbox) serialise their calls.
type Tracker struct {
	now   func() time.Time
	guid  func(time.Time) string
	local string
	grace time.Duration
	keep  time.Duration
	stale time.Duration

	mu    sync.Mutex
	calls map[string]*tracked  // by phone call id, active or pending
	ended map[string]time.Time // phone call id -> when it ended
}

// tracked is a call and what the tracker knows about its events.
type tracked struct {
	call Call
	// started: the start (incoming or outgoing) was seen and announced.
	started bool
	// firstSeen is when the first event arrived; held-back events are
	// released Grace after it.
	firstSeen time.Time
	held      []Event
	lastSeen  time.Time
	// impliedConnect: "connected" was announced because the call was put
	// on hold before its own "connected" arrived; that one is then absorbed.
	impliedConnect bool
	// endPending: the call ended unanswered; the end is announced after
	// Grace unless a late "connected" shows it was answered.
	endPending bool
}

// NewTracker returns an empty tracker.
func NewTracker(o TrackerOptions) *Tracker {
	t := &Tracker{
		now: o.Now, guid: o.GUID, local: o.Local,
		grace: o.Grace, keep: o.Keep, stale: o.Stale,
		calls: map[string]*tracked{}, ended: map[string]time.Time{},
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.guid == nil {
		t.guid = NewGUID
	}
	if t.grace <= 0 {
		t.grace = time.Second
	}
	if t.keep <= 0 {
		t.keep = 10 * time.Minute
	}
	if t.stale <= 0 {
		t.stale = 12 * time.Hour
	}
	return t
}

// Restore puts calls that were active when dialbridge last stopped back
// into the tracker (from the journal), so that their further events
// continue them, with the same GUID, instead of starting ghost calls.
func (t *Tracker) Restore(calls []Call) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, c := range calls {
		if c.ID == "" || !c.Active() {
			continue
		}
		if _, ok := t.calls[c.ID]; ok {
			continue
		}
		t.calls[c.ID] = &tracked{call: c, started: true, firstSeen: now, lastSeen: now}
	}
}

// Active returns the calls in progress, oldest first.
func (t *Tracker) Active() []Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Call, 0, len(t.calls))
	for _, tc := range t.calls {
		if tc.started && !tc.endPending {
			out = append(out, tc.call)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Lookup finds an active call by the phone's call id or by its GUID.
func (t *Tracker) Lookup(id string) (Call, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tc, ok := t.calls[id]; ok && tc.started {
		return tc.call, true
	}
	for _, tc := range t.calls {
		if tc.started && tc.call.GUID == id {
			return tc.call, true
		}
	}
	return Call{}, false
}

// Handle applies one event from the phone and returns the actions it
// caused, in order (often none: a repeated event, an event held back until
// its call's start arrives).
func (t *Tracker) Handle(ev Event) []CallEvent {
	if ev.CallID == "" || ev.Kind.CallLess() || ev.Kind == EventUnknown {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if ev.At.IsZero() {
		ev.At = t.now()
	}
	var out []CallEvent
	t.handle(ev, &out)
	return out
}

// Idle reports whether the tracker holds nothing that Expire could act on,
// so that its caller's clock can sleep instead of ticking: a resident that
// waits for calls all day must not wake the CPU for nothing.
func (t *Tracker) Idle() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.calls) == 0 && len(t.ended) == 0
}

// Expire releases what waited too long and returns the actions that
// causes: held-back events whose call start never came (the call is then
// taken as inbound), unanswered ends past their grace (missed calls),
// stale calls. It also forgets long-ended calls. Call it every fraction of
// Grace; the tests call it with a fake clock.
func (t *Tracker) Expire() []CallEvent {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var out []CallEvent
	// Oldest first, so that the order of actions is the order of calls.
	ids := make([]string, 0, len(t.calls))
	for id := range t.calls {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := t.calls[ids[i]], t.calls[ids[j]]
		if !a.firstSeen.Equal(b.firstSeen) {
			return a.firstSeen.Before(b.firstSeen)
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids {
		tc := t.calls[id]
		if tc == nil {
			continue // ended while releasing another call's events
		}
		switch {
		case !tc.started && now.Sub(tc.firstSeen) >= t.grace:
			// The start never came: announce the call as inbound (the
			// common case; an outgoing call's start is sent before the
			// phone even dials) and replay what was held back.
			t.start(tc, Event{Kind: EventIncoming, CallID: id, At: tc.firstSeen}, &out)
		case tc.endPending && now.Sub(tc.call.Disconnected) >= t.grace:
			t.finish(tc, tc.call.Disconnected, &out)
		case tc.started && !tc.endPending && now.Sub(tc.lastSeen) >= t.stale:
			// The real end is unknown; the last sign of life is the
			// closest one can say.
			t.finish(tc, tc.lastSeen, &out)
		}
	}
	for id, at := range t.ended {
		if now.Sub(at) >= t.keep {
			delete(t.ended, id)
		}
	}
	return out
}

func (t *Tracker) handle(ev Event, out *[]CallEvent) {
	tc, ok := t.calls[ev.CallID]
	if !ok {
		if endedAt, gone := t.ended[ev.CallID]; gone {
			// A late or repeated event of an ended call. A start event long
			// after the end is a new call that reuses the id (Auerswald
			// counts TC@1, TC@2, ... afresh after a reboot).
			if !isStart(ev.Kind) || ev.At.Sub(endedAt) < t.grace {
				return
			}
			delete(t.ended, ev.CallID)
		}
		tc = &tracked{firstSeen: ev.At, lastSeen: ev.At}
		tc.call.ID = ev.CallID
		t.calls[ev.CallID] = tc
		if !isStart(ev.Kind) {
			tc.held = append(tc.held, ev)
			return
		}
		t.start(tc, ev, out)
		return
	}
	tc.lastSeen = ev.At
	if !tc.started {
		if isStart(ev.Kind) {
			t.start(tc, ev, out)
		} else {
			tc.held = append(tc.held, ev)
		}
		return
	}
	t.apply(tc, ev, out)
}

func isStart(k EventKind) bool { return k == EventIncoming || k == EventOutgoing }

// start announces a call from its start event and replays what was held.
func (t *Tracker) start(tc *tracked, ev Event, out *[]CallEvent) {
	c := &tc.call
	c.Direction = Inbound
	if ev.Kind == EventOutgoing {
		c.Direction = Outbound
	}
	c.Created = tc.firstSeen
	if c.Created.IsZero() || ev.At.Before(c.Created) {
		c.Created = ev.At
	}
	c.GUID = t.guid(c.Created)
	t.learn(c, ev)
	for _, h := range tc.held {
		t.learn(c, h) // the start is announced with all that is known
	}
	if c.Local == "" {
		c.Local = t.local
	}
	tc.started = true
	action := ActionInbound
	if c.Direction == Outbound {
		action = ActionOutbound
	}
	t.emit(tc, action, c.Created, out)
	held := tc.held
	tc.held = nil
	for _, h := range held {
		if _, still := t.calls[c.ID]; !still {
			return // an earlier held event ended the call
		}
		t.apply(tc, h, out)
	}
}

// learn takes the parties from an event where the call does not know them
// yet, or where the event brings news (a transfer, remoteUpdate).
func (t *Tracker) learn(c *Call, ev Event) {
	fill := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst = v
		}
	}
	fill(&c.CSTAID, ev.CSTAID)
	fill(&c.Local, ev.Local)
	fill(&c.LocalAlias, ev.LocalAlias)
	fill(&c.Remote, ev.Remote)
	fill(&c.RemoteAlias, ev.RemoteAlias)
	fill(&c.RemoteCompany, ev.RemoteCompany)
}

// Name gives the active call with the phone's id callID the name (and
// company) a caller lookup found, unless the call has a name already or
// its far end changed from number meanwhile. It returns the named call.
func (t *Tracker) Name(callID, number, alias, company string) (Call, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tc, ok := t.calls[callID]
	if !ok || !tc.started || tc.call.RemoteAlias != "" || tc.call.Remote != number {
		return Call{}, false
	}
	tc.call.RemoteAlias, tc.call.RemoteCompany = alias, company
	return tc.call, true
}

// apply changes a started call by one event.
func (t *Tracker) apply(tc *tracked, ev Event, out *[]CallEvent) {
	c := &tc.call
	switch ev.Kind {
	case EventIncoming, EventOutgoing:
		t.learn(c, ev) // a repeated start: nothing happened
	case EventUpdate:
		if ev.Remote != "" {
			c.Remote = ev.Remote
		}
		if ev.RemoteAlias != "" {
			c.RemoteAlias, c.RemoteCompany = ev.RemoteAlias, ev.RemoteCompany
		}
	case EventTransferred:
		// The far end changed: the other side handed the call on.
		if ev.Remote != "" {
			c.Remote, c.RemoteAlias, c.RemoteCompany = ev.Remote, ev.RemoteAlias, ev.RemoteCompany
		}
	case EventConnected:
		switch {
		case tc.endPending:
			// The answer was overtaken by the hang-up: the call was
			// answered after all. Its talk time is unknown; the answer
			// cannot have come later than the end. "connected" is told as
			// it was then, before the end.
			end := c.Disconnected
			tc.endPending = false
			c.Connected, c.Disconnected = end, time.Time{}
			t.emit(tc, ActionConnected, end, out)
			t.finish(tc, end, out)
		case c.Connected.IsZero():
			c.Connected = ev.At
			t.emit(tc, ActionConnected, ev.At, out)
		case tc.impliedConnect:
			tc.impliedConnect = false
		case c.OnHold:
			// Auerswald reports a resumed call as connected again.
			c.OnHold = false
			t.emit(tc, ActionHold, ev.At, out)
		}
	case EventHold:
		if tc.endPending {
			return
		}
		if c.Connected.IsZero() {
			// Only a connected call can be held: its "connected" is late.
			c.Connected = ev.At
			tc.impliedConnect = true
			t.emit(tc, ActionConnected, ev.At, out)
		}
		if !c.OnHold {
			c.OnHold = true
			t.emit(tc, ActionHold, ev.At, out)
		}
	case EventUnhold:
		if c.OnHold && !tc.endPending {
			c.OnHold = false
			t.emit(tc, ActionHold, ev.At, out)
		}
	case EventDisconnected:
		if tc.endPending {
			return
		}
		if c.Connected.IsZero() {
			tc.endPending = true
			c.Disconnected = ev.At
			return
		}
		t.finish(tc, ev.At, out)
	case EventMissed:
		at := ev.At
		if tc.endPending {
			at = c.Disconnected
		}
		tc.endPending = false
		t.finish(tc, at, out)
	case EventTransferDone:
		t.transferDone(tc, ev, out)
	case EventConferenced:
		c.Conference = ev.OtherCallID
		if o, ok := t.calls[ev.OtherCallID]; ok && o.started {
			o.call.Conference = c.ID
		}
	case EventUnconferenced:
		c.Conference = ""
		if o, ok := t.calls[ev.OtherCallID]; ok && o.call.Conference == c.ID {
			o.call.Conference = ""
		}
	}
}

// transferDone ends a call that this phone handed away; an attended
// transfer ends both of its calls, each transferred to the other's far end.
func (t *Tracker) transferDone(tc *tracked, ev Event, out *[]CallEvent) {
	c := &tc.call
	if ev.OtherCallID == "" || ev.OtherCallID == c.ID {
		c.TransferredTo = ev.Remote
		if c.TransferredTo == "" {
			c.TransferredTo = "unknown"
		}
		t.finish(tc, ev.At, out)
		return
	}
	other, ok := t.calls[ev.OtherCallID]
	c.TransferredTo = ev.OtherCallID
	if ok && other.started {
		if other.call.Remote != "" {
			c.TransferredTo = other.call.Remote
		}
		other.call.TransferredTo = c.Remote
		if other.call.TransferredTo == "" {
			other.call.TransferredTo = c.ID
		}
	}
	t.finish(tc, ev.At, out)
	if ok && other.started {
		t.finish(other, ev.At, out)
	}
}

// finish ends a call at at and announces it.
func (t *Tracker) finish(tc *tracked, at time.Time, out *[]CallEvent) {
	c := &tc.call
	tc.endPending = false
	if at.Before(c.Created) {
		at = c.Created
	}
	c.Disconnected = at
	c.OnHold = false
	c.Conference = ""
	t.emit(tc, ActionDisconnected, at, out)
	delete(t.calls, c.ID)
	t.ended[c.ID] = at
	for _, o := range t.calls {
		if o.call.Conference == c.ID {
			o.call.Conference = ""
		}
	}
}

func (t *Tracker) emit(tc *tracked, a Action, at time.Time, out *[]CallEvent) {
	*out = append(*out, CallEvent{Action: a, Call: tc.call, At: at})
}
