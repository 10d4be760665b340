package grandstream

import (
	"github.com/dialbridge/dialbridge/phone"
)

// events are the Grandstream action URL settings dialbridge uses,
// named by their config P-codes (GXP/GRP administration guides, "Action URL
// Parameters"); Label is the web interface's name under Settings >
// Outbound Notification > Action URL. Each URL carries the phone's
// dynamic variables (Grandstream ActionURL guide), its call id $call-id.
// The transfer events are left out: what their variables hold is not
// documented, and the call's "Terminated Call" follows anyway.
var events = phone.PerEvent{Name: eventBrand, Title: "Grandstream", CallIDVar: "$call-id", Settings: []phone.EventSetting{
	{Name: "P8310", Label: "Incoming Call", Event: "incoming"},
	{Name: "P8311", Label: "Outgoing Call", Event: "outgoing"},
	{Name: "P8312", Label: "Missed Call", Event: "missed"},
	{Name: "P8313", Label: "Established Call", Event: "connected"},
	{Name: "P8314", Label: "Terminated Call", Event: "disconnected"},
	{Name: "P8324", Label: "Hold Call", Event: "hold"},
	{Name: "P8325", Label: "UnHold Call", Event: "unhold"},
}}

// eventBrand is the format's name in dialbridge's URLs.
const eventBrand = "grandstream"

// EventFormat is how Grandstream phones report their calls: one action URL
// per event.
func EventFormat() phone.EventFormat { return events.Format() }

// ParseEvent reads one Grandstream action URL request: event is the path
// segment dialbridge put in the setting, rawQuery what the phone filled in.
func ParseEvent(event, rawQuery string) (phone.Event, error) { return events.Parse(event, rawQuery) }
