package data

import (
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// CallOf turns a call as the control API shows it (the calls in progress,
// the journal) back into the call model, which the windows and the tray's
// recent calls show.
func CallOf(e control.CallEntry) phone.Call {
	c := phone.Call{
		ID: e.CallID, GUID: e.GUID, Local: e.Local, LocalAlias: e.LocalAlias,
		Remote: e.Remote, RemoteAlias: e.RemoteAlias, Created: e.Created,
		OnHold: e.OnHold, TransferredTo: e.TransferredTo,
	}
	if e.Direction == phone.Outbound.String() {
		c.Direction = phone.Outbound
	}
	if e.Connected != nil {
		c.Connected = *e.Connected
	}
	if e.Disconnected != nil {
		c.Disconnected = *e.Disconnected
	}
	return c
}
