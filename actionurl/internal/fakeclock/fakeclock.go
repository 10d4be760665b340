// Package fakeclock is a clock for tests that moves only when told: rate
// limits, retries and call durations are then tested in no time and with
// the same times on every run. Code under test takes its Now method where
// it takes time.Now.
package fakeclock

import (
	"sync"
	"time"
)

// Clock is a fake clock, safe for concurrent use: the code under test
// reads it from its own goroutines while the test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at start.
func New(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
