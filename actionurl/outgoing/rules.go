package outgoing

import (
	"fmt"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/phone"
)

func init() {
	config.RegisterValidator(Validate)
}

// Validate is the config check for [[outgoing]]: every template must
// parse (known placeholders, none in the scheme or host, an http(s) URL
// with a host). Disabled URLs are checked too, so that switching one on
// later cannot surprise. It is registered with the config package.
func Validate(cfg *config.Config) config.Problems {
	var ps config.Problems
	for i, o := range cfg.Outgoing {
		if strings.TrimSpace(o.URL) == "" {
			continue // the config package reports enabled empty URLs
		}
		if _, err := ParseTemplate(o.URL); err != nil {
			key := fmt.Sprintf("outgoing[%d].url", i+1)
			ps = append(ps, &config.Problem{Key: key, Msg: key + ": " + err.Error()})
		}
	}
	return ps
}

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

// Compile parses the enabled [[outgoing]] entries. A config that passed
// Validate compiles; the error is for configs built in memory.
func Compile(outs []config.Outgoing) (Rules, error) {
	var rs Rules
	for i, o := range outs {
		if !o.Enabled || strings.TrimSpace(o.URL) == "" {
			continue
		}
		t, err := ParseTemplate(o.URL)
		if err != nil {
			return nil, fmt.Errorf("outgoing[%d].url: %w", i+1, err)
		}
		m := ModeBackground
		if o.OpenInBrowser {
			m = ModeBrowser
		}
		rs = append(rs, Rule{Action: phone.Action(o.Event), Template: t, Mode: m, Index: i + 1})
	}
	return rs, nil
}

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
