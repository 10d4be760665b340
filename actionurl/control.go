package actionurl

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
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

// NewControl returns a control API that accepts token and offers the dial
// endpoint backed by dial. Other parts of the program add theirs with Handle.
func NewControl(token string, dial *DialService) *Control {
	c := &Control{token: token, mux: http.NewServeMux()}
	c.mux.HandleFunc("POST /api/v1/dial", func(w http.ResponseWriter, r *http.Request) {
		var in DialCommand
		if !ReadJSON(w, r, &in) {
			return
		}
		req := DialRequest{Number: in.Number, Identity: in.Identity, Format: FormatControl, Typed: in.Typed}
		err := checkNumber(req.Number)
		if err == nil && in.Origin != "" && in.Typed {
			err = errors.New("a number from a web page is never typed by the person: send origin or typed, not both")
		}
		if err != nil {
			WriteJSON(w, http.StatusBadRequest, Reply{Error: err.Error()})
			return
		}
		dialed, err := dial.Dial(r.Context(), req, JudgeControl(r, in))
		if err != nil {
			status := http.StatusInternalServerError
			var de *DialError
			if errors.As(err, &de) {
				status = de.Status
			}
			WriteJSON(w, status, Reply{Error: err.Error()})
			return
		}
		WriteJSON(w, http.StatusOK, Reply{Dialed: dialed})
	})
	c.mux.HandleFunc("GET /api/v1/ping", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, Reply{OK: true})
	})
	return c
}

// Handle adds an endpoint, e.g. c.Handle("GET /api/v1/calls", h). The token
// check applies to it like to every other.
func (c *Control) Handle(pattern string, h http.Handler) { c.mux.Handle(pattern, h) }

// ServeHTTP checks that the request is no browser's and carries the token.
func (c *Control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" {
		WriteJSON(w, http.StatusForbidden, Reply{Error: "the control API is not for web pages"})
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(c.token)) != 1 {
		WriteJSON(w, http.StatusUnauthorized, Reply{Error: "the control API needs the token from dialbridge's control file"})
		return
	}
	c.mux.ServeHTTP(w, r)
}

// DialCommand is the body of POST /api/v1/dial (see control.DialCommand).
type DialCommand = control.DialCommand

// Reply is the common answer shape of the control API (see control.Reply).
type Reply = control.Reply

// ReadJSON decodes a bounded JSON body into v, answering 400 itself when it
// cannot; it reports whether the handler should go on.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		WriteJSON(w, http.StatusBadRequest, Reply{Error: "bad request body: " + err.Error()})
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

// ControlFile tells clients where the running resident listens (see
// control.File, where clients that must stay light read it).
type ControlFile = control.File

// ControlFilePath is the control file that belongs to a config file path.
func ControlFilePath(configPath string) string { return control.FilePath(configPath) }

// NewToken returns a fresh random token.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Errorf("no randomness for the control token: %w", err))
	}
	return hex.EncodeToString(b)
}

// WriteControlFile writes cf to path atomically with mode 0600.
func WriteControlFile(path string, cf ControlFile) error {
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

// ReadControlFile reads the control file; a missing one means no resident
// runs (os.ErrNotExist).
func ReadControlFile(path string) (ControlFile, error) { return control.ReadFile(path) }

// Client talks to a running resident's control API (see control.Client).
type Client = control.Client

// ErrNotRunning means no resident answered at the address in the control file.
var ErrNotRunning = control.ErrNotRunning

// NewClient returns a client for the resident described by cf; hc nil means
// a client with a timeout long enough for a dial awaiting confirmation.
func NewClient(cf ControlFile, hc *http.Client) *Client { return control.NewClient(cf, hc) }
