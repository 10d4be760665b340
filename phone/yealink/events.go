package yealink

import (
	"github.com/dialbridge/dialbridge/phone"
)

// events are the Yealink action_url.* settings dialbridge uses (web
// interface: Features > Action URL). Each URL carries the phone's
// variables (Yealink admin guides); $call_id is what the driver's
// ASW:/CANCEL:/HOLD: keys need. Only call_established, call_terminated
// and missed_call are confirmed beyond the admin guides' lists; the names
// live here alone so that a correction is one line.
var events = phone.PerEvent{Name: Brand, Title: "Yealink", CallIDVar: "$call_id", Settings: []phone.EventSetting{
	{Name: "action_url.incoming_call", Label: "Incoming Call", Event: "incoming"},
	{Name: "action_url.outgoing_call", Label: "Outgoing Call", Event: "outgoing"},
	{Name: "action_url.call_established", Label: "Call Established", Event: "connected"},
	{Name: "action_url.call_terminated", Label: "Call Terminated", Event: "disconnected"},
	{Name: "action_url.missed_call", Label: "Missed Call", Event: "missed"},
	{Name: "action_url.hold", Label: "Hold", Event: "hold"},
	{Name: "action_url.unhold", Label: "Unhold", Event: "unhold"},
}}

// EventFormat is how Yealink phones report their calls: one action URL per
// event.
func EventFormat() phone.EventFormat { return events.Format() }

// ParseEvent reads one Yealink action URL request: event is the path
// segment dialbridge put in the setting, rawQuery what the phone filled in.
func ParseEvent(event, rawQuery string) (phone.Event, error) { return events.Parse(event, rawQuery) }
