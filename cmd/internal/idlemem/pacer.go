package idlemem

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// KeepWhileDialing is how long after a dial the periodic release waits.
// People dial in bursts, a number every few seconds; giving the pages back
// at the check in between made each next dial fault the dial path (dialing
// rules, HTTP client, driver: about a millisecond, several on a busy
// machine) back in. Two minutes after the last dial the next check gives
// them back, so the idle resident still holds only what waiting uses.
const KeepWhileDialing = 2 * time.Minute

// Pacer decides when the resident gives memory back: once start-up has
// settled, and after each periodic check unless a call is in progress or a
// person dialed within KeepWhileDialing. The zero Pacer is ready.
type Pacer struct {
	// Log hears what was given back; nil says nothing.
	Log *slog.Logger

	once     sync.Once
	rel      *Releaser
	err      error
	lastDial atomic.Int64 // Unix nanoseconds, 0 for never
}

// AfterStart gives back what start-up needed and waiting does not: most
// of the resident's memory after start is its own binary's pages, touched
// once by package initialization.
func (p *Pacer) AfterStart() { p.release((*Releaser).Release, "start-up") }

// AfterCheck gives back the binary's pages a periodic check touched (the
// tray's phone check every 30 s maps about 4 MB of code and tables for a
// millisecond), so that between checks the resident holds only what
// waiting uses. busy (a call in progress) and a recent dial keep them.
func (p *Pacer) AfterCheck(busy bool) {
	if busy || p.DialedWithin(time.Now(), KeepWhileDialing) {
		return
	}
	p.release((*Releaser).ReleaseFile, "check")
}

// Dialed notes that a number is being dialed now.
func (p *Pacer) Dialed() { p.lastDial.Store(time.Now().UnixNano()) }

// DialedWithin reports whether a number was dialed in the window d before
// now.
func (p *Pacer) DialedWithin(now time.Time, d time.Duration) bool {
	last := p.lastDial.Load()
	return last != 0 && now.Sub(time.Unix(0, last)) < d
}

func (p *Pacer) release(release func(*Releaser) (Stats, error), after string) {
	p.once.Do(func() { p.rel, p.err = Self() })
	log := p.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if p.err != nil {
		log.Debug("keeping the memory", "after", after, "error", p.err.Error())
		return
	}
	st, err := release(p.rel)
	if err != nil {
		log.Warn("could not give back memory", "after", after, "error", err.Error())
		return
	}
	log.Debug("gave back memory", "after", after, "regions", st.Regions, "bytes", st.Bytes)
}
