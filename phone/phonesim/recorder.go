package phonesim

import (
	"context"
	"fmt"
	"sync"
)

// Recorder keeps the requests a simulated phone accepted, for tests to
// assert on and wait for, whatever protocol they came in (the HTTP phones
// here, the SIP phone in phone/sip). The zero value is ready.
type Recorder struct {
	mu       sync.Mutex
	requests []Request
	notify   chan struct{}
}

// Record adds r and wakes WaitRequests.
func (s *Recorder) Record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	if s.notify != nil {
		close(s.notify)
	}
	s.notify = make(chan struct{})
}

// Requests returns a copy of every request recorded so far.
func (s *Recorder) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets the recorded requests.
func (s *Recorder) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// WaitRequests blocks until at least n requests were recorded or ctx ends,
// and returns what was recorded.
func (s *Recorder) WaitRequests(ctx context.Context, n int) ([]Request, error) {
	for {
		s.mu.Lock()
		if s.notify == nil {
			s.notify = make(chan struct{})
		}
		got, ch := len(s.requests), s.notify
		s.mu.Unlock()
		if got >= n {
			return s.Requests(), nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s.Requests(), fmt.Errorf("simulated phone received %d of %d requests: %w", got, n, ctx.Err())
		}
	}
}
