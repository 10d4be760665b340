package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/journal"
	"github.com/dialbridge/dialbridge/actionurl/lancert"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/display"
)

// journalKeep is how long calls stay in the journal.
const journalKeep = 180 * 24 * time.Hour

// callOptions configure a callService. The resident fills them from its
// config; the tests put in fakes.
type callOptions struct {
	journalPath string
	// config returns the resident's current config (outgoing URLs and the
	// action URL switch may change while it runs).
	config func() config.Config
	// token returns the pairing token.
	token func() string
	// phoneAddrs returns the phone's addresses (for events on the LAN).
	phoneAddrs func() []netip.Addr
	// publish tells the resident's subscribers (tray, notifications).
	publish func(phone.CallEvent)
	// Optional: defaults are the real clock, random GUIDs, local time,
	// HTTP, the OS browser opener, exponential backoff, a second of grace.
	now     func() time.Time
	guid    func(time.Time) string
	loc     *time.Location
	sender  outgoing.Sender
	opener  outgoing.Opener
	backoff func(int) time.Duration
	workers int
	grace   time.Duration
	onFinal func(outgoing.Delivery)
	log     *slog.Logger
}

// callService is the phone-event half of the resident: phone events in
// through the /phone/ handler, the call tracker, the journal, the outbox of
// outgoing action URLs, and the subscribers. Each event is on disk, with
// every URL it causes, before the phone gets its answer.
type callService struct {
	o       callOptions
	journal *journal.Journal
	tracker *phone.Tracker
	outbox  *outgoing.Outbox
	events  *phoneevents.PhoneEvents

	// mu gives the tracker's actions one order from the tracker through
	// the journal and the outbox to the subscribers.
	mu sync.Mutex

	rulesMu  sync.Mutex
	rulesFor []config.Outgoing
	rules    outgoing.Rules

	// lan is the address of the socket for the phone's events on the
	// LAN; invalid when the listener is loopback only.
	lan netip.Addr
	// demo plays calls on the demo phone (demo mode only).
	demo phone.CallPlayer

	stop    chan struct{}
	stopped chan struct{}
	wake    chan struct{} // an event arrived: the idle clock starts ticking
	ticking bool          // the tracker's clock runs (start was called)
	once    sync.Once
}

