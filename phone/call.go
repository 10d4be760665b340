package phone

import (
	"fmt"
	"time"
)

// Direction is which side placed the call.
type Direction int

// The call directions, numbered as the outgoing action URLs'
// <$call_direction_as_int> placeholder numbers them (0 inbound, 1 outbound).
const (
	Inbound  Direction = 0
	Outbound Direction = 1
)

// String is the <$call_direction> placeholder's value: "inbound" or
// "outbound".
func (d Direction) String() string {
	if d == Outbound {
		return "outbound"
	}
	return "inbound"
}

// Call is one call on the paired phone as dialbridge tracks it: the phone's
// events folded into one record per call id.
type Call struct {
	// ID is the phone's own call id ($call-id, $call_id, callId).
	ID string
	// CSTAID is Snom's $csta_id, the handle CSTA requests need, if known.
	CSTAID string
	// GUID is unique per call across time and machines (the <$call_guid>
	// placeholder of the outgoing action URLs).
	GUID      string
	Direction Direction
	// Local is the local party's SIP URI (user@domain); LocalAlias its
	// display name (equal to Local when the phone sends none).
	Local, LocalAlias string
	// Remote is the remote party's number; RemoteAlias its display name.
	Remote, RemoteAlias string
	// RemoteCompany is the remote party's company, when a caller lookup
	// (package actionurl/lookup) knows it; phones never send one.
	RemoteCompany string
	Created       time.Time
	Connected     time.Time // zero until answered
	Disconnected  time.Time // zero while the call lasts
	OnHold        bool
	// TransferredTo is who the call was handed to when this phone
	// transferred it away (blind or attended); empty otherwise.
	TransferredTo string
	// Conference is the phone's id of the call this one is joined with in
	// a conference, while it is.
	Conference string
}

// Outcome is how a call ended, in the words the journal shows.
type Outcome string

// The outcomes of a call.
const (
	OutcomeActive      Outcome = "active"
	OutcomeAnswered    Outcome = "answered"
	OutcomeMissed      Outcome = "missed"
	OutcomeUnanswered  Outcome = "not answered"
	OutcomeTransferred Outcome = "transferred"
)

// Outcome says how the call ended: missed (inbound, never answered), not
// answered (outbound, never answered), transferred, answered, or active
// while it lasts.
func (c Call) Outcome() Outcome {
	switch {
	case c.Active():
		return OutcomeActive
	case c.TransferredTo != "":
		return OutcomeTransferred
	case !c.Connected.IsZero():
		return OutcomeAnswered
	case c.Direction == Inbound:
		return OutcomeMissed
	default:
		return OutcomeUnanswered
	}
}

// Duration is how long the call has been (or was) connected at t: zero
// until answered, frozen once it ended.
func (c Call) Duration(t time.Time) time.Duration {
	if c.Connected.IsZero() {
		return 0
	}
	end := t
	if !c.Disconnected.IsZero() {
		end = c.Disconnected
	}
	if end.Before(c.Connected) {
		return 0
	}
	return end.Sub(c.Connected)
}

// FormatDuration writes a call's talk time the one way every view shows
// it (journal window, command line): m:ss, or h:mm:ss past an hour. Part
// seconds are dropped, as the journal stores whole seconds, so a call
// reads the same everywhere.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Missed reports whether an inbound call ended without being answered.
func (c Call) Missed() bool {
	return c.Direction == Inbound && !c.Disconnected.IsZero() && c.Connected.IsZero()
}

// Active reports whether the call has not ended yet.
func (c Call) Active() bool { return c.Disconnected.IsZero() }

// Action is one of the five call events that fire outgoing action URLs. They
// are the events of Mia CSTA, the Windows CTI program whose action URLs
// dialbridge follows (package actionurl tells more), so a CRM that took Mia's
// URLs takes dialbridge's.
type Action string

// The events, named as the <$action> placeholder writes them.
const (
	ActionInbound      Action = "inbound"
	ActionOutbound     Action = "outbound"
	ActionConnected    Action = "connected"
	ActionHold         Action = "hold"
	ActionDisconnected Action = "disconnected"
	// ActionNamed is not one of Mia's events and fires no outgoing URL:
	// a caller lookup answered after the call's event had gone out, and
	// the call now has a name for the journal and the recent calls.
	ActionNamed Action = "named"
)

// CallEvent is what the call tracker reports to its subscribers
// (notifications, tray, journal, outgoing action URLs): which Action happened
// and the call as it stands after it.
type CallEvent struct {
	Action Action
	Call   Call
	// At is when dialbridge learned of it.
	At time.Time
}
