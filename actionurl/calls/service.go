// Package calls is the call service: phone events in, the call tracker,
// the journal, the outbox of outgoing action URLs and the subscribers,
// and the call operations (dial, answer, hang up, hold, resume, transfer,
// dtmf, the journal's queries) that every entry calls in-process. The
// control API's call routes are thin adapters over its methods, so the
// tray, the windows and the command line cannot do a call operation two
// ways.
package calls

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/lookup"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// NameWait is how long a call's event (its notification, its outgoing
// URLs) waits at most for a caller lookup: long enough for a local address
// book or a quick directory, short enough that nobody notices.
const NameWait = 300 * time.Millisecond

// journalKeep is how long calls stay in the journal.
const journalKeep = 180 * 24 * time.Hour

// Options configure a Service. The resident fills them from its config;
// the tests put in fakes. Everything the service touches outside itself
// (clock, journal path, HTTP sender, logger) is passed in here.
type Options struct {
	// JournalPath is the journal's file (journal.PathFor of the config).
	JournalPath string
	// Config returns the current config (outgoing URLs and the action
	// URL switch may change while the service runs).
	Config func() config.Config
	// Token returns the pairing token.
	Token func() string
	// PhoneAddrs returns the phone's addresses, from which events on the
	// LAN are taken; nil resolves Config().Phone.Address, once per
	// distinct setting.
	PhoneAddrs func() []netip.Addr
	// Publish tells the resident's subscribers (tray, notifications).
	Publish func(phone.CallEvent)
	// Changed, if set, is told whenever LEDState may have changed (a call
	// event, do not disturb, the outbox failing or working again), so
	// that the keys' lights follow at once. It must not block.
	Changed func()
	// PhoneChanged, when set, is told that the phone's do not disturb or
	// call forwarding changed (switched by dialbridge, or at the phone and
	// reported by it), so that the tray shows it at once. It must not
	// block.
	PhoneChanged func()
	// Driver returns the current phone driver, for the call operations;
	// nil means no phone is paired.
	Driver func() phone.Driver
	// Read applies the current dialing rules to a typed number (a
	// transfer's target); nil takes the number as it is.
	Read func(text string) (dialplan.Reading, error)
	// Dialer is the one path every dial takes; Dial hands to it.
	Dialer *actionurl.DialService
	// Names returns the caller lookup of the current config; nil (or a
	// lookup without sources) shows only the names the phone sends.
	Names func() *lookup.Service
	// NameBudget is how long a call's event waits for a caller lookup
	// before it goes out without a name; 0 means NameWait.
	NameBudget time.Duration
	// LookupFailed hears of the caller lookup sources that could not
	// answer for a call (joined sentences, one a source), besides the log:
	// a person whose address book stopped answering should learn why
	// callers show without names. nil only logs them.
	LookupFailed func(err error)
	// EventsBase is the address the phone reaches dialbridge at
	// (phoneevents.EventsBaseURL), where it fetches the screens it is
	// shown (phone.show_caller_name); nil means loopback at
	// listener.port.
	EventsBase func() string

	// Optional: defaults are the real clock, random GUIDs, local time,
	// HTTP, the OS browser opener, exponential backoff, a second of grace.
	Now     func() time.Time
	GUID    func(time.Time) string
	Loc     *time.Location
	Sender  outgoing.Sender
	Opener  outgoing.Opener
	Backoff func(int) time.Duration
	Workers int
	Grace   time.Duration
	OnFinal func(outgoing.Delivery)
	// OnReturned hears that the missed calls from number (marked of them)
	// were called back, so that a "missed calls" light can go out.
	OnReturned func(number string, marked int)
	Log        *slog.Logger
}

// Service is the phone-event half of the resident: phone events in
// through Events, the call tracker, the journal, the outbox of outgoing
// action URLs, and the subscribers. Each event is on disk, with every URL
// it causes, before the phone gets its answer.
type Service struct {
	o       Options
	journal *journal.Journal
	tracker *phone.Tracker
	outbox  *outgoing.Outbox
	events  *phoneevents.PhoneEvents
	// screens are what the phone fetches to show on its display.
	screens *phoneevents.Screens

	// mu gives the tracker's actions one order from the tracker through
	// the journal and the outbox to the subscribers.
	mu sync.Mutex

	rulesMu  sync.Mutex
	rulesFor []config.Outgoing
	rules    outgoing.Rules

	// dnd is the phone's do not disturb as dialbridge set it or the phone
	// reported it last; forward its call forwarding as dialbridge set it.
	// Each is replaced whole, so a reader needs no lock; nil is unknown.
	dnd     atomic.Pointer[control.DND]
	forward atomic.Pointer[control.Forward]

	demoMu sync.Mutex
	// demo plays calls on the demo phone (demo mode only).
	demo phone.CallPlayer

	stop    chan struct{}
	stopped chan struct{}
	wake    chan struct{} // an event arrived: the idle clock starts ticking
	ticking bool          // the tracker's clock runs (Start was called)
	once    sync.Once
}