// openCalls opens the journal, continues the calls it left open and loads
// the outbox. Nothing is delivered until start.
func openCalls(o callOptions) (*callService, error) {
	if o.now == nil {
		o.now = time.Now
	}
	if o.loc == nil {
		o.loc = time.Local
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.grace <= 0 {
		o.grace = time.Second
	}
	if o.publish == nil {
		o.publish = func(phone.CallEvent) {}
	}
	j, err := journal.Open(o.journalPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open, err := j.ActiveCalls(ctx, o.now().Add(-12*time.Hour))
	if err != nil {
		j.Close()
		return nil, err
	}
	s := &callService{o: o, journal: j, stop: make(chan struct{}), stopped: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.tracker = phone.NewTracker(phone.TrackerOptions{
		Now: o.now, GUID: o.guid, Local: o.config().Phone.Identity, Grace: o.grace,
	})
	s.tracker.Restore(open)
	s.outbox, err = outgoing.Open(ctx, outgoing.Options{
		Store: j, Sender: o.sender, Opener: o.opener, Backoff: o.backoff, Workers: o.workers,
		Now: o.now, Log: o.log, OnFinal: o.onFinal,
	})
	if err != nil {
		j.Close()
		return nil, err
	}
	s.events = phoneevents.NewPhoneEvents(phoneevents.PhoneEventsOptions{
		Token: o.token, PhoneAddrs: o.phoneAddrs, Sink: s, Now: o.now, Log: o.log,
	})
	if len(open) > 0 {
		o.log.Info("continuing calls that were active when dialbridge stopped", "calls", len(open))
	}
	return s, nil
}

// start delivers what the outbox holds and starts the tracker's clock.
func (s *callService) start() {
	s.outbox.Start()
	s.journal.Prune(s.o.now().Add(-journalKeep), func(err error) {
		if err != nil {
			s.o.log.Warn("old calls could not be removed from the journal", "error", err)
		}
	})
	s.ticking = true
	go func() {
		defer close(s.stopped)
		t := time.NewTicker(s.o.grace / 4)
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
				t.Reset(s.o.grace / 4)
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

// close stops the clock and the outbox and closes the journal; what is
// pending stays there for the next start.
func (s *callService) close() {
	s.once.Do(func() {
		close(s.stop)
		if s.ticking {
			<-s.stopped
		}
		s.outbox.Close()
		if err := s.journal.Close(); err != nil {
			s.o.log.Error("closing the journal", "error", err)
		}
	})
}

// HandleEvent takes one parsed phone event (phoneevents.EventSink): the
// tracker turns it into call events (phone.Actions), which are recorded and
// handed on. It returns once they are on disk.
func (s *callService) HandleEvent(ctx context.Context, ev phone.Event) error {
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
func (s *callService) expire() {
	s.mu.Lock()
	waits := s.record(s.tracker.Expire())
	s.mu.Unlock()
	if err := waitAll(context.Background(), waits); err != nil {
		s.o.log.Error("a call event could not be recorded", "error", err)
	}
}

// record writes each action to the journal, hands its URLs to the outbox
// and tells the subscribers. Called with s.mu held, so that the order of
// actions is the same everywhere.
func (s *callService) record(evs []phone.CallEvent) []func(context.Context) error {
	if len(evs) == 0 {
		return nil
	}
	cfg := s.o.config()
	rules := s.rulesOf(cfg.Outgoing)
	var waits []func(context.Context) error
	for _, ev := range evs {
		waits = append(waits, s.recordCall(ev.Call))
		if cfg.Listener.Enabled {
			ds, errs := rules.Deliveries(ev, s.o.loc)
			for _, err := range errs {
				s.o.log.Warn("an outgoing action URL was not fired", "error", err)
			}
			waits = append(waits, s.outbox.Enqueue(ds))
		}
		s.o.publish(ev)
	}
	return waits
}

func (s *callService) recordCall(c phone.Call) func(context.Context) error {
	ch := make(chan error, 1)
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
func (s *callService) rulesOf(outs []config.Outgoing) outgoing.Rules {
	s.rulesMu.Lock()
	defer s.rulesMu.Unlock()
	if s.rules != nil && slices.Equal(outs, s.rulesFor) {
		return s.rules
	}
	rules, err := config.OutgoingRules(outs)
	if err != nil {
		// The config check refuses such a file; a config built in memory
		// keeps the URLs that compile.
		s.o.log.Error("the outgoing action URLs are not valid", "error", err)
	}
	s.rulesFor = slices.Clone(outs)
	s.rules = rules
	if s.rules == nil {
		s.rules = outgoing.Rules{}
	}
	return s.rules
}

// --- wiring into the resident ---

// openCalls prepares the resident's call service before its listener
// exists: the pairing token, the address the phone reaches this computer
// at (for the policy's Host check), the journal and the tracker.
func (r *resident) openCalls() error {
	cfg := r.config()
	token, err := ensurePairingToken(r.cfgPath, cfg, r.log)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.cfg.Phone.PairingToken = token
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var lan netip.Addr
	if set := cfg.Listener.LANAddress; set != "" && (cfg.Phone.Brand != brands.Demo || set != "auto") {
		addr, err := phoneevents.EventsAddress(ctx, set, cfg.Phone.Address)
		if err != nil {
			return fmt.Errorf("the LAN address (listener.lan_address): %w", err)
		}
		if addr != netip.IPv4Unspecified() && addr != netip.AddrFrom4([4]byte{127, 0, 0, 1}) && addr != netip.IPv6Loopback() {
			lan = addr
		}
	}
	phoneAddrs := newAddrCache(r.log)
	s, err := openCalls(callOptions{
		journalPath: journal.PathFor(r.cfgPath),
		config:      r.config,
		token: func() string {
			if t := r.config().Phone.PairingToken; t != "" {
				return t
			}
			return token
		},
		phoneAddrs: func() []netip.Addr { return phoneAddrs.lookup(r.config().Phone.Address) },
		publish:    r.publish,
		sender:     outgoing.NewHTTPSender(outgoing.DefaultWorkers, "dialbridge/"+version),
		log:        r.log,
	})
	if err != nil {
		return err
	}
	s.lan = lan
	r.calls = s
	r.cleanups = append(r.cleanups, s.close)
	return nil
}

// startCalls runs once the listener has its port: the socket on the LAN
// address for the phone, the demo phone's action URLs, delivery.
func (r *resident) startCalls(port int) error {
	s := r.calls
	if s.lan.IsValid() {
		if err := r.serveLAN(netip.AddrPortFrom(s.lan, uint16(port))); err != nil {
			return err
		}
	}
	if r.config().Phone.Brand == brands.Demo && r.demoPhone != nil {
		settings, err := phoneevents.PairingURLs(brands.Demo, phoneevents.EventsBaseURL(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port, false), s.o.token())
		if err != nil {
			return err
		}
		urls := map[string]string{}
		for _, st := range settings {
			urls[st.Name] = st.URL
		}
		s.demo = r.demoPhone
		s.demo.SetActionURLs(urls)
	}
	s.start()
	r.watchCalls()
	r.cleanups = append(r.cleanups, r.stopWatching)
	return nil
}

// config returns the current config.
func (r *resident) config() config.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// eventAddr is the LAN address and port the phone sends its events to,
// for the policy's Host check; invalid when the listener is loopback only.
func (r *resident) eventAddr() netip.AddrPort {
	if r.calls == nil || !r.calls.lan.IsValid() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(r.calls.lan, uint16(r.config().Listener.Port))
}

// serveLAN opens the LAN socket at addr (listener.lan_address): the
// phone's events, and dial requests from the computers in allow_ips; over
// HTTPS with the certificate beside the config when lan_tls is set.
func (r *resident) serveLAN(addr netip.AddrPort) error {
	var tlsCfg *tls.Config
	if r.config().Listener.LANTLS {
		cert, fp, err := lancert.Load(r.cfgPath, addr.Addr(), time.Now())
		if err != nil {
			return err
		}
		tlsCfg = lancert.TLSConfig(cert)
		r.log.Info("the LAN socket speaks HTTPS", "sha256", fp)
	}
	ln, err := net.Listen("tcp", addr.String())
	if err != nil {
		return fmt.Errorf("cannot listen on %s (is listener.lan_address an address of this computer?): %w", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := r.listener.ServeLAN(ctx, ln, tlsCfg); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("the LAN socket stopped", "error", err)
		}
	}()
	r.cleanups = append(r.cleanups, func() { cancel(); <-done })
	r.log.Info("listening on the LAN", "address", ln.Addr().String(), "https", tlsCfg != nil)
	return nil
}

// ensurePairingToken returns the pairing token, creating one and saving it
// in the config file when there is none yet. If the file cannot be written
// (provisioned read-only), the token lives for this run only, and the
// phone must be paired again after a restart; the log says so.
func ensurePairingToken(path string, cfg config.Config, log *slog.Logger) (string, error) {
	if cfg.Phone.PairingToken != "" {
		return cfg.Phone.PairingToken, nil
	}
	onDisk, err := config.Load(path)
	if err != nil {
		return "", err
	}
	if onDisk.Phone.PairingToken != "" {
		return onDisk.Phone.PairingToken, nil
	}
	token := control.NewToken()[:32] // 128 bits
	onDisk.Phone.PairingToken = token
	if err := config.Save(path, onDisk); err != nil {
		log.Warn("the new pairing token could not be saved; pair the phone again after a restart", "config", path, "error", err)
		return token, nil
	}
	log.Info("created the pairing token for the phone's events", "config", path)
	if onDisk.Phone.Brand == brands.Demo {
		log.Info(firstRunHint)
	}
	return token, nil
}

// firstRunHint is the one line a first start with the simulated phone
// logs, so that a newcomer learns where a real phone is paired.
const firstRunHint = "dialbridge runs with the simulated demo phone; to pair your desk phone choose \"Pair a phone…\" in the tray or run \"dialbridge ui pair\""

// addrCache resolves the phone's address once per distinct setting.
type addrCache struct {
	log   *slog.Logger
	mu    sync.Mutex
	addr  string
	addrs []netip.Addr
}

func newAddrCache(log *slog.Logger) *addrCache { return &addrCache{log: log} }

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

// --- control API ---

// handleCalls answers control.RouteCalls: the calls in progress.
func (s *callService) handleCalls(w http.ResponseWriter, _ *http.Request) {
	now := s.o.now()
	list := control.CallList{Calls: []control.CallEntry{}}
	for _, call := range s.tracker.Active() {
		list.Calls = append(list.Calls, journal.EntryOf(call, now))
	}
	actionurl.WriteJSON(w, http.StatusOK, list)
}

// handleJournal answers control.RouteJournal.
func (s *callService) handleJournal(w http.ResponseWriter, req *http.Request) {
	q, err := journalQuery(req, s.o.now())
	if err != nil {
		actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: err.Error()})
		return
	}
	calls, err := s.journal.Calls(req.Context(), q)
	if err != nil {
		actionurl.WriteJSON(w, http.StatusInternalServerError, control.Reply{Error: err.Error()})
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.CallList{Calls: nonNil(calls)})
}

// handleDeliveries answers control.RouteDeliveries.
func (s *callService) handleDeliveries(w http.ResponseWriter, req *http.Request) {
	q, err := journalQuery(req, s.o.now())
	if err != nil {
		actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: err.Error()})
		return
	}
	ds, err := s.journal.Deliveries(req.Context(), q)
	if err != nil {
		actionurl.WriteJSON(w, http.StatusInternalServerError, control.Reply{Error: err.Error()})
		return
	}
	if ds == nil {
		ds = []control.DeliveryEntry{}
	}
	actionurl.WriteJSON(w, http.StatusOK, control.DeliveryList{Deliveries: ds})
}

// handleRetry answers control.RouteRetry, the journal's "Send again". A
// failed background delivery is queued anew as a fresh delivery of the
// same URL (its own id and Idempotency-Key: the person means it).
func (s *callService) handleRetry(w http.ResponseWriter, req *http.Request) {
	id, err := strconv.ParseInt(req.PathValue("id"), 10, 64)
	if err != nil {
		actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "a delivery id is a number"})
		return
	}
	d, ok, err := s.journal.Delivery(req.Context(), id)
	switch {
	case err != nil:
		actionurl.WriteJSON(w, http.StatusInternalServerError, control.Reply{Error: err.Error()})
		return
	case !ok:
		actionurl.WriteJSON(w, http.StatusGone, control.Reply{Error: fmt.Sprintf("the journal has no delivery %d (it may have been pruned)", id)})
		return
	case d.Status != outgoing.StatusFailed:
		actionurl.WriteJSON(w, http.StatusConflict, control.Reply{Error: fmt.Sprintf("delivery %d is %s; only a failed one is sent again", id, d.Status)})
		return
	case d.Mode != outgoing.ModeBackground:
		actionurl.WriteJSON(w, http.StatusConflict, control.Reply{Error: "a URL that opens in the browser is not sent again"})
		return
	}
	again := outgoing.Delivery{CallGUID: d.CallGUID, Action: d.Action, URL: d.URL, Mode: d.Mode, Created: s.o.now()}
	if err := s.outbox.Enqueue([]outgoing.Delivery{again})(req.Context()); err != nil {
		actionurl.WriteJSON(w, http.StatusInternalServerError, control.Reply{Error: err.Error()})
		return
	}
	actionurl.WriteJSON(w, http.StatusAccepted, control.Reply{OK: true})
}

// handlePhoneSeen answers control.RoutePhoneSeen.
func (s *callService) handlePhoneSeen(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, s.events.Seen())
}

