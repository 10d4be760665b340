package lookup

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// bookSource answers from a map after a delay; block makes it never
// answer (until ctx ends), fail makes it fail.
type bookSource struct {
	label string
	names map[string]string
	delay time.Duration
	block bool
	fail  error
	asked atomic.Int32
}

func (s *bookSource) Label() string { return s.label }

func (s *bookSource) Find(ctx context.Context, n Number) (Contact, bool, error) {
	s.asked.Add(1)
	if s.block {
		<-ctx.Done()
		return Contact{}, false, ctx.Err()
	}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return Contact{}, false, ctx.Err()
	}
	if s.fail != nil {
		return Contact{}, false, s.fail
	}
	name, ok := s.names[n.Key]
	return Contact{Name: name}, ok, nil
}

func TestTheFirstSourceInOrderWinsEvenWhenALaterOneIsFaster(t *testing.T) {
	slow := &bookSource{label: "slow", names: map[string]string{"+49301234567": "From slow"}, delay: 50 * time.Millisecond}
	fast := &bookSource{label: "fast", names: map[string]string{"+49301234567": "From fast", "+49307654321": "Only fast"}}
	broken := &bookSource{label: "broken", fail: errors.New("down")}
	s := New(Options{Sources: []Source{broken, slow, fast}, Key: dialplan.Keyer(berlin)})
	for _, tc := range []struct{ number, name, source string }{
		{"030 1234567", "From slow", "slow"},
		{"+49 30 7654321", "Only fast", "fast"},
	} {
		m, ok, err := s.Find(context.Background(), tc.number)
		if !ok || m.Name != tc.name || m.Source != tc.source {
			t.Errorf("Find(%q) = %+v, %v; want %q from %q", tc.number, m, ok, tc.name, tc.source)
		}
		if err == nil {
			t.Errorf("Find(%q): the broken source's error is missing", tc.number)
		}
	}
}

func TestAnswersAreCachedUntilTheyExpire(t *testing.T) {
	now := time.Unix(1000, 0)
	src := &bookSource{label: "book", names: map[string]string{"+49301234567": "Anna"}}
	s := New(Options{Sources: []Source{src}, Key: dialplan.Keyer(berlin), TTL: time.Minute, Now: func() time.Time { return now }})
	for _, nr := range []string{"0301234567", "+49 30 1234567", "0309999999", "0309999999"} {
		if _, _, err := s.Find(context.Background(), nr); err != nil {
			t.Fatal(err)
		}
	}
	if got := src.asked.Load(); got != 2 {
		t.Fatalf("the source was asked %d times, want 2 (one known and one unknown number, each cached)", got)
	}
	now = now.Add(2 * time.Minute)
	s.Find(context.Background(), "0301234567")
	if got := src.asked.Load(); got != 3 {
		t.Fatalf("after expiry the source was asked %d times in all, want 3", got)
	}
}

func TestASourceThatNeverAnswersDelaysACallByTheBudgetOnly(t *testing.T) {
	never := &bookSource{label: "never", block: true}
	late := &bookSource{label: "late", names: map[string]string{"+49301234567": "Anna"}, delay: 150 * time.Millisecond}
	s := New(Options{Sources: []Source{never, late}, Key: dialplan.Keyer(berlin), Timeout: time.Second})
	start := time.Now()
	_, ok := s.Ask("0301234567", 100*time.Millisecond, nil, nil)
	if took := time.Since(start); ok || took > 300*time.Millisecond {
		t.Fatalf("Ask = %v after %v; want no name within the budget", ok, took)
	}

	got := make(chan Match, 1)
	s2 := New(Options{Sources: []Source{late}, Key: dialplan.Keyer(berlin)})
	start = time.Now()
	if _, ok := s2.Ask("0301234567", 50*time.Millisecond, func(m Match) { got <- m }, nil); ok {
		t.Fatal("Ask answered before the source did")
	}
	if took := time.Since(start); took > 140*time.Millisecond {
		t.Fatalf("Ask waited %v, beyond its budget", took)
	}
	select {
	case m := <-got:
		if m.Name != "Anna" {
			t.Fatalf("late answer = %+v", m)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the late answer never came")
	}
	if m, ok := s2.Ask("030 1234567", 50*time.Millisecond, nil, nil); !ok || m.Name != "Anna" {
		t.Fatalf("the late answer is not cached: %+v, %v", m, ok)
	}
}

func TestASourceThatTimesOutLeavesTheAnswersOfTheSourcesAfterIt(t *testing.T) {
	never := &bookSource{label: "never", block: true}
	book := &bookSource{label: "book", names: map[string]string{"+49301234567": "Anna"}}
	s := New(Options{Sources: []Source{never, book}, Key: dialplan.Keyer(berlin), Timeout: 100 * time.Millisecond})
	m, ok, err := s.Find(context.Background(), "0301234567")
	if !ok || m.Name != "Anna" || err == nil {
		t.Fatalf("Find = %+v, %v, %v; want Anna from the book and the silent source's error", m, ok, err)
	}
}
