// Package control is the resident's control channel as its clients see it:
// where the config and control files live, the control file's contents, the
// request and reply shapes, and a client for the control API.
//
// It imports nothing but the standard library, on purpose: the tel: link
// handler (cmd/dialbridge) is built from it and must start and exit in a
// few milliseconds, which every heavier package's initialisation would
// spoil (the numbering plans alone take ~20 ms to decode).
package control

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ConfigPath is the config file to use: explicit when given (--config),
// else $DIALBRIDGE_CONFIG, else dialbridge/config.toml in the user's config
// directory. Every program of dialbridge resolves it the same way, so a
// link handler and the resident it wakes agree on the file.
func ConfigPath(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if p := os.Getenv("DIALBRIDGE_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w", err)
	}
	return filepath.Join(dir, "dialbridge", "config.toml"), nil
}

// File tells clients where the running resident listens and which token
// it wants. It lives beside the config file with mode 0600, so only the
// same user can read it.
type File struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// FilePath is the control file that belongs to a config file path.
func FilePath(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), "control.json")
}

// ReadFile reads the control file; a missing one means no resident runs
// (os.ErrNotExist).
func ReadFile(path string) (File, error) {
	var cf File
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

// DialCommand is the body of POST /api/v1/dial.
type DialCommand struct {
	Number   string `json:"number"`
	Identity string `json:"identity,omitempty"`
	// Typed: the person typed or picked the number in dialbridge itself.
	Typed bool `json:"typed,omitempty"`
	// Source says who asks, e.g. "tel: link", "command line".
	Source string `json:"source,omitempty"`
	// Origin is the web page's origin when the number came from a page
	// (the browser extension): the resident then judges the dial exactly
	// as a request that page sent itself, and Typed must be false.
	Origin string `json:"origin,omitempty"`
}

// State is the answer of GET /api/v1/state: what the browser extension
// shows and needs (which phone, whether it is paired, the region in which
// numbers on pages are read).
type State struct {
	// Phone is the configured brand ("demo" for the simulated phone), ""
	// for none yet.
	Phone string `json:"phone"`
	// Address is the phone's address as configured.
	Address string `json:"address,omitempty"`
	// Paired says a driver for the phone is ready to dial.
	Paired bool `json:"paired"`
	// LastEvent is when the phone last reached dialbridge; absent for never.
	LastEvent *time.Time `json:"last_event,omitempty"`
	// Country is the dialing rules' ISO 3166 code, e.g. "DE": numbers
	// without a country code on a page are read as numbers of this country.
	Country string `json:"country"`
}

// Reply is the common answer shape of the control API.
type Reply struct {
	OK     bool   `json:"ok,omitempty"`
	Dialed string `json:"dialed,omitempty"`
	Error  string `json:"error,omitempty"`
}

// DialError is a refused or failed request with the HTTP status that says
// so: the resident's sentence travels to the client unchanged, and the
// status lets a caller tell "refused" (403) from "the phone failed" (502).
type DialError struct {
	Status int
	Err    error
}

func (e *DialError) Error() string { return e.Err.Error() }
func (e *DialError) Unwrap() error { return e.Err }