// handleDemoIncoming answers control.RouteDemoIncoming: the demo phone
// rings.
func (s *callService) handleDemoIncoming(w http.ResponseWriter, req *http.Request, r *resident) {
	var in control.DemoCall
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	if s.demo == nil || r.config().Phone.Brand != brands.Demo {
		actionurl.WriteJSON(w, http.StatusConflict, control.Reply{Error: "only the demo phone can simulate calls (start dialbridge with --demo)"})
		return
	}
	if in.Number == "" {
		in.Number, in.Name = "+4930901820", "Demo Caller"
	}
	s.demo.Ring(in.Number, in.Name)
	actionurl.WriteJSON(w, http.StatusAccepted, control.Reply{OK: true})
}

func nonNil(calls []control.CallEntry) []control.CallEntry {
	if calls == nil {
		return []control.CallEntry{}
	}
	return calls
}

// journalQuery reads ?since=...&limit=...&status=...
func journalQuery(req *http.Request, now time.Time) (journal.Query, error) {
	var q journal.Query
	v := req.URL.Query()
	since, err := parseSince(v.Get("since"), now)
	if err != nil {
		return q, err
	}
	q.Since = since
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, fmt.Errorf("limit %q is not a positive number", l)
		}
		q.Limit = n
	}
	switch st := outgoing.Status(v.Get("status")); st {
	case "", outgoing.StatusPending, outgoing.StatusDelivered, outgoing.StatusFailed:
		q.Status = st
	default:
		return q, fmt.Errorf("status %q is not one of pending, delivered, failed", st)
	}
	return q, nil
}

