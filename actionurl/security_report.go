package actionurl

import (
	"sync"
	"time"
)

// RefusalKind says why a request was refused, for the person's notification.
type RefusalKind int

// The refusals the person is told about. Refusals they caused themselves
// (declining a confirmation) or that are part of normal use (the 401 that
// asks a browser for credentials) are not reported.
const (
	// RefusedWebPage: a web page that is not in allowed_origins, or a
	// request nobody was at the screen to confirm.
	RefusedWebPage RefusalKind = iota
	// RefusedHost: the Host header did not name this listener (DNS rebinding).
	RefusedHost
	// RefusedBlocked: the number matched a blocked pattern (premium rate).
	RefusedBlocked
	// RefusedRate: too many dials the person did not type.
	RefusedRate
	// RefusedBusy: another request was already waiting for the person.
	RefusedBusy
	// RefusedUnconfirmed: the confirmation prompt got no answer in time
	// (the person may be away while a page keeps asking).
	RefusedUnconfirmed
)

// String names the kind for logs.
func (k RefusalKind) String() string {
	switch k {
	case RefusedWebPage:
		return "web page"
	case RefusedHost:
		return "foreign host name"
	case RefusedBlocked:
		return "blocked number"
	case RefusedRate:
		return "rate limit"
	case RefusedBusy:
		return "confirmation busy"
	case RefusedUnconfirmed:
		return "not confirmed"
	}
	return "unknown"
}

// RefusalReport tells the person that dialbridge refused to dial, so that an
// attack (or a misconfigured client) does not go unnoticed. A burst is one
// report, not fifty: see DialService.OnRefused.
type RefusalReport struct {
	Kind RefusalKind
	// Origin is who asked, as in Verdict.Origin ("" for a local program).
	Origin string
	// Number is the number as requested, "" when none was read.
	Number string
	// Reason is the sentence the client was answered with.
	Reason string
	// Says is Reason with its translation key when it has one (the
	// blocked list's refusal), so that the notification words it in the
	// person's language; nil where Reason exists in English only.
	Says error
	// Earlier counts the refusals of the same kind (and, except for rate
	// and busy refusals, from the same origin) that were swallowed since
	// the previous report.
	Earlier int
	// At is when the refusal happened.
	At time.Time
}

// reporter debounces refusal reports: a key (kind, and origin where that
// helps the person) is reported when it was quiet for window, and every
// refusal in between only counts. Memory stays bounded however many
// origins an attacker invents.
type reporter struct {
	mu   sync.Mutex
	keys map[reportKey]*reportState
}

type reportKey struct {
	kind   RefusalKind
	origin string
}

type reportState struct {
	lastSeen   time.Time
	suppressed int
}

// maxReportKeys bounds the debounce table; past it, origins are no longer
// told apart, which only makes reports rarer.
const maxReportKeys = 256

// admit records a refusal at now and reports whether it should be told to
// the person, with how many earlier ones were swallowed.
func (rp *reporter) admit(kind RefusalKind, origin string, now time.Time, window time.Duration) (report bool, earlier int) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.keys == nil {
		rp.keys = map[reportKey]*reportState{}
	}
	key := reportKey{kind: kind, origin: origin}
	if kind == RefusedRate || kind == RefusedBusy || kind == RefusedHost {
		// A burst comes from many numbers and names at once: one report.
		key.origin = ""
	}
	st, ok := rp.keys[key]
	if !ok && len(rp.keys) >= maxReportKeys {
		for k, s := range rp.keys {
			if now.Sub(s.lastSeen) >= window {
				delete(rp.keys, k)
			}
		}
		if len(rp.keys) >= maxReportKeys {
			key.origin = "*"
			st, ok = rp.keys[key]
		}
	}
	if !ok {
		rp.keys[key] = &reportState{lastSeen: now}
		return true, 0
	}
	quiet := now.Sub(st.lastSeen) >= window
	st.lastSeen = now
	if !quiet {
		st.suppressed++
		return false, 0
	}
	earlier = st.suppressed
	st.suppressed = 0
	return true, earlier
}
