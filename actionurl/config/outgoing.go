package config

import (
	"fmt"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// validateOutgoing is the check of [[outgoing]] beyond the event names:
// every template must parse (known placeholders, none in the scheme or
// host, an http(s) URL with a host). Disabled URLs are checked too, so that
// switching one on later cannot surprise.
func validateOutgoing(cfg *Config) Problems {
	var ps Problems
	for i, o := range cfg.Outgoing {
		if strings.TrimSpace(o.URL) == "" {
			continue // Validate reports enabled empty URLs
		}
		if _, err := outgoing.ParseTemplate(o.URL); err != nil {
			key := fmt.Sprintf("outgoing[%d].url", i+1)
			ps = append(ps, &Problem{Key: key, Msg: key + ": " + err.Error()})
		}
	}
	return ps
}

// OutgoingRules compiles the enabled [[outgoing]] entries into the rules
// the outbox fires. A config that passed Validate compiles; the error is
// for configs built in memory.
func OutgoingRules(outs []Outgoing) (outgoing.Rules, error) {
	var rs outgoing.Rules
	for i, o := range outs {
		if !o.Enabled || strings.TrimSpace(o.URL) == "" {
			continue
		}
		t, err := outgoing.ParseTemplate(o.URL)
		if err != nil {
			return nil, fmt.Errorf("outgoing[%d].url: %w", i+1, err)
		}
		m := outgoing.ModeBackground
		if o.OpenInBrowser {
			m = outgoing.ModeBrowser
		}
		rs = append(rs, outgoing.Rule{Action: phone.Action(o.Event), Template: t, Mode: m, Index: i + 1})
	}
	return rs, nil
}