// idle reports whether no call is being tracked.
func (s *callService) idle() bool { return s.tracker == nil || s.tracker.Idle() }

// callControl carries out POST /api/v1/call/{id}/{op} through the driver.
func (s *callService) callControl(w http.ResponseWriter, req *http.Request, r *resident) {
	id, op := req.PathValue("id"), req.PathValue("op")
	var in control.CallCommand
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	call, ok := s.tracker.Lookup(id)
	if !ok {
		actionurl.WriteJSON(w, http.StatusNotFound, control.Reply{Error: "that call is not in progress (it may have ended)"})
		return
	}
	// Snom's CSTA requests name a call by its $csta_id; every other
	// driver by the phone's call id.
	phoneID := call.ID
	if call.CSTAID != "" {
		phoneID = call.CSTAID
	}
	drv := r.currentDriver()
	ctx, cancel := context.WithTimeout(req.Context(), 15*time.Second)
	defer cancel()
	var err error
	switch op {
	case "answer":
		err = drv.Answer(ctx, phoneID)
	case "hangup":
		err = drv.Hangup(ctx, phoneID)
	case "hold":
		err = drv.Hold(ctx, phoneID)
	case "resume":
		err = drv.Resume(ctx, phoneID)
	case "transfer":
		if strings.TrimSpace(in.Target) == "" {
			actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "transfer needs a target number"})
			return
		}
		// Typed in the dial pad's transfer mode: the blocked list does
		// not apply, as for any number the person typed.
		target, perr := r.read(in.Target)
		if perr != nil {
			actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: perr.Error()})
			return
		}
		err = drv.Transfer(ctx, phoneID, target.Dial)
	case "dtmf":
		if !validDTMF(in.Digits) {
			actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "dtmf needs 1 to 32 of the digits 0-9, *, #, A-D"})
			return
		}
		err = drv.SendDTMF(ctx, phoneID, in.Digits)
	default:
		actionurl.WriteJSON(w, http.StatusNotFound, control.Reply{Error: fmt.Sprintf("%q is not a call operation (answer, hangup, hold, resume, transfer, dtmf)", op)})
		return
	}
	if err != nil {
		status := http.StatusBadGateway
		switch phone.KindOf(err) {
		case phone.ErrNotSupported:
			status = http.StatusNotImplemented
		case phone.ErrNoSuchCall:
			status = http.StatusNotFound
		}
		actionurl.WriteJSON(w, status, control.Reply{Error: err.Error()})
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
}

