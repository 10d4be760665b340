package actionurl

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// maxControlBody bounds a control API request body.
const maxControlBody = 64 << 10

// Control is the control API (JSON under /api/v1/) that `dialbridge dial`,
// the tel: handler, the tray and the windows use to talk to the running
// resident. Every request must carry the per-user token from the control
// file; requests that a browser made are refused outright, so no web page
// can use it even if it guessed the token.
type Control struct {
	token string
	mux   *http.ServeMux
}

// NewControl returns a control API that accepts token and answers routes:
// the program's whole table of endpoints, keyed by the patterns of
// control.Routes, so that every endpoint is registered in one place.
func NewControl(token string, routes map[string]http.Handler) *Control {
	c := &Control{token: token, mux: http.NewServeMux()}
	for pattern, h := range routes {
		c.mux.Handle(pattern, h)
	}
	return c
}

// DialHandler answers control.RouteDial through dial: the same dial
// service and policy as a click on the listener, judged as a request of
// this machine's user.
func DialHandler(dial *DialService) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in control.DialCommand
		if !ReadJSON(w, r, &in) {
			return
		}
		req := DialRequest{Number: in.Number, Identity: in.Identity, Format: FormatControl, Typed: in.Typed}
		if in.Origin != "" && in.Typed {
			WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "a number from a web page is never typed by the person: send origin or typed, not both"})
			return
		}
		dialed, err := dial.Dial(r.Context(), req, JudgeControl(r, in))
		if err != nil {
			status := http.StatusInternalServerError
			var de *control.DialError
			if errors.As(err, &de) {
				status = de.Status
			}
			WriteJSON(w, status, control.ReplyError(err))
			return
		}
		WriteJSON(w, http.StatusOK, control.Reply{Dialed: dialed})
	})
}

// PingHandler answers control.RoutePing: the token was right.
func PingHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	})
}

// ServeHTTP checks that the request is no browser's and carries the token.
func (c *Control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" {
		WriteJSON(w, http.StatusForbidden, control.Reply{Error: "the control API is not for web pages"})
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(c.token)) != 1 {
		WriteJSON(w, http.StatusUnauthorized, control.Reply{Error: "the control API needs the token from dialbridge's control file"})
		return
	}
	c.mux.ServeHTTP(w, r)
}

// ReadJSON decodes a bounded JSON body into v, answering 400 itself when it
// cannot; it reports whether the handler should go on.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		WriteJSON(w, http.StatusBadRequest, control.Reply{Error: "bad request body: " + err.Error()})
		return false
	}
	return true
}

// WriteJSON answers with status and v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteControlFile writes cf to path atomically with mode 0600.
func WriteControlFile(path string, cf control.File) error {
	data, err := json.Marshal(cf)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	if err := config.WriteFileAtomic(path, data, 0o600); err != nil {
		return fmt.Errorf("writing the control file: %w", err)
	}
	return nil
}
