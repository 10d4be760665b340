package journal

import (
	"net/url"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// CallEntry is a call as the control API shows it to the tray and the
// windows (GET /api/v1/calls, GET /api/v1/journal): JSON, times in
// RFC 3339, empty times left out.
type CallEntry struct {
	// GUID identifies the call everywhere (Mia's <$call_guid>); the call
	// control endpoints accept it.
	GUID string `json:"guid"`
	// CallID is the phone's own id of the call.
	CallID string `json:"call_id"`
	// Direction is "inbound" or "outbound".
	Direction     string     `json:"direction"`
	Local         string     `json:"local,omitempty"`
	LocalAlias    string     `json:"local_alias,omitempty"`
	Remote        string     `json:"remote,omitempty"`
	RemoteAlias   string     `json:"remote_alias,omitempty"`
	Created       time.Time  `json:"created"`
	Connected     *time.Time `json:"connected,omitempty"`
	Disconnected  *time.Time `json:"disconnected,omitempty"`
	OnHold        bool       `json:"on_hold,omitempty"`
	TransferredTo string     `json:"transferred_to,omitempty"`
	// Outcome is "active", "answered", "missed", "not answered" or
	// "transferred".
	Outcome string `json:"outcome"`
	// DurationSeconds is the talk time so far, or in all once ended.
	DurationSeconds int64 `json:"duration_seconds"`
	// Deliveries are the call's outgoing action URLs (journal only).
	Deliveries []DeliveryEntry `json:"deliveries,omitempty"`
}

// DeliveryEntry is an outgoing action URL as the control API shows it
// (GET /api/v1/deliveries and inside CallEntry).
type DeliveryEntry struct {
	ID       int64  `json:"id"`
	CallGUID string `json:"call_guid"`
	// Action is the Mia event: inbound, outbound, connected, hold,
	// disconnected.
	Action string `json:"action"`
	// URL is the expanded URL, with any user:password@ removed.
	URL string `json:"url"`
	// Mode is "background" or "browser".
	Mode string `json:"mode"`
	// Status is "pending", "delivered" or "failed".
	Status      string     `json:"status"`
	Created     time.Time  `json:"created"`
	Attempts    int        `json:"attempts"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	HTTPStatus  int        `json:"http_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Done        *time.Time `json:"done,omitempty"`
}

// CallList is the answer of GET /api/v1/calls and GET /api/v1/journal.
type CallList struct {
	Calls []CallEntry `json:"calls"`
}

// DeliveryList is the answer of GET /api/v1/deliveries.
type DeliveryList struct {
	Deliveries []DeliveryEntry `json:"deliveries"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// EntryOf describes c as it stands at now.
func EntryOf(c phone.Call, now time.Time) CallEntry {
	return CallEntry{
		GUID: c.GUID, CallID: c.ID, Direction: c.Direction.String(),
		Local: c.Local, LocalAlias: c.LocalAlias, Remote: c.Remote, RemoteAlias: c.RemoteAlias,
		Created: c.Created, Connected: timePtr(c.Connected), Disconnected: timePtr(c.Disconnected),
		OnHold: c.OnHold, TransferredTo: c.TransferredTo, Outcome: string(c.Outcome()),
		DurationSeconds: int64(c.Duration(now) / time.Second),
	}
}

// DeliveryEntryOf describes d, its URL without credentials.
func DeliveryEntryOf(d outgoing.Delivery) DeliveryEntry {
	e := DeliveryEntry{
		ID: d.ID, CallGUID: d.CallGUID, Action: string(d.Action), URL: Redact(d.URL), Mode: string(d.Mode),
		Status: string(d.Status), Created: d.Created, Attempts: d.Attempts, HTTPStatus: d.HTTPStatus,
		LastError: d.LastError, Done: timePtr(d.Done),
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