func validDTMF(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789*#ABCDabcd", c) {
			return false
		}
	}
	return true
}

// parseSince reads a point in time the way a person writes it: a
// duration back from now ("90m", "24h", "7d"), a date ("2024-05-01", local
// midnight), a local date and time ("2024-05-01T09:30"), or RFC 3339.
// Empty means the beginning.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use e.g. 24h, 7d, 2024-05-01 or 2024-05-01T09:30", s)
}

// --- sub-commands ---

// runJournal prints the journal: every call with its times and outcome,
// and under it every outgoing action URL with its status. It reads the
// file directly, so it works whether dialbridge runs or not.
func runJournal(_ context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("journal", stderr)
	sinceFlag := flags.String("since", "", "show calls since then: 24h, 7d, 2024-05-01, 2024-05-01T09:30")
	limit := flags.Int("limit", 50, "show at most this many calls (the newest)")
	asJSON := flags.Bool("json", false, "print JSON (the control API's CallList) instead of text")
	if err := cli.ParseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return cli.UsageError{Msg: "journal takes no arguments besides its flags"}
	}
	since, err := parseSince(*sinceFlag, time.Now())
	if err != nil {
		return cli.UsageError{Msg: "--since: " + err.Error()}
	}
	if *limit < 1 {
		return cli.UsageError{Msg: "--limit must be at least 1"}
	}
	path, err := control.ConfigPath(*cfgPath)
	if err != nil {
		return err
	}
	jpath := journal.PathFor(path)
	j, err := journal.OpenReadOnly(jpath)
	if errors.Is(err, fs.ErrNotExist) {
		if *asJSON {
			return json.NewEncoder(stdout).Encode(control.CallList{Calls: []control.CallEntry{}})
		}
		fmt.Fprintf(stdout, "No calls recorded yet (there is no journal at %s).\n", jpath)
		return nil
	}
	if err != nil {
		return err
	}
	defer j.Close()
	calls, err := j.Calls(context.Background(), journal.Query{Since: since, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(control.CallList{Calls: nonNil(calls)})
	}
	if len(calls) == 0 {
		fmt.Fprintln(stdout, noCalls(*sinceFlag, since, jpath))
		return nil
	}
	printJournal(stdout, calls)
	return nil
}

