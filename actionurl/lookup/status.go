package lookup

import (
	"context"
	"errors"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone/display"
)

// SourceStatus is how one source is doing, as a person checks an account
// in a mail program: a source that keeps a copy (a file, a CardDAV book)
// says when it last read or synced it and how many numbers it holds; a
// source asked live (a directory, a CRM) when it was last asked and
// whether that failed.
type SourceStatus struct {
	// Label names the source as Source.Label does.
	Label string
	// Kind is control.LookupRead, control.LookupSynced or
	// control.LookupAsked.
	Kind string
	// At is when the source was last read, synced or asked; zero for not
	// yet.
	At time.Time
	// Numbers is how many numbers a copy holds.
	Numbers int
	// Err is why the last read, sync or question failed (a sentence);
	// nil when it worked.
	Err error
}

// copyKeeper is a source that keeps a copy of its numbers and can say
// how fresh it is (FileSource, CardDAVSource).
type copyKeeper interface {
	Status() (time.Time, int, error)
}

// outcome is how a live source's last answer went.
type outcome struct {
	at  time.Time
	err error
}

// Status is how each source is doing, in the configured order: the state
// of the copies the sources keep, and the last answer of the sources
// asked live, as the lookups of this Service left it.
func (s *Service) Status() []SourceStatus {
	out := make([]SourceStatus, len(s.o.Sources))
	for i, src := range s.o.Sources {
		st := SourceStatus{Label: src.Label(), Kind: control.LookupAsked}
		if k, ok := src.(copyKeeper); ok {
			st.Kind = control.LookupRead
			if _, dav := src.(*CardDAVSource); dav {
				st.Kind = control.LookupSynced
			}
			st.At, st.Numbers, st.Err = k.Status()
		} else {
			s.mu.Lock()
			st.At, st.Err = s.last[i].at, s.last[i].err
			s.mu.Unlock()
		}
		out[i] = st
	}
	return out
}

// note keeps how source i answered a lookup that ctx bounded. A source
// cut off because the lookup was over (an earlier source knew the
// number, or the caller gave up) has not failed and is not noted; one
// that ran out of the lookup's time has.
func (s *Service) note(ctx context.Context, i int, err error) {
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return
	}
	if err != nil && ctx.Err() != nil && sentence.Of(err) == nil {
		err = errNoAnswer(ctx)
	}
	now := s.o.Now()
	s.mu.Lock()
	s.last[i] = outcome{at: now, err: err}
	s.mu.Unlock()
}

// errNoAnswer is the sentence for a source that did not answer before
// ctx ended.
func errNoAnswer(ctx context.Context) error {
	return say("no_answer", "no answer in time", nil, ctx.Err())
}

// Line is st in one line for people, as the Contacts page shows it under
// the source and `dialbridge lookup --status` prints it: "Read at 14:03:
// 124 numbers", "Asked at 14:05: the directory at … refused …". Times
// read in now's time zone, with the day when it is not now's. It is a
// sentence, so that it is worded in the person's language (i18n.Error).
func (st SourceStatus) Line(now time.Time) error {
	if st.At.IsZero() {
		if st.Err != nil {
			return st.Err
		}
		switch st.Kind {
		case control.LookupRead:
			return say("status.not_read", "Not read yet", nil, nil)
		case control.LookupSynced:
			return say("status.not_synced", "Not synced yet", nil, nil)
		case control.LookupAsked:
			return say("status.not_asked", "Not asked yet", nil, nil)
		}
		return nil // a kind of a newer dialbridge: no line
	}
	at := map[string]any{"Time": clock(st.At, now), "Numbers": st.Numbers}
	var kept error
	switch {
	case st.Kind == control.LookupAsked:
		return say("status.asked", "Asked at {{.Time}}", at, st.Err)
	case st.Kind == control.LookupSynced && st.Numbers == 1:
		kept = say("status.synced_one", "Synced at {{.Time}}: 1 number", at, nil)
	case st.Kind == control.LookupSynced:
		kept = say("status.synced", "Synced at {{.Time}}: {{.Numbers}} numbers", at, nil)
	case st.Numbers == 1:
		kept = say("status.read_one", "Read at {{.Time}}: 1 number", at, nil)
	default:
		kept = say("status.read", "Read at {{.Time}}: {{.Numbers}} numbers", at, nil)
	}
	if st.Err != nil {
		// The copy still answers calls: say both what it holds and why
		// it is not the source's current state.
		return say("status.stale", "{{.Kept}}; the last try failed", map[string]any{"Kept": kept}, st.Err)
	}
	return kept
}

// Labeled is st's Line after the source's label, one source a line, as
// the Contacts page's "Look up…" report and `dialbridge lookup --status`
// print it; nil when Line has none. The label names a file or host from
// the config, shown as plain text.
func (st SourceStatus) Labeled(now time.Time) error {
	line := st.Line(now)
	if line == nil {
		return nil
	}
	return say("status.labeled", "{{.Source}}: {{.State}}", map[string]any{"Source": display.Text(st.Label, 200), "State": line}, nil)
}

// clock is at as a person reads it beside now: the time of day, with
// the date when it is another day.
func clock(at, now time.Time) string {
	at = at.In(now.Location())
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04")
	}
	return at.Format("2006-01-02 15:04")
}

// Wire is st as the control API carries it (control.RouteLookupSources).
func (st SourceStatus) Wire() control.LookupSource {
	w := control.LookupSource{Label: st.Label, Kind: st.Kind, Numbers: st.Numbers}
	if !st.At.IsZero() {
		at := st.At
		w.At = &at
	}
	if st.Err != nil {
		w.Error, w.Says = st.Err.Error(), sentence.ToWire(st.Err)
	}
	return w
}

// StatusOf is the SourceStatus the control API carried, for the
// Contacts page and the command line, which word it with Line.
func StatusOf(w control.LookupSource) SourceStatus {
	st := SourceStatus{Label: w.Label, Kind: w.Kind, Numbers: w.Numbers, Err: w.Err()}
	if w.At != nil {
		st.At = *w.At
	}
	return st
}
