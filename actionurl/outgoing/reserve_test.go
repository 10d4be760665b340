package outgoing

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// slowDisk is a memStore behind a write queue that reaches the "disk"
// only when the test says so. While hold is set, writes queue up in
// order, unconfirmed, until release. A reservation can be refused. crash
// loses the queue and every later write, as a power cut does.
type slowDisk struct {
	mem         *memStore
	mu          sync.Mutex
	hold        bool
	queue       []queuedWrite
	refuseIDs   bool
	crashed     bool
	reservation chan int64
}

type queuedWrite struct {
	op   func()
	done func(error)
}

var errCrashed = errors.New("the power is off")

func newSlowDisk(mem *memStore) *slowDisk {
	return &slowDisk{mem: mem, reservation: make(chan int64, 100)}
}

// write applies op and then confirms it, now or at release.
func (s *slowDisk) write(op func(), done func(error)) {
	s.mu.Lock()
	switch {
	case s.crashed:
		s.mu.Unlock()
		done(errCrashed)
	case s.hold || len(s.queue) > 0:
		s.queue = append(s.queue, queuedWrite{op, done})
		s.mu.Unlock()
	default:
		s.mu.Unlock()
		op()
		done(nil)
	}
}

func (s *slowDisk) AddDeliveries(ds []Delivery, done func(error)) {
	s.write(func() { s.mem.AddDeliveries(ds, func(error) {}) }, done)
}

func (s *slowDisk) UpdateDelivery(d Delivery, done func(error)) {
	s.write(func() { s.mem.UpdateDelivery(d, func(error) {}) }, done)
}

func (s *slowDisk) ReserveDeliveryIDs(upTo int64, done func(error)) {
	s.mu.Lock()
	refuse := s.refuseIDs
	s.mu.Unlock()
	if refuse {
		done(errors.New("disk full"))
	} else {
		s.write(func() { s.mem.ReserveDeliveryIDs(upTo, func(error) {}) }, done)
	}
	s.reservation <- upTo
}

func (s *slowDisk) PendingDeliveries(ctx context.Context) ([]Delivery, error) {
	return s.mem.PendingDeliveries(ctx)
}

func (s *slowDisk) LastDeliveryID(ctx context.Context) (int64, error) {
	return s.mem.LastDeliveryID(ctx)
}

func (s *slowDisk) setHold(hold bool) {
	s.mu.Lock()
	s.hold = hold
	s.mu.Unlock()
}

// release writes what queued up, in order, and stops holding.
func (s *slowDisk) release() {
	for _, w := range s.unqueue(false) {
		w.op()
		w.done(nil)
	}
}

// crash loses what is queued; the outbox, which would be gone too, is
// told so that its Close does not wait for ever.
func (s *slowDisk) crash() {
	for _, w := range s.unqueue(true) {
		w.done(errCrashed)
	}
}

// unqueue stops holding and hands back what queued up meanwhile; crashed
// makes every later write fail, as on a disk that lost its power.
func (s *slowDisk) unqueue(crashed bool) []queuedWrite {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.queue
	s.queue, s.hold = nil, false
	s.crashed = s.crashed || crashed
	return queue
}

// slowOutbox starts an outbox on a slowDisk and, once the first
// reservation was written (or refused), holds back every later write.
func slowOutbox(t *testing.T, refuseIDs bool, o Options) (*slowDisk, *Outbox) {
	t.Helper()
	disk := newSlowDisk(newMemStore())
	disk.refuseIDs = refuseIDs
	o.Store = disk
	b := openOutbox(t, o)
	<-disk.reservation
	disk.setHold(true)
	t.Cleanup(disk.release)
	return disk, b
}

