package auerswald

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dialbridge/dialbridge/phone"
)

// eventSettings: an Auerswald COMfortel has one "action URL server" for every
// event and adds the details itself (event, callId, number, name, its MAC),
// so dialbridge's URL carries neither an event nor a query.
var eventSettings = []phone.EventSetting{
	{Name: "action URL server", Label: "Settings > Access > action URL server"},
}

// auerswaldEvents maps the event names of Auerswald's "Action Urls" page to
// event kinds. "connected" also means "resumed from hold"; the tracker knows.
var auerswaldEvents = map[string]phone.EventKind{
	"incoming":           phone.EventIncoming,
	"outgoing":           phone.EventOutgoing,
	"remoteUpdate":       phone.EventUpdate,
	"connected":          phone.EventConnected,
	"holding":            phone.EventHold,
	"disconnected":       phone.EventDisconnected,
	"conferenced":        phone.EventConferenced,
	"unconferenced":      phone.EventUnconferenced,
	"transferred":        phone.EventTransferred,
	"transfer_done":      phone.EventTransferDone,
	"transfer_initiated": phone.EventTransferInitiated,
	"transfer_failed":    phone.EventTransferFailed,
}

// EventFormat is how Auerswald COMfortel phones report their calls: one
// URL, the event in the query.
func EventFormat() phone.EventFormat {
	return phone.EventFormat{Name: Brand, Settings: slices.Clone(eventSettings), Parse: ParseEvent}
}

// ParseEvent reads one request of the phone's outgoing action URLs, e.g.
// "event=incoming&callId=TC@1&accountId=1&number=42&name=Peter&mac=...".
// event (the path after dialbridge's URL) must be empty.
func ParseEvent(event, rawQuery string) (phone.Event, error) {
	if event != "" {
		return phone.Event{}, fmt.Errorf("%w: an Auerswald phone reports every event to the same URL, without %q", phone.ErrUnknownEvent, phone.ClipEvent(event))
	}
	q := phone.ParseQuery(rawQuery)
	name := phone.Value(q, "event")
	kind, ok := auerswaldEvents[name]
	if !ok {
		if name == "" {
			return phone.Event{}, errors.New("the Auerswald phone's request has no event parameter")
		}
		return phone.Event{}, fmt.Errorf("%w %q from an Auerswald phone", phone.ErrUnknownEvent, phone.ClipEvent(name))
	}
	ev := phone.Event{
		Kind:        kind,
		Format:      Brand,
		CallID:      phone.Value(q, "callId"),
		OtherCallID: phone.Value(q, "callId2"),
		Account:     phone.Value(q, "accountId"),
		Remote:      phone.PartyNumber(phone.Value(q, "number")),
		RemoteAlias: phone.DisplayName(phone.Value(q, "name")),
		MAC:         phone.Value(q, "mac"),
	}
	if ev.MAC == "" {
		ev.MAC = phone.Value(q, "MAC")
	}
	if ev.CallID == "" {
		return ev, fmt.Errorf("the Auerswald phone's %s event has no callId", name)
	}
	return ev, nil
}
