package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/nativemsg"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/packaging/nativehost"
)

// recentLimit is how many calls the extension's popup lists.
const recentLimit = 10

// isNativeHost reports whether the front was started as the browsers'
// native messaging host: by name (`dialbridge native-host`), or the way
// the browsers start the program a host manifest names, which passes no
// arguments of its choosing: Chromium-based browsers give the calling
// extension's origin (and on Windows a --parent-window flag), Firefox the
// manifest's path and the add-on's ID.
func isNativeHost(args []string) bool {
	switch {
	case len(args) == 0:
		return false
	case args[0] == "native-host", strings.HasPrefix(args[0], "chrome-extension://"):
		return true
	}
	return len(args) == 2 && args[1] == nativehost.FirefoxAddonID && strings.HasSuffix(args[0], ".json")
}

// hostRequest is a message from the extension.
type hostRequest struct {
	// ID comes back in the answer, so the extension can match answers to
	// questions; any JSON value.
	ID json.RawMessage `json:"id,omitempty"`
	// Type is "dial", "state" or "recent".
	Type string `json:"type"`
	// Number is the number to dial as found on the page or typed in the
	// popup.
	Number string `json:"number,omitempty"`
	// Origin is the page's origin, as the browser told the extension
	// (never the page's own claim); empty for the toolbar popup.
	Origin string `json:"origin,omitempty"`
}

// hostReply is the answer to one hostRequest.
type hostReply struct {
	ID json.RawMessage `json:"id,omitempty"`
	OK bool            `json:"ok"`
	// Error is the resident's sentence, for the person; Status its HTTP
	// status (403 refused, 429 too many, 502 the phone failed).
	Error  string              `json:"error,omitempty"`
	Status int                 `json:"status,omitempty"`
	Dialed string              `json:"dialed,omitempty"`
	State  *control.State      `json:"state,omitempty"`
	Calls  []control.CallEntry `json:"calls,omitempty"`
}

// forward calls use with a client of the resident (reach.With with the
// config chosen), so that the host reaches each endpoint through the
// control client's own method.
type forward func(ctx context.Context, use func(*control.Client) error) error

// reachResident is the host's forward: the resident of the default config
// (the browsers start the host with no flags of dialbridge's), started when
// none runs, as a clicked link reaches it.
func reachResident(ctx context.Context, use func(*control.Client) error) error {
	return reach.With(ctx, "", use)
}

// serveNativeHost answers the extension's messages on in and out until the
// browser closes in. Each message is handled on its own, so a dial waiting
// for the person's confirmation does not hold up the popup's state; the
// answers go out whole, one at a time.
func serveNativeHost(ctx context.Context, in io.Reader, out io.Writer, send forward) error {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	reply := func(r hostReply) {
		mu.Lock()
		defer mu.Unlock()
		if err := nativemsg.Write(out, r); err != nil {
			// Only an oversized list gets here; say so rather than nothing.
			_ = nativemsg.Write(out, hostReply{ID: r.ID, Error: err.Error()})
		}
	}
	defer wg.Wait()
	for {
		msg, err := nativemsg.Read(in)
		var bad *nativemsg.BadMessageError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &bad):
			reply(hostReply{Error: "dialbridge did not understand the extension: " + err.Error()})
			continue
		case err != nil:
			return err
		}
		var req hostRequest
		if err := json.Unmarshal(msg, &req); err != nil {
			reply(hostReply{Error: "dialbridge did not understand the extension: " + err.Error()})
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			reply(handleHostRequest(ctx, req, send))
		}()
	}
}

// handleHostRequest carries out one message. A number never counts as
// typed here: the host cannot tell a number the person typed into the
// extension's popup from one a page supplied, so both get the rules for
// numbers from outside dialbridge's own windows (a page's with its origin).
func handleHostRequest(ctx context.Context, req hostRequest, send forward) hostReply {
	r := hostReply{ID: req.ID}
	var err error
	switch req.Type {
	case "dial":
		err = send(ctx, func(c *control.Client) (err error) {
			r.Dialed, err = c.Dial(ctx, control.DialCommand{Number: req.Number, Origin: req.Origin, Source: control.SourceExtension})
			return err
		})
	case "state":
		r.State = &control.State{}
		err = send(ctx, func(c *control.Client) (err error) {
			*r.State, err = c.State(ctx)
			return err
		})
	case "recent":
		err = send(ctx, func(c *control.Client) (err error) {
			r.Calls, err = c.Journal(ctx, control.JournalQuery{Limit: recentLimit})
			return err
		})
	default:
		err = fmt.Errorf("dialbridge does not know the extension's request %q (an extension newer than dialbridge?)", req.Type)
	}
	if err != nil {
		var de *control.DialError
		if errors.As(err, &de) {
			r.Status = de.Status
		}
		return hostReply{ID: req.ID, Error: err.Error(), Status: r.Status}
	}
	r.OK = true
	return r
}
