package outgoing

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"
)

// Options configure an Outbox. Store is required; everything else has a
// default.
type Options struct {
	// Store keeps the deliveries on disk (the journal).
	Store Store
	// Sender makes background requests; nil means NewHTTPSender.
	Sender Sender
	// Opener opens browser deliveries; nil means SystemOpener.
	Opener Opener
	// Workers bounds the attempts in flight at once; default
	// DefaultWorkers.
	Workers int
	// Timeout bounds one attempt; default 10 seconds.
	Timeout time.Duration
	// Backoff is the wait before attempt n+1 after n failed ones; nil
	// means DefaultBackoff.
	Backoff func(attempts int) time.Duration
	// GiveUp is how long a delivery is retried before it is recorded as
	// failed; default 24 hours.
	GiveUp time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives one line per failed attempt; nil discards.
	Log *slog.Logger
	// OnFinal, if set, is told of every delivery that was delivered or
	// given up (for the tray and for tests). It must not block.
	OnFinal func(Delivery)
	// OnFailing, if set, is told when deliveries start failing (true: an
	// attempt failed after the last success) and when they work again
	// (false), for the light of a key bound to crm_failing. It must not
	// block.
	OnFailing func(bool)
}

// DefaultWorkers is how many attempts an outbox makes at once unless
// told otherwise. A call's deliveries go out one after the other, so this
// bounds how many calls are served at once, not how hard one call hits
// the CRM; a desk phone rarely has more than two. It matters in a storm
// of events on a small machine, where the phones' events and the
// deliveries share the CPU: each attempt spends most of its time waiting
// for the goroutines of the HTTP client and of the CRM to be scheduled,
// so with few workers the deliveries get too small a share, fall behind
// the events coming in, and the queue grows for as long as the storm
// lasts. In BenchmarkEventStorm (2 cores, 32 phones, three runs each)
// the p99 from an event to its request at the CRM was, at saturation,
// 8.9–9.6 ms with 4 workers, 5.6–6.1 ms with 8 and 5.2–5.8 ms with 16;
// at 2,000 events/s, 1.5–1.7 ms with 4 and 1.0–1.1 ms with 8 or 16.
const DefaultWorkers = 16

// DefaultBackoff waits 1 s, 2 s, 4 s ... up to 5 minutes, each with up to
// a fifth more at random so that many deliveries to a CRM that comes back
// do not all knock at once.
func DefaultBackoff(attempts int) time.Duration {
	d := time.Second << min(max(attempts-1, 0), 9)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return d + rand.N(d/5+1)
}

// idBlock is how many delivery ids one reservation covers. A reservation
// costs one small write, made in the background when half the last one is
// used; a crash loses at most one block of ids (a gap in the numbering,
// nothing else).
const idBlock = 1024

// Outbox delivers outgoing action URLs in the background: every delivery
// is written to the store before Enqueue's wait returns, attempted by a
// bounded set of workers with a time-out, retried with backoff while it
// fails, and picked up again from the store after a restart. An attempt
// does not wait for the delivery's row to reach the disk when its id is
// covered by a reservation (see Store): on a machine whose disk takes
// milliseconds to sync, the CRM would otherwise hear of every event that
// much later. The deliveries of one call go out in order (a CRM sees
// "connected" after "inbound"); different calls proceed in parallel, so a
// slow answer for one call holds up no other, and nothing the outbox does
// ever waits on a server while a phone event is being taken in.
type Outbox struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// writes counts store writes not yet acknowledged; Close waits for them.
	writes sync.WaitGroup

	mu     sync.Mutex
	cond   *sync.Cond
	nextID int64
	// reserved is the highest id covered by a durable reservation;
	// reserving says one is being written.
	reserved  int64
	reserving bool
	queues    map[string]*callQueue
	ready     readyQueue
	pending   int
	// failing: the latest attempt failed.
	failing bool
	started bool
	closed  bool
}

