package control

import (
	"context"
	"errors"
	"time"
)

// The control API's function keys endpoints: the Settings "Phone keys" page
// and `dialbridge keys status|write` show whether dialbridge could write the
// [[phone.keys]] bindings into the phone, and write them again on demand.
const (
	// RouteFunctionKeys answers the FunctionKeysStatus of the bound function keys.
	RouteFunctionKeys = "GET /api/v1/phone/function-keys"
	// RouteFunctionKeysWrite writes every bound function key into the phone now
	// (and resets the keys whose binding was deleted), answering the
	// FunctionKeysStatus after the write, also when the phone refused it (its
	// Error then says why).
	RouteFunctionKeysWrite = "POST /api/v1/phone/function-keys/write"
)

// The states of a FunctionKeyStatus.
const (
	// FunctionKeyPending: not written yet (dialbridge is starting, or the phone
	// was not reachable at all so far).
	FunctionKeyPending = "pending"
	// FunctionKeyWritten: the phone accepted the key's settings at At.
	FunctionKeyWritten = "written"
	// FunctionKeyFailed: the last write failed; Error says why.
	FunctionKeyFailed = "failed"
	// FunctionKeyManual: the brand takes no key settings from dialbridge; the
	// person enters them by hand (`dialbridge pairing-urls --keys`).
	FunctionKeyManual = "manual"
)

// FunctionKeyStatus is one bound function key as the last write left it.
type FunctionKeyStatus struct {
	// Key is the key as the phone numbers it (Snom P1 = 1).
	Key    int    `json:"key"`
	Label  string `json:"label"`
	Action string `json:"action"`
	// State is FunctionKeyPending, FunctionKeyWritten, FunctionKeyFailed or FunctionKeyManual.
	State string `json:"state"`
	// Error is the sentence of a failed write, naming the phone.
	Error string `json:"error,omitempty"`
	// At is when the key was last written or tried.
	At *time.Time `json:"at,omitempty"`
}

// FunctionKeysStatus is the answer of RouteFunctionKeys and RouteFunctionKeysWrite.
type FunctionKeysStatus struct {
	// Keys are the bound keys, in the config's order.
	Keys []FunctionKeyStatus `json:"keys"`
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
}

// FunctionKeys returns the programming status of the bound function keys.
func (c *Client) FunctionKeys(ctx context.Context) (FunctionKeysStatus, error) {
	return c.functionKeys(ctx, RouteFunctionKeys)
}

// WriteFunctionKeys writes the bound function keys into the phone now and returns
// the status after the write. When the phone refused, the status comes
// back with the error, which is the status's sentence.
func (c *Client) WriteFunctionKeys(ctx context.Context) (FunctionKeysStatus, error) {
	s, err := c.functionKeys(ctx, RouteFunctionKeysWrite)
	if err == nil && s.Error != "" {
		err = errors.New(s.Error)
	}
	return s, err
}

// functionKeys asks route for the FunctionKeysStatus.
func (c *Client) functionKeys(ctx context.Context, route string) (s FunctionKeysStatus, err error) {
	return s, c.call(ctx, route, nil, nil, nil, &s)
}
