package journal

import (
	"net/url"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// EntryOf describes c as it stands at now.
func EntryOf(c phone.Call, now time.Time) control.CallEntry {
	return control.CallEntry{
		GUID: c.GUID, CallID: c.ID, Direction: c.Direction.String(),
		Local: c.Local, LocalAlias: c.LocalAlias, Remote: c.Remote, RemoteAlias: c.RemoteAlias, RemoteCompany: c.RemoteCompany,
		Created: c.Created, Connected: timePtr(c.Connected), Disconnected: timePtr(c.Disconnected),
		OnHold: c.OnHold, TransferredTo: c.TransferredTo, Outcome: string(c.Outcome()),
		DurationSeconds: int64(c.Duration(now) / time.Second),
	}
}

// DeliveryEntryOf describes d, its URL without credentials.
func DeliveryEntryOf(d outgoing.Delivery) control.DeliveryEntry {
	e := control.DeliveryEntry{
		ID: d.ID, CallGUID: d.CallGUID, Action: string(d.Action), URL: Redact(d.URL), Mode: string(d.Mode),
		Status: string(d.Status), Created: d.Created, Attempts: d.Attempts, HTTPStatus: d.HTTPStatus,
		LastError: d.LastError, Says: d.Says, Done: timePtr(d.Done),
	}
	if d.Status == outgoing.StatusPending {
		e.NextAttempt = timePtr(d.NextAttempt)
	}
	return e
}

// Redact removes a user:password@ from a URL before it is shown.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}