// noCalls says which time the journal was searched in when it had nothing
// to show, so that an empty answer is not mistaken for a broken journal.
func noCalls(flag string, since time.Time, jpath string) string {
	if since.IsZero() {
		return fmt.Sprintf("No calls in the journal at %s yet.", jpath)
	}
	return fmt.Sprintf("No calls since %s (--since %s).", since.Format("2006-01-02 15:04"), flag)
}

// printJournal writes calls oldest first, as a log reads. What the phone
// passed on (numbers, the name the caller chose) is limited by
// display.Name: one line each, no terminal escapes, no bidi tricks.
func printJournal(w io.Writer, calls []control.CallEntry) {
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		who := display.Name(c.Remote)
		if alias := display.Name(c.RemoteAlias); alias != "" {
			who = fmt.Sprintf("%s (%s)", who, alias)
		}
		if who == "" {
			who = "unknown"
		}
		line := fmt.Sprintf("%s  %-8s  %-12s  %s", c.Created.Local().Format("2006-01-02 15:04:05"), c.Direction, c.Outcome, who)
		if c.Connected != nil {
			line += "  " + phone.FormatDuration(time.Duration(c.DurationSeconds)*time.Second)
		}
		if c.TransferredTo != "" {
			line += "  -> " + display.Name(c.TransferredTo)
		}
		fmt.Fprintln(w, line)
		for _, d := range c.Deliveries {
			state := d.Status
			if d.HTTPStatus != 0 {
				state += fmt.Sprintf(" (HTTP %d)", d.HTTPStatus)
			}
			extra := ""
			switch {
			case d.Status == string(outgoing.StatusPending) && d.NextAttempt != nil:
				extra = fmt.Sprintf("  attempt %d, next at %s", d.Attempts+1, d.NextAttempt.Local().Format("15:04:05"))
			case d.Mode == string(outgoing.ModeBrowser):
				extra = "  (browser)"
			}
			fmt.Fprintf(w, "    %-12s %-18s %s%s\n", d.Action, state, d.URL, extra)
			if d.LastError != "" && d.Status != string(outgoing.StatusDelivered) {
				fmt.Fprintf(w, "    %-12s %-18s %s\n", "", "", display.LogText(d.LastError))
			}
		}
	}
}

