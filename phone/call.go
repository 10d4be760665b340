package phone

import "time"

// Direction is which side placed the call.
type Direction int

// The call directions, numbered as Mia's <$call_direction_as_int>.
const (
	Inbound  Direction = 0
	Outbound Direction = 1
)

// String is Mia's <$call_direction>: "inbound" or "outbound".
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
	// GUID is unique per call across time and machines (Mia's <$call_guid>).
	GUID      string
	Direction Direction
	// Local is the local party's SIP URI (user@domain); LocalAlias its
	// display name (equal to Local when the phone sends none).
	Local, LocalAlias string
	// Remote is the remote party's number; RemoteAlias its display name.
	Remote, RemoteAlias string
	Created             time.Time
	Connected           time.Time // zero until answered
	Disconnected        time.Time // zero while the call lasts
	OnHold              bool
}

// Missed reports whether an inbound call ended without being answered.
func (c Call) Missed() bool {
	return c.Direction == Inbound && !c.Disconnected.IsZero() && c.Connected.IsZero()
}

// Active reports whether the call has not ended yet.
func (c Call) Active() bool { return c.Disconnected.IsZero() }

// Action is one of Mia's five outgoing action URL events.
type Action string

// Mia's events (<$action>).
const (
	ActionInbound      Action = "inbound"
	ActionOutbound     Action = "outbound"
	ActionConnected    Action = "connected"
	ActionHold         Action = "hold"
	ActionDisconnected Action = "disconnected"
)

// CallEvent is what the call tracker reports to its subscribers
// (notifications, tray, journal, outgoing action URLs): which Mia event
// happened and the call as it stands after it.
type CallEvent struct {
	Action Action
	Call   Call
	// At is when dialbridge learned of it.
	At time.Time
}
