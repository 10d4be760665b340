package control

import (
	"context"
	"errors"
	"time"
)

// The control API's function keys endpoints: the Settings "Phone keys" page
// and `dialbridge function-keys status|write` show whether dialbridge could write the
// [[phone.keys]] bindings into the phone, and write them again on demand.
const (
	// RouteKeys answers the KeysStatus of the bound function keys.
	RouteKeys = "GET /api/v1/phone/keys"
	// RouteKeysWrite writes every bound function key into the phone now
	// (and resets the keys whose binding was deleted), answering the
	// KeysStatus after the write, also when the phone refused it (its
	// Error then says why).
	RouteKeysWrite = "POST /api/v1/phone/keys/write"
)

// The states of a KeyStatus.
const (
	// KeyPending: not written yet (dialbridge is starting, or the phone
	// was not reachable at all so far).
	KeyPending = "pending"
	// KeyWritten: the phone accepted the key's settings at At.
	KeyWritten = "written"
	// KeyFailed: the last write failed; Error says why.
	KeyFailed = "failed"
	// KeyManual: the brand takes no key settings from dialbridge; the
	// person enters them by hand (`dialbridge pairing-urls --keys`).
	KeyManual = "manual"
)

// KeyStatus is one bound function key as the last write left it.
type KeyStatus struct {
	// Key is the key as the phone numbers it (Snom P1 = 1).
	Key    int    `json:"key"`
	Label  string `json:"label"`
	Action string `json:"action"`
	// State is KeyPending, KeyWritten, KeyFailed or KeyManual.
	State string `json:"state"`
	// Error is the sentence of a failed write, naming the phone.
	Error string `json:"error,omitempty"`
	// At is when the key was last written or tried.
	At *time.Time `json:"at,omitempty"`
}

// KeysStatus is the answer of RouteKeys and RouteKeysWrite.
type KeysStatus struct {
	// Keys are the bound keys, in the config's order.
	Keys []KeyStatus `json:"keys"`
	// Removed are the keys whose binding was deleted and which dialbridge
	// has not reset in the phone yet (a failed write keeps them here).
	Removed []int `json:"removed,omitempty"`
	// Manual, for a brand whose keys are entered by hand, says so and how
	// (`dialbridge pairing-urls --keys`); "" when dialbridge writes them.
	Manual string `json:"manual,omitempty"`
	// Error is the last write's sentence when it failed ("The phone at
	// 192.0.2.10 refused the key settings (HTTP 403)"); "" after success.
	Error string `json:"error,omitempty"`
	// At is when dialbridge last wrote or tried to write the keys.
	At *time.Time `json:"at,omitempty"`
	// Lights is why the lights of the keys bound to a state cannot be
	// set ("dialbridge does not know which light belongs to which key on
	// a Snom D717 …"); "" when they can or none is bound.
	Lights string `json:"lights,omitempty"`
}

// Keys returns the programming status of the bound function keys.
func (c *Client) Keys(ctx context.Context) (KeysStatus, error) {
	var s KeysStatus
	err := c.call(ctx, RouteKeys, nil, nil, nil, &s)
	return s, err
}

// WriteKeys writes the bound function keys into the phone now and returns
// the status after the write. When the phone refused, the status comes
// back with the error, which is the status's sentence.
func (c *Client) WriteKeys(ctx context.Context) (KeysStatus, error) {
	var s KeysStatus
	if err := c.call(ctx, RouteKeysWrite, nil, nil, nil, &s); err != nil {
		return s, err
	}
	if s.Error != "" {
		return s, errors.New(s.Error)
	}
	return s, nil
}