// TestOutboxDoesNotWaitForTheDisk: with its id reserved, a delivery
// reaches the CRM while its row is still on the way to the disk, and the
// phone's answer (Enqueue's wait) still waits for the disk.
func TestOutboxDoesNotWaitForTheDisk(t *testing.T) {
	c := newCRM(t, nil)
	f := newFinals()
	disk, b := slowOutbox(t, false, Options{OnFinal: func(d Delivery) { f.ch <- d }})

	wait := b.Enqueue([]Delivery{delivery("g", "inbound", c.URL+"/e/inbound")})
	select {
	case got := <-c.received:
		if got != "/e/inbound" {
			t.Errorf("CRM got %s", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the delivery waited for the disk")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Enqueue's wait returned %v before the row was on disk", err)
	}
	disk.release()
	if err := wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The outcome was written after the row, not overwritten by it.
	f.wait(t, 1)
	if rows := disk.mem.all(); len(rows) != 1 || rows[0].Status != StatusDelivered {
		t.Errorf("stored %+v", rows)
	}
}

// TestOutboxWaitsForTheDiskWithoutAReservation: when the reservation
// cannot be written, a delivery goes only once its own row is on disk.
func TestOutboxWaitsForTheDiskWithoutAReservation(t *testing.T) {
	c := newCRM(t, nil)
	disk, b := slowOutbox(t, true, Options{})

	wait := b.Enqueue([]Delivery{delivery("g", "inbound", c.URL+"/e/inbound")})
	select {
	case got := <-c.received:
		t.Fatalf("CRM got %s before the row was on disk", got)
	case <-time.After(100 * time.Millisecond):
	}
	disk.release()
	if err := wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.received:
	case <-time.After(30 * time.Second):
		t.Fatal("the delivery never went")
	}
}

// TestOutboxIDsAfterACrash: deliveries sent before their rows reached the
// disk, then a power cut that lost the rows. The next outbox must not hand
// out their ids again: a CRM would take the new requests, which carry the
// same Idempotency-Keys, for repeats and drop them.
func TestOutboxIDsAfterACrash(t *testing.T) {
	c := newCRM(t, nil)
	mem := newMemStore()
	disk := newSlowDisk(mem)
	b, err := Open(context.Background(), Options{Store: disk})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	<-disk.reservation
	disk.setHold(true)
	for _, a := range []string{"inbound", "connected"} {
		b.Enqueue([]Delivery{delivery("g", a, c.URL+"/e/"+a)})
	}
	for range 2 {
		<-c.received
	}
	disk.crash()
	b.Close() // its writes are lost with the rest

	disk = newSlowDisk(mem) // the machine is back, with what reached the disk
	b = openOutbox(t, Options{Store: disk})
	<-disk.reservation
	b.Enqueue([]Delivery{delivery("g", "disconnected", c.URL+"/e/disconnected")})
	<-c.received
	seen := map[string]bool{}
	for _, k := range c.keys {
		if seen[k] {
			t.Errorf("Idempotency-Key %s handed out twice: %v", k, c.keys)
		}
		seen[k] = true
	}
}

// TestOutboxCloseGivesBackItsIDs: after a clean close, the numbering goes
// on where it stopped, without the gap of an unused reservation.
func TestOutboxCloseGivesBackItsIDs(t *testing.T) {
	c := newCRM(t, nil)
	store := newMemStore()
	for round := range 2 {
		f := newFinals()
		b, err := Open(context.Background(), Options{Store: store, OnFinal: func(d Delivery) { f.ch <- d }})
		if err != nil {
			t.Fatal(err)
		}
		b.Start()
		if err := b.Enqueue([]Delivery{delivery("g", "inbound", c.URL+"/e/inbound")})(context.Background()); err != nil {
			t.Fatal(err)
		}
		d := f.wait(t, 1)[0]
		b.Close()
		if want := int64(round + 1); d.ID != want {
			t.Errorf("round %d: delivery id %d, want %d", round, d.ID, want)
		}
	}
	if last, _ := store.LastDeliveryID(context.Background()); last != 2 {
		t.Errorf("LastDeliveryID = %d after a clean close, want 2", last)
	}
}