// Open opens the journal, continues the calls it left open and loads the
// outbox. Nothing is delivered until Start.
func Open(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Loc == nil {
		o.Loc = time.Local
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Grace <= 0 {
		o.Grace = time.Second
	}
	if o.NameBudget <= 0 {
		o.NameBudget = NameWait
	}
	if o.Publish == nil {
		o.Publish = func(phone.CallEvent) {}
	}
	if o.PhoneChanged == nil {
		o.PhoneChanged = func() {}
	}
	if o.EventsBase == nil {
		cfg := o.Config
		o.EventsBase = func() string {
			return phoneevents.EventsBaseURL(netip.AddrFrom4([4]byte{127, 0, 0, 1}), cfg().Listener.Port, false)
		}
	}
	if o.PhoneAddrs == nil {
		cache := &addrCache{log: o.Log}
		cfg := o.Config
		o.PhoneAddrs = func() []netip.Addr { return cache.lookup(cfg().Phone.Address) }
	}
	j, err := journal.Open(o.JournalPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open, err := j.ActiveCalls(ctx, o.Now().Add(-12*time.Hour))
	if err != nil {
		j.Close()
		return nil, err
	}
	j.UseRules(o.Config().Dialing.Rules(), nil)
	if o.Config().Phone.Brand == brands.Demo && len(open) > 0 {
		// The demo phone is a simulator that starts afresh with
		// dialbridge: its calls ended with the last run. Restored, they
		// would show as a call still ringing that nobody can answer.
		now := o.Now()
		for _, c := range open {
			c.Disconnected = now
			j.RecordCall(c, nil)
		}
		if err := j.Sync(ctx); err != nil {
			j.Close()
			return nil, err
		}
		o.Log.Info("ended the demo phone's calls of the last run", "calls", len(open))
		open = nil
	}
	s := &Service{o: o, journal: j, stop: make(chan struct{}), stopped: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.tracker = phone.NewTracker(phone.TrackerOptions{
		Now: o.Now, GUID: o.GUID, Local: o.Config().Phone.Identity, Grace: o.Grace,
	})
	s.tracker.Restore(open)
	s.outbox, err = outgoing.Open(ctx, outgoing.Options{
		Store: j, Sender: o.Sender, Opener: o.Opener, Backoff: o.Backoff, Workers: o.Workers,
		Now: o.Now, Log: o.Log, OnFinal: o.OnFinal, OnFailing: func(bool) { s.changed() },
	})
	if err != nil {
		j.Close()
		return nil, err
	}
	s.screens = phoneevents.NewScreens(o.Now)
	s.events = phoneevents.NewPhoneEvents(phoneevents.PhoneEventsOptions{
		Token: o.Token, PhoneAddrs: o.PhoneAddrs, Sink: s, Now: o.Now, Log: o.Log, Screens: s.screens,
	})
	if len(open) > 0 {
		o.Log.Info("continuing calls that were active when dialbridge stopped", "calls", len(open))
	}
	return s, nil
}

// Events is the handler of the phone's events (/phone/...), for the
// listener.
func (s *Service) Events() *phoneevents.PhoneEvents { return s.events }

// Start delivers what the outbox holds and starts the tracker's clock.
func (s *Service) Start() {
	s.outbox.Start()
	s.journal.Prune(s.o.Now().Add(-journalKeep), func(err error) {
		if err != nil {
			s.o.Log.Warn("old calls could not be removed from the journal", "error", err)
		}
	})
	s.ticking = true
	go func() {
		defer close(s.stopped)
		t := time.NewTicker(s.o.Grace / 4)
		defer t.Stop()
		for {
			if s.tracker.Idle() {
				// Nothing to expire: sleep until an event comes, so an
				// idle resident costs no CPU.
				t.Stop()
				select {
				case <-s.stop:
					return
				case <-s.wake:
				}
				t.Reset(s.o.Grace / 4)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.expire()
			}
		}
	}()
}

// Close stops the clock and the outbox and closes the journal; what is
// pending stays there for the next start.
func (s *Service) Close() {
	s.once.Do(func() {
		close(s.stop)
		if s.ticking {
			<-s.stopped
		}
		s.outbox.Close()
		if err := s.journal.Close(); err != nil {
			s.o.Log.Error("closing the journal", "error", err)
		}
	})
}

// Idle reports whether no call is being tracked.
func (s *Service) Idle() bool { return s.tracker == nil || s.tracker.Idle() }

// HandleEvent takes one parsed phone event (phoneevents.EventSink): the
// tracker turns it into call events (phone.Actions), which are recorded and
// handed on. It returns once they are on disk.
func (s *Service) HandleEvent(ctx context.Context, ev phone.Event) error {
	if ev.Kind == phone.EventDNDOn || ev.Kind == phone.EventDNDOff {
		// The phone's do not disturb, switched on the phone or by
		// dialbridge: the tray's check item follows it.
		s.setDND(ev.Kind == phone.EventDNDOn)
		return nil
	}
	if ev.Kind == phone.EventForwardOn || ev.Kind == phone.EventForwardOff {
		// The phone's forwarding, switched on the phone or by dialbridge:
		// the tray's item and forward status follow it.
		target := ""
		if ev.Kind == phone.EventForwardOn {
			target = ev.Remote
		}
		s.setForward(target)
		return nil
	}
	ev = s.nameCaller(ev)
	s.mu.Lock()
	waits := s.record(s.tracker.Handle(ev))
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // the clock is awake already
	}
	return waitAll(ctx, waits)
}

// expire lets the tracker release what waited too long (missed calls,
// events whose call start never came).
func (s *Service) expire() {
	s.mu.Lock()
	waits := s.record(s.tracker.Expire())
	s.mu.Unlock()
	if err := waitAll(context.Background(), waits); err != nil {
		s.o.Log.Error("a call event could not be recorded", "error", err)
	}
}

// record writes each action to the journal, hands its URLs to the outbox
// and tells the subscribers. Called with s.mu held, so that the order of
// actions is the same everywhere.
func (s *Service) record(evs []phone.CallEvent) []func(context.Context) error {
	if len(evs) == 0 {
		return nil
	}
	cfg := s.o.Config()
	rules := s.rulesOf(cfg.Outgoing)
	var waits []func(context.Context) error
	for _, ev := range evs {
		waits = append(waits, s.recordCall(ev.Call))
		if cfg.Listener.Enabled {
			ds, errs := rules.Deliveries(ev, s.o.Loc)
			for _, err := range errs {
				s.o.Log.Warn("an outgoing action URL was not fired", "error", err)
			}
			waits = append(waits, s.outbox.Enqueue(ds))
		}
		s.o.Publish(ev)
	}
	s.changed()
	return waits
}

func (s *Service) recordCall(c phone.Call) func(context.Context) error {
	ch := make(chan error, 1)
	s.useRules()
	s.journal.RecordCall(c, func(err error) { ch <- err })
	return func(ctx context.Context) error {
		select {
		case err := <-ch:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func waitAll(ctx context.Context, waits []func(context.Context) error) error {
	var errs []error
	for _, w := range waits {
		if err := w(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// rulesOf compiles the outgoing URLs, again only when they changed.
func (s *Service) rulesOf(outs []config.Outgoing) outgoing.Rules {
	s.rulesMu.Lock()
	defer s.rulesMu.Unlock()
	if s.rules != nil && slices.Equal(outs, s.rulesFor) {
		return s.rules
	}
	rules, err := config.OutgoingRules(outs)
	if err != nil {
		// The config check refuses such a file; a config built in memory
		// keeps the URLs that compile.
		s.o.Log.Error("the outgoing action URLs are not valid", "error", err)
	}
	s.rulesFor = slices.Clone(outs)
	s.rules = rules
	if s.rules == nil {
		s.rules = outgoing.Rules{}
	}
	return s.rules
}

// addrCache resolves the phone's address once per distinct setting.
type addrCache struct {
	log   *slog.Logger
	mu    sync.Mutex
	addr  string
	addrs []netip.Addr
}

func (c *addrCache) lookup(address string) []netip.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	if address == c.addr && c.addrs != nil {
		return c.addrs
	}
	c.addr = address
	c.addrs = []netip.Addr{}
	if address == "" {
		return c.addrs
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := phoneevents.PhoneAddrs(ctx, address)
	if err != nil {
		c.log.Warn("the phone's address could not be resolved; its events are taken from loopback only", "error", err)
		return c.addrs
	}
	c.addrs = addrs
	return addrs
}

// useRules keys the journal's numbers with the current dialing rules, so
// that a missed call is returned by a call to its number however the
// phone spells it; it costs nothing while the rules stay the same.
func (s *Service) useRules() {
	s.journal.UseRules(s.o.Config().Dialing.Rules(), func(err error) {
		if err != nil {
			s.o.Log.Warn("the journal could not read its numbers with the new dialing rules", "error", err)
		}
	})
}
