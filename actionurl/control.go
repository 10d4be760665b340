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
		source := in.Source
		if source == "" {
			source = "control API"
		}
		req := DialRequest{Number: in.Number, Identity: in.Identity, Format: FormatControl, Typed: in.Typed}
		if err := checkNumber(req.Number); err != nil {
			WriteJSON(w, http.StatusBadRequest, Reply{Error: err.Error()})
			return
		}
		dialed, err := dial.Dial(r.Context(), req, JudgeControl(r, source, req.Typed))
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

// DialCommand is the body of POST /api/v1/dial.
type DialCommand struct {
	Number   string `json:"number"`
	Identity string `json:"identity,omitempty"`
	// Typed: the person typed or picked the number in dialbridge itself.
	Typed bool `json:"typed,omitempty"`
	// Source says who asks, e.g. "tel: link", "command line".
	Source string `json:"source,omitempty"`
}

// Reply is the common answer shape of the control API.
type Reply struct {
	OK     bool   `json:"ok,omitempty"`
	Dialed string `json:"dialed,omitempty"`
	Error  string `json:"error,omitempty"`
}

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

// ControlFile tells clients where the running resident listens and which
// token it wants. It lives beside the config file with mode 0600, so only
// the same user can read it.
type ControlFile struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// ControlFilePath is the control file that belongs to a config file path.
func ControlFilePath(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), "control.json")
}

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
func ReadControlFile(path string) (ControlFile, error) {
	var cf ControlFile
	data, err := os.ReadFile(path)
	if err != nil {
		return cf, err
	}
	if err := json.Unmarshal(data, &cf); err != nil {
		return cf, fmt.Errorf("the control file %s is damaged: %w", path, err)
	}
	if cf.URL == "" || cf.Token == "" {
		return cf, fmt.Errorf("the control file %s is incomplete", path)
	}
	return cf, nil
}