// runPairingURLs prints, one per line as "setting = URL", what to enter in
// the configured phone's web interface so that it reports its calls.
func runPairingURLs(_ context.Context, args []string, stdout, stderr io.Writer) error {
	flags, cfgPath := cli.NewFlags("pairing-urls", stderr)
	if err := cli.ParseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return cli.UsageError{Msg: "pairing-urls takes no arguments besides its flags"}
	}
	path, cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	token, err := ensurePairingToken(path, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr, err := pairingAddress(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	secure := cfg.Listener.LANTLS && !addr.IsLoopback()
	settings, err := phoneevents.PairingURLs(cfg.Phone.Brand, phoneevents.EventsBaseURL(addr, cfg.Listener.Port, secure), token)
	if err != nil {
		return err
	}
	for _, s := range settings {
		if !s.Hidden {
			fmt.Fprintf(stdout, "%s = %s\n", s.Name, s.URL)
		}
	}
	if cfg.Listener.LANAddress == "" || addr.IsLoopback() {
		return nil
	}
	// What the other computers (a CRM server, a PBX) need to send dial
	// requests to the LAN socket, and to pin its certificate.
	if len(cfg.Listener.AllowIPs) > 0 {
		fmt.Fprintf(stdout, "dial_request_url = %s/?action=make_call&target=NUMBER\n", phoneevents.EventsBaseURL(addr, cfg.Listener.Port, secure))
	}
	if secure {
		_, fp, err := lancert.Load(path, addr, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "lan_tls_sha256 = %s\n", fp)
	}
	return nil
}

// pairingAddress is the address to give the phone: the configured one, or
// for "" the one on the route to the phone, with a note that dialbridge
// does not listen there until lan_address is set.
func pairingAddress(ctx context.Context, cfg config.Config, stderr io.Writer) (netip.Addr, error) {
	setting := cfg.Listener.LANAddress
	if cfg.Phone.Brand == brands.Demo {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	if setting != "" {
		return phoneevents.EventsAddress(ctx, setting, cfg.Phone.Address)
	}
	addr, err := phoneevents.RouteAddress(ctx, cfg.Phone.Address)
	if err != nil {
		return netip.Addr{}, err
	}
	if !addr.IsLoopback() {
		fmt.Fprintf(stderr, "note: listener.lan_address is empty, so dialbridge listens on loopback only and the phone cannot reach it yet; set lan_address = %q (or \"auto\") and restart dialbridge\n", addr.String())
	}
	return addr, nil
}
