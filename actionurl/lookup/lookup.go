// Package lookup finds who a phone number belongs to: the address books,
// directories and CRMs a person configured ([[lookup]] in config.toml) are
// asked in parallel, and the first one in the configured order that knows
// the number wins. Numbers match in E.164 whatever their spelling, read by
// the dialing rules, so "+49 (0)30 1234567", "030 1234567" and
// "tel:+49-30-1234567" are one number. A slow source never delays a call:
// Ask waits a bounded time and hands a later answer on when it comes.
package lookup

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone/dialplan"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Contact is what a source knows about a number.
type Contact struct {
	// Name is the person or the place ("Anna Schmidt").
	Name string
	// Company is the organisation the contact belongs to, when known.
	Company string
	// URL is a page about the contact (a CRM record), when known.
	URL string
}

// Match is a contact and the source that knew it, so that a person can see
// where a name came from (`dialbridge lookup` prints both).
type Match struct {
	Contact
	// Source names the source as Label does.
	Source string
}

// Number is a number to look up: as it was given, and its key (E.164 when
// the dialing rules know one) under which the sources index their numbers.
type Number struct {
	Raw string
	Key string
}

// Source is one address book, directory or CRM.
type Source interface {
	// Label names the source for people: its kind and file or host.
	Label() string
	// Find reports the contact that number belongs to. No match is not an
	// error; an error says why the source could not answer.
	Find(ctx context.Context, n Number) (Contact, bool, error)
}

// KeyFunc turns a number as written into the key sources match on; see
// dialplan.Keyer.
type KeyFunc func(text string) string

// Options configure a Service. The clock is passed in so that the cache's
// expiry can be tested.
type Options struct {
	// Sources in the configured order: the first that knows a number wins.
	Sources []Source
	// Key reads numbers; nil uses Keyer with empty dialing rules.
	Key KeyFunc
	// TTL is how long an answer (a name, or that no source knows the
	// number) is kept; 0 means ten minutes.
	TTL time.Duration
	// Timeout bounds one search over all sources, so that a source that
	// never answers cannot pile up goroutines; 0 means ten seconds.
	Timeout time.Duration
	// Now is the clock of the cache and of the sources' status (Status),
	// passed in so that tests can move it; nil means time.Now.
	Now func() time.Time
}

// Service asks the sources and caches their answers. It is safe for
// concurrent use.
type Service struct {
	o     Options
	mu    sync.Mutex
	cache map[string]cached
	// last is how each source asked live answered last (Status), by
	// its place in o.Sources.
	last []outcome
}

type cached struct {
	m     Match
	found bool
	until time.Time
}

// New makes a Service over the sources.
func New(o Options) *Service {
	if o.Key == nil {
		o.Key = dialplan.Keyer(dialplan.Rules{})
	}
	if o.TTL <= 0 {
		o.TTL = 10 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{o: o, cache: map[string]cached{}, last: make([]outcome, len(o.Sources))}
}

// Sources returns the sources in their order.
func (s *Service) Sources() []Source { return s.o.Sources }

// ErrNoNumber refuses a text without a number to look up.
var ErrNoNumber = say("no_number", "there is no number to look up", nil, nil)

// Find asks every source at once and returns the match of the first source
// in the configured order that knows the number, once every source before
// it has answered. Errors of sources that could not answer are joined in
// the error, also when another source matched; ctx bounds the wait.
func (s *Service) Find(ctx context.Context, number string) (Match, bool, error) {
	n := Number{Raw: number, Key: s.o.Key(number)}
	if n.Key == "" {
		return Match{}, false, ErrNoNumber
	}
	now := s.o.Now()
	s.mu.Lock()
	c, ok := s.cache[n.Key]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.m, c.found, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	type answer struct {
		c   Contact
		ok  bool
		err error
	}
	answers := make([]chan answer, len(s.o.Sources))
	for i, src := range s.o.Sources {
		answers[i] = make(chan answer, 1)
		go func() {
			c, ok, err := src.Find(ctx, n)
			s.note(ctx, i, err)
			answers[i] <- answer{c, ok, err}
		}()
	}
	var errs []error
	for i, src := range s.o.Sources {
		var a answer
		select {
		case a = <-answers[i]:
		case <-ctx.Done():
			// Out of time: the sources after this one that have answered
			// still count.
			select {
			case a = <-answers[i]:
			default:
				a.err = errNoAnswer(ctx)
			}
		}
		if a.err != nil {
			// A source may answer from what it had and still report a
			// problem (an address book file that broke since it was read).
			errs = append(errs, say("source", "{{.Source}}", map[string]any{"Source": src.Label()}, a.err))
		}
		if a.ok {
			m := Match{Contact: a.c, Source: src.Label()}
			s.remember(n.Key, m, true)
			return m, true, errors.Join(errs...)
		}
	}
	if len(errs) == 0 {
		// Only a clean "nobody knows" is remembered: a source that failed
		// may know the number when asked again.
		s.remember(n.Key, Match{}, false)
	}
	return Match{}, false, errors.Join(errs...)
}

func (s *Service) remember(key string, m Match, found bool) {
	now := s.o.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= 4096 {
		for k, c := range s.cache {
			if !now.Before(c.until) {
				delete(s.cache, k)
			}
		}
	}
	s.cache[key] = cached{m: m, found: found, until: now.Add(s.o.TTL)}
}

// Ask looks number up for a call: it waits at most budget for an answer
// and returns what is known by then. When the answer comes later, late is
// called with it (from another goroutine), so that the journal and the
// recent list still get the name the notification had to go without.
// Errors are handed to onErr, which may be nil.
func (s *Service) Ask(number string, budget time.Duration, late func(Match), onErr func(error)) (Match, bool) {
	type result struct {
		m  Match
		ok bool
	}
	done := make(chan result, 1)
	var mu sync.Mutex
	waited := false
	go func() {
		m, ok, err := s.Find(context.Background(), number)
		if err != nil && onErr != nil && !errors.Is(err, ErrNoNumber) {
			onErr(err)
		}
		mu.Lock()
		tooLate := waited
		if !tooLate {
			done <- result{m, ok}
		}
		mu.Unlock()
		if tooLate && ok && late != nil {
			late(m)
		}
	}()
	t := time.NewTimer(budget)
	defer t.Stop()
	select {
	case r := <-done:
		return r.m, r.ok
	case <-t.C:
	}
	mu.Lock()
	defer mu.Unlock()
	select {
	case r := <-done:
		return r.m, r.ok
	default:
		waited = true
		return Match{}, false
	}
}

// Describe is a match in one line for people: the name, the company in
// brackets, the page, and the source, each cleaned for display. It is a
// sentence with its translation key, so that the Contacts page and
// `dialbridge lookup` word "from" in the person's language
// (i18n.Error); its Error is the English line.
func Describe(m Match) error {
	var b strings.Builder
	b.WriteString(display.Name(m.Name))
	if m.Company != "" {
		if m.Name != "" {
			b.WriteString(" ")
		}
		b.WriteString("(" + display.Name(m.Company) + ")")
	}
	if m.URL != "" {
		b.WriteString(" " + display.Text(m.URL, 200))
	}
	return say("match", "{{.Who}} — from {{.Source}}", map[string]any{"Who": b.String(), "Source": display.Text(m.Source, 200)}, nil)
}
