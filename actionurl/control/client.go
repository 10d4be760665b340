package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client talks to a running resident's control API. It is what
// `dialbridge dial`, the tel: handler and the windows use; it needs no GUI.
type Client struct {
	file File
	hc   *http.Client
}

// ErrNotRunning means no resident answered at the address in the control file.
var ErrNotRunning = errors.New("dialbridge is not running")

// NewClient returns a client for the resident described by cf; hc nil means
// a client with a short timeout (the resident is on this machine).
func NewClient(cf File, hc *http.Client) *Client {
	if hc == nil {
		// Long enough for a dial waiting on a slow phone or a confirmation.
		hc = &http.Client{Timeout: 95 * time.Second}
	}
	return &Client{file: cf, hc: hc}
}

// Do sends in (nil for none) as JSON to the control API and decodes the
// reply into out (nil to discard). An error reply becomes an error carrying
// the resident's sentence.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.file.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.file.Token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		// Both wrapped: callers test for ErrNotRunning, and the link handler
		// for a refused connection (nothing listens: safe to start one).
		return fmt.Errorf("%w (%w)", ErrNotRunning, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("reading dialbridge's answer: %w", err)
	}
	if res.StatusCode >= 300 {
		var r Reply
		if json.Unmarshal(data, &r) == nil && r.Error != "" {
			return &DialError{Status: res.StatusCode, Err: r.replyErr()}
		}
		return &DialError{Status: res.StatusCode, Err: fmt.Errorf("dialbridge answered HTTP %d", res.StatusCode)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("dialbridge's answer is not what this version expects: %w", err)
		}
	}
	return nil
}
