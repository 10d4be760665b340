package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// describePlaceholder explains one of the <$name> placeholders of Mia CSTA's
// outgoing action URLs (docs/protocols.md) in the person's language, for the
// placeholder picker. The list of placeholders itself comes from
// actionurl/outgoing, which expands them.
func describePlaceholder(token string) string {
	switch token {
	case "<$action>":
		return lang.X("ph.action", "the event: inbound, outbound, connected, hold, disconnected")
	case "<$call_direction>":
		return lang.X("ph.call_direction", "inbound or outbound")
	case "<$call_direction_as_int>":
		return lang.X("ph.call_direction_as_int", "0 for inbound, 1 for outbound")
	case "<$local_party>":
		return lang.X("ph.local_party", "your own SIP address, e.g. 987@example.com")
	case "<$local_alias>":
		return lang.X("ph.local_alias", "your own display name")
	case "<$hold_state>":
		return lang.X("ph.hold_state", "on_hold or off_hold")
	case "<$call_duration_seconds>":
		return lang.X("ph.call_duration_seconds", "seconds since the call was answered")
	case "<$call_created_time>":
		return lang.X("ph.call_created_time", "when the call began, e.g. 2019-03-25T10-34-22")
	case "<$call_connected_time>":
		return lang.X("ph.call_connected_time", "when the call was answered")
	case "<$call_disconnected_time>":
		return lang.X("ph.call_disconnected_time", "when the call ended")
	case "<$call_guid>":
		return lang.X("ph.call_guid", "a unique ID of the call")
	case "<$remote_party>":
		return lang.X("ph.remote_party", "the other party's number")
	case "<$remote_alias>":
		return lang.X("ph.remote_alias", "the other party's name")
	case "<$remote_company>":
		return lang.X("ph.remote_company", "the other party's company, from the caller lookup")
	}
	return ""
}

// previewURL expands a template for a call event exactly as the resident
// will when the event happens.
func previewURL(tmpl string, ev phone.CallEvent) (string, error) {
	t, err := outgoing.ParseTemplate(tmpl)
	if err != nil {
		return "", err
	}
	return t.ExpandEvent(ev, time.Local)
}

// sampleEvent is the call the live preview fills the placeholders from: the
// example call of Mia CSTA's manual, created 2019-03-25 10:34:22, so that the
// preview reads like the manual.
func sampleEvent(action phone.Action) phone.CallEvent {
	created := time.Date(2019, 3, 25, 10, 34, 22, 0, time.Local)
	c := phone.Call{
		ID:          "17",
		GUID:        "1399c8c8-cf9e-3ebe-764f-d12b1f7bea35",
		Direction:   phone.Inbound,
		Local:       "987@example.com",
		LocalAlias:  "987@example.com",
		Remote:      "+49301234567",
		RemoteAlias: "Erika Mustermann",
		Created:     created,
	}
	at := created
	switch action {
	case phone.ActionOutbound:
		c.Direction = phone.Outbound
	case phone.ActionConnected:
		c.Connected = created.Add(5 * time.Second)
		at = c.Connected
	case phone.ActionHold:
		c.Connected = created.Add(5 * time.Second)
		c.OnHold = true
		at = created.Add(9 * time.Second)
	case phone.ActionDisconnected:
		c.Connected = created.Add(5 * time.Second)
		c.Disconnected = created.Add(12 * time.Second)
		at = c.Disconnected
	}
	return phone.CallEvent{Action: action, Call: c, At: at}
}