// readyQueue holds the calls whose head delivery can go now, the oldest
// head first (a container/heap by delivery id, and ids are handed out in
// the order of the events). A call's next delivery becomes ready only
// when its previous one is done, so it has usually waited longer than any
// delivery of another call that became ready meanwhile; first come, first
// served would send it to the back of the line again, once for every
// event of the call, and the latency of a call's later events would pile
// up.
type readyQueue []*callQueue

func (r readyQueue) Len() int           { return len(r) }
func (r readyQueue) Less(i, j int) bool { return r[i].items[0].d.ID < r[j].items[0].d.ID }
func (r readyQueue) Swap(i, j int)      { r[i], r[j] = r[j], r[i] }
func (r *readyQueue) Push(x any)        { *r = append(*r, x.(*callQueue)) }
func (r *readyQueue) Pop() any {
	old := *r
	q := old[len(old)-1]
	old[len(old)-1] = nil
	*r = old[:len(old)-1]
	return q
}

// callQueue holds the deliveries of one call, oldest first.
type callQueue struct {
	key   string
	items []*entry
	state queueState
	timer *time.Timer
}

type queueState uint8

const (
	idle    queueState = iota // nothing due, or head not yet durable
	queued                    // in Outbox.ready
	running                   // a worker is attempting the head
	waiting                   // the head waits for its next attempt
)

type entry struct {
	d Delivery
	// durable: the row is on disk. submitted: the row is in the store's
	// queue, so the outcome of an attempt will be written after it; with
	// its id reserved, that lets it go before it is durable.
	durable, submitted bool
}

