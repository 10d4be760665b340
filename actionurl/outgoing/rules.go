package outgoing

import (
	"fmt"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// Rule is one enabled outgoing action URL.
type Rule struct {
	Action   phone.Action
	Template *Template
	Mode     Mode
	// Index is the rule's place among the [[outgoing]] tables, from 1.
	Index int
}

// Rules are the enabled outgoing action URLs, compiled.
type Rules []Rule

// Deliveries expands every rule for ev's action into a pending Delivery,
// with times in loc. A URL that does not expand to an http(s) URL with a
// host is not fired; the errors say which and why.
func (rs Rules) Deliveries(ev phone.CallEvent, loc *time.Location) ([]Delivery, []error) {
	var (
		out  []Delivery
		errs []error
		v    Values
		have bool
	)
	for _, r := range rs {
		if r.Action != ev.Action {
			continue
		}
		if !have {
			v, have = ValuesOf(ev, loc), true
		}
		u := r.Template.Expand(&v)
		if _, err := checkURL(u); err != nil {
			errs = append(errs, fmt.Errorf("outgoing[%d] for %s was not fired: %w", r.Index, ev.Action, err))
			continue
		}
		out = append(out, Delivery{
			CallGUID: ev.Call.GUID,
			Action:   ev.Action,
			URL:      u,
			Mode:     r.Mode,
			Status:   StatusPending,
			Created:  ev.At,
		})
	}
	return out, errs
}
