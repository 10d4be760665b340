package snom

import (
	"github.com/dialbridge/dialbridge/phone"
)

// events are the Snom action URL settings dialbridge uses, in the
// order of the phone's "Action URL Settings" page. Each call event's URL
// carries the phone's runtime variables (Snom wiki "Action URLs"), among
// them $csta_id, the handle CSTA requests need. action_fwtest_url is
// hidden: only CSTA SetSettings can set it, and FireTest makes the phone
// request it to prove that it reaches the PC.
var events = phone.PerEvent{Name: Brand, Title: "Snom", CallIDVar: "$call-id", Extra: []string{phone.KeyCSTAID + "=$csta_id"}, Settings: []phone.EventSetting{
	{Name: "action_incoming_url", Label: "Incoming call", Event: "incoming"},
	{Name: "action_outgoing_url", Label: "Outgoing call", Event: "outgoing"},
	{Name: "action_connected_url", Label: "Connected", Event: "connected"},
	{Name: "action_disconnected_url", Label: "Disconnected", Event: "disconnected"},
	{Name: "action_missed_url", Label: "Missed call", Event: "missed"},
	{Name: "action_hold_url", Label: "Hold", Event: "hold"},
	{Name: "action_unhold_url", Label: "Unhold", Event: "unhold"},
	{Name: "action_dnd_on_url", Label: "DND on", Event: "dnd_on"},
	{Name: "action_dnd_off_url", Label: "DND off", Event: "dnd_off"},
	// The phone's action URLs may carry its settings as variables: the
	// "always" forwarding target is the one dialbridge's forward sets.
	{Name: "action_redirection_on_url", Label: "Call forwarding on", Event: "forward_on", Query: phone.KeyRemote + "=$fwd_all_target1"},
	{Name: "action_redirection_off_url", Label: "Call forwarding off", Event: "forward_off"},
	{Name: "action_fwtest_url", Label: "Firewall test", Event: "test", Hidden: true},
}}

// EventFormat is how Snom phones (HTTP and CSTA alike) report their calls:
// one action URL per event.
func EventFormat() phone.EventFormat { return events.Format() }

// ParseEvent reads one Snom action URL request: event is the path segment
// dialbridge put in the setting ("incoming", ...), rawQuery what the phone
// filled in.
func ParseEvent(event, rawQuery string) (phone.Event, error) { return events.Parse(event, rawQuery) }