// Open loads the pending deliveries from the store. Nothing is sent until
// Start: a second dialbridge that is about to find its port taken must not
// deliver the first one's outbox.
func Open(ctx context.Context, o Options) (*Outbox, error) {
	if o.Store == nil {
		return nil, errors.New("outgoing: the outbox needs a store")
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Sender == nil {
		o.Sender = NewHTTPSender(o.Workers, "dialbridge")
	}
	if o.Opener == nil {
		o.Opener = SystemOpener{}
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.GiveUp <= 0 {
		o.GiveUp = 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	last, err := o.Store.LastDeliveryID(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	pending, err := o.Store.PendingDeliveries(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	b := &Outbox{o: o, nextID: last, queues: map[string]*callQueue{}}
	b.cond = sync.NewCond(&b.mu)
	b.ctx, b.cancel = context.WithCancel(context.Background())
	for _, d := range pending {
		if d.Mode == ModeBrowser {
			// Opening a CRM page minutes or hours late, after a restart,
			// would only confuse: record it as not opened instead.
			d.Status, d.Done = StatusFailed, o.Now()
			d.failed(sayStopped.With(nil, nil))
			b.writes.Add(1)
			o.Store.UpdateDelivery(d, func(error) { b.writes.Done() })
			continue
		}
		q := b.queue(d.CallGUID)
		q.items = append(q.items, &entry{d: d, durable: true})
		b.pending++
	}
	return b, nil
}

// Start starts the workers and schedules what was loaded.
func (b *Outbox) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started || b.closed {
		return
	}
	b.started = true
	b.reserveLocked()
	for range b.o.Workers {
		b.wg.Add(1)
		go b.work()
	}
	now := b.o.Now()
	for _, q := range b.queues {
		if head := q.items[0]; head.d.NextAttempt.After(now) {
			b.wait(q, head.d.NextAttempt.Sub(now))
			continue
		}
		b.kick(q)
	}
}

// Enqueue takes new deliveries (from Rules.Deliveries), numbers them in
// the order given and hands them to the store. It never waits for a server
// and only for the store's queue, not its disk: the returned wait blocks
// until the deliveries are on disk, for callers that must not answer
// before that (the phone event endpoint). Deliveries of one call must be
// enqueued in the order of its events.
func (b *Outbox) Enqueue(ds []Delivery) (wait func(context.Context) error) {
	if len(ds) == 0 {
		return func(context.Context) error { return nil }
	}
	b.mu.Lock()
	entries := make([]*entry, len(ds))
	now := b.o.Now()
	for i := range ds {
		b.nextID++
		ds[i].ID = b.nextID
		if ds[i].Status == "" {
			ds[i].Status = StatusPending
		}
		if ds[i].Created.IsZero() {
			ds[i].Created = now
		}
		if ds[i].NextAttempt.IsZero() {
			ds[i].NextAttempt = ds[i].Created
		}
		e := &entry{d: ds[i]}
		entries[i] = e
		q := b.queue(ds[i].CallGUID)
		q.items = append(q.items, e)
		b.pending++
	}
	if b.started && b.reserved-b.nextID < idBlock/2 {
		b.reserveLocked()
	}
	b.mu.Unlock()

	stored := make(chan struct{})
	var storeErr error
	rows := append([]Delivery(nil), ds...)
	b.writes.Add(1)
	b.o.Store.AddDeliveries(rows, func(err error) {
		defer b.writes.Done()
		storeErr = err
		if err != nil {
			// Better delivered without a record than not delivered: the
			// deliveries go out, only a crash before then loses them.
			b.o.Log.Error("the outbox could not record deliveries", "count", len(rows), "error", err)
		}
		b.mark(entries, func(e *entry) { e.durable = true })
		close(stored)
	})
	// Only now may a delivery go before its row is durable: the outcome
	// of its attempt must reach the store after the row, or the row
	// would overwrite it.
	b.mark(entries, func(e *entry) { e.submitted = true })
	return func(ctx context.Context) error {
		select {
		case <-stored:
			if storeErr != nil {
				return fmt.Errorf("recording the outgoing action URLs: %w", storeErr)
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// mark changes the state of entries and lets their calls go on if they
// can now.
func (b *Outbox) mark(entries []*entry, change func(*entry)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range entries {
		change(e)
		if q := b.queues[e.d.CallGUID]; q != nil {
			b.kick(q)
		}
	}
}

// reserveLocked reserves the next block of ids in the background, unless
// a reservation is being written already. Called with b.mu held; the
// store is called on another goroutine, since its callback takes b.mu.
func (b *Outbox) reserveLocked() {
	if b.reserving || b.closed {
		return
	}
	b.reserving = true
	upTo := b.nextID + idBlock
	b.writes.Add(1)
	go b.o.Store.ReserveDeliveryIDs(upTo, func(err error) {
		defer b.writes.Done()
		b.mu.Lock()
		defer b.mu.Unlock()
		b.reserving = false
		if err != nil {
			// Deliveries then wait for their own rows, as before the
			// first reservation; the next Enqueue tries again.
			b.o.Log.Error("the outbox could not reserve delivery ids", "error", err)
			return
		}
		if b.closed {
			return
		}
		b.reserved = max(b.reserved, upTo)
		for _, q := range b.queues {
			b.kick(q)
		}
	})
}

// Pending is the number of deliveries not yet delivered or given up.
func (b *Outbox) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pending
}

// Failing reports whether the latest delivery attempt failed: the CRM
// (or whatever the outgoing URLs reach) does not take them right now.
func (b *Outbox) Failing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failing
}

// Close stops the workers and waits until the store has every outcome.
// Attempts in flight are canceled and stay pending in the store, to be
// made again after the next start.
func (b *Outbox) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	for _, q := range b.queues {
		if q.timer != nil {
			q.timer.Stop()
		}
	}
	b.cond.Broadcast()
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
	b.writes.Wait()
	if b.started {
		// Give back the ids reserved but not used, so that the numbering
		// goes on without a gap after a clean restart. Written after
		// every other write, so it cannot be overtaken by a reservation.
		b.mu.Lock()
		last := b.nextID
		b.mu.Unlock()
		done := make(chan struct{})
		b.o.Store.ReserveDeliveryIDs(last, func(error) { close(done) })
		<-done
	}
}

func (b *Outbox) queue(key string) *callQueue {
	q := b.queues[key]
	if q == nil {
		q = &callQueue{key: key}
		b.queues[key] = q
	}
	return q
}

// kick makes q's head available to the workers if it can go now. Called
// with b.mu held.
func (b *Outbox) kick(q *callQueue) {
	if q.state != idle || len(q.items) == 0 || !b.started || b.closed {
		return
	}
	if head := q.items[0]; !head.durable && !(head.submitted && head.d.ID <= b.reserved) {
		return
	}
	q.state = queued
	heap.Push(&b.ready, q)
	b.cond.Signal()
}

// wait parks q until its head's next attempt. Called with b.mu held.
func (b *Outbox) wait(q *callQueue, d time.Duration) {
	q.state = waiting
	q.timer = time.AfterFunc(d, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if q.state == waiting {
			q.state = idle
			q.timer = nil
			b.kick(q)
		}
	})
}

func (b *Outbox) work() {
	defer b.wg.Done()
	for {
		b.mu.Lock()
		for len(b.ready) == 0 && !b.closed {
			b.cond.Wait()
		}
		if b.closed {
			b.mu.Unlock()
			return
		}
		q := heap.Pop(&b.ready).(*callQueue)
		q.state = running
		d := q.items[0].d
		b.mu.Unlock()

		res := b.attempt(d)
		if b.ctx.Err() != nil {
			return // closing: the attempt was cut short, it stays pending
		}
		b.settle(q, d, res)
	}
}

func (b *Outbox) attempt(d Delivery) Result {
	ctx, cancel := context.WithTimeout(b.ctx, b.o.Timeout)
	defer cancel()
	if d.Mode == ModeBrowser {
		if err := b.o.Opener.Open(ctx, d.URL); err != nil {
			return Result{Err: err}
		}
		return Result{}
	}
	return b.o.Sender.Send(ctx, d)
}

// settle records the outcome of an attempt and moves q on.
func (b *Outbox) settle(q *callQueue, d Delivery, res Result) {
	now := b.o.Now()
	d.Attempts++
	d.HTTPStatus = res.Status
	d.LastError, d.Says = "", nil
	final := true
	switch {
	case res.Err == nil:
		d.Status, d.Done = StatusDelivered, now
	case res.Retry && now.Sub(d.Created) < b.o.GiveUp:
		final = false
		d.failed(res.Err)
		d.NextAttempt = now.Add(b.o.Backoff(d.Attempts))
		b.o.Log.Warn("an outgoing action URL failed; it will be tried again",
			"delivery", d.ID, "action", d.Action, "host", hostOf(d.URL), "attempt", d.Attempts,
			"next", d.NextAttempt.Format(time.RFC3339), "error", d.LastError)
	default:
		d.Status, d.Done = StatusFailed, now
		err := res.Err
		if res.Retry {
			err = GaveUp(d.Attempts, err)
		}
		d.failed(err)
		b.o.Log.Error("an outgoing action URL could not be delivered",
			"delivery", d.ID, "action", d.Action, "host", hostOf(d.URL), "attempts", d.Attempts, "error", d.LastError)
	}
	b.writes.Add(1)
	b.o.Store.UpdateDelivery(d, func(err error) {
		defer b.writes.Done()
		if err != nil {
			b.o.Log.Error("the outbox could not record a delivery", "delivery", d.ID, "error", err)
		}
	})

	b.mu.Lock()
	flipped := b.failing != (res.Err != nil)
	b.failing = res.Err != nil
	if !final {
		q.items[0].d = d
		b.wait(q, max(d.NextAttempt.Sub(now), 0))
		b.mu.Unlock()
		b.toldFailing(flipped, res.Err != nil)
		return
	}
	q.items[0] = nil
	q.items = q.items[1:]
	b.pending--
	q.state = idle
	if len(q.items) == 0 {
		delete(b.queues, q.key)
	} else {
		b.kick(q)
	}
	b.mu.Unlock()
	b.toldFailing(flipped, res.Err != nil)
	if b.o.OnFinal != nil {
		b.o.OnFinal(d)
	}
}

// toldFailing tells OnFailing of a change of Failing (flipped) to on.
func (b *Outbox) toldFailing(flipped, on bool) {
	if flipped && b.o.OnFailing != nil {
		b.o.OnFailing(on)
	}
}

// hostOf is the part of a URL that may be logged: no path or query, which
// carry a caller's number and perhaps a token.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Host
}
