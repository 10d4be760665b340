package polycom

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Polycom phone.
type SimOptions struct {
	phonesim.Options
	// RestDisabled simulates apps.restapi.enabled = 0: every API path 404.
	RestDisabled bool
	// Lines is the number of registered lines; zero means one.
	Lines int
}

// CallState is where a simulated call stands, in the phone's words.
type CallState string

// The states of a simulated call.
const (
	Ringing   CallState = "Offering"
	Connected CallState = "Connected"
	Held      CallState = "Hold"
)

// SimCall is one call on the simulated phone.
type SimCall struct {
	Handle string
	Remote string
	Line   string
	State  CallState
}

// Sim is a simulated Polycom VVX answering the REST API. Strict as the
// phone: unknown paths 404 (all of them when the API is off), wrong method
// 405, a body that is not {"data":{...}} with the fields the endpoint
// needs, or not sent as application/json, gets Status 4000, an unknown
// Ref 4007, a call in the wrong state 4003. Errors come with HTTP 400 (500
// for 5000), successes with 200 and Status 2000.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu          sync.Mutex
	calls       *phonesim.Calls[SimCall]
	dtmf        string
	transferred []string
}

// StartSim starts a simulated Polycom phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("PolycomVVX-VVX_450-UA/6.4.3.5018")
	if opts.Lines == 0 {
		opts.Lines = 1
	}
	s := &Sim{opts: opts, calls: phonesim.NewCalls[SimCall](func(n int) string { return fmt.Sprintf("0x%08x", 0x2b4ee540+0x10*n) })}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// Ring makes a call from remote ring and returns its handle.
func (s *Sim) Ring(remote string) string { return s.add(remote, Ringing) }

// Connect puts an answered call from remote on the phone.
func (s *Sim) Connect(remote string) string { return s.add(remote, Connected) }

func (s *Sim) add(remote string, st CallState) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLocked(remote, "1", st)
}

func (s *Sim) addLocked(remote, line string, st CallState) string {
	return s.calls.Add(func(h string) SimCall { return SimCall{Handle: h, Remote: remote, Line: line, State: st} })
}

// Calls returns the calls on the phone, oldest first.
func (s *Sim) Calls() []SimCall { return phonesim.Locked(&s.mu, s.calls.List) }

// DTMF returns the digits sent so far.
func (s *Sim) DTMF() string { return phonesim.Locked(&s.mu, func() string { return s.dtmf }) }

// Transferred returns the targets of transfers so far.
func (s *Sim) Transferred() []string { return phonesim.Snapshot(&s.mu, &s.transferred) }

func status(w http.ResponseWriter, code string, data any) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case code == StatusOK:
		w.WriteHeader(http.StatusOK)
	case strings.HasPrefix(code, "5"):
		w.WriteHeader(http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
	body := map[string]any{"Status": code}
	if data != nil {
		body["data"] = data
	}
	_ = json.NewEncoder(w).Encode(body)
}

// required lists the fields each callctrl endpoint needs.
var required = map[string][]string{
	"dial":         {"Dest"},
	"answerCall":   {"Ref"},
	"endCall":      {"Ref"},
	"holdCall":     {"Ref"},
	"resumeCall":   {"Ref"},
	"transferCall": {"Ref", "TransferDest"},
	"sendDTMF":     {"Digits"},
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if s.opts.RestDisabled || !strings.HasPrefix(r.URL.Path, "/api/") {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == callStatusPath {
		if !phonesim.Accept(w, r, true, http.MethodGet) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		calls := s.calls.List()
		if len(calls) == 0 {
			status(w, StatusOK, map[string]any{})
			return
		}
		c := calls[0]
		status(w, StatusOK, map[string]any{
			"CallHandle": strings.TrimPrefix(c.Handle, "0x"), "CallState": string(c.State),
			"RemotePartyNumber": c.Remote, "LineId": c.Line, "Type": "Incoming",
		})
		return
	}
	endpoint, ok := strings.CutPrefix(r.URL.Path, callctrlPath)
	fields, known := required[endpoint]
	if !phonesim.Accept(w, r, ok && known, http.MethodPost) {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		status(w, "4000", nil)
		return
	}
	var req struct {
		Data map[string]string `json:"data"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.Data == nil {
		status(w, "4000", nil)
		return
	}
	for _, f := range fields {
		if req.Data[f] == "" {
			status(w, "4000", nil)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	status(w, s.run(endpoint, req.Data), nil)
}

// run carries out one request; s.mu is held.
func (s *Sim) run(endpoint string, data map[string]string) string {
	if endpoint == "dial" {
		line := data["Line"]
		if line == "" {
			line = "1"
		}
		if n, err := strconv.Atoi(line); err != nil || n < 1 || n > s.opts.Lines {
			return "4005"
		}
		if t := data["Type"]; t != "" && t != "TEL" && t != "SIP" {
			return "4000"
		}
		s.addLocked(data["Dest"], line, Connected)
		return StatusOK
	}
	if endpoint == "sendDTMF" {
		if s.calls.Find(func(c *SimCall) bool { return c.State == Connected }) == nil {
			return "4007"
		}
		s.dtmf += data["Digits"]
		return StatusOK
	}
	c := s.calls.Get(data["Ref"])
	if c == nil {
		return "4007"
	}
	from := map[string][]CallState{
		"answerCall": {Ringing}, "endCall": {Ringing, Connected, Held}, "holdCall": {Connected},
		"resumeCall": {Held}, "transferCall": {Connected, Held},
	}[endpoint]
	if !slices.Contains(from, c.State) {
		return "4003"
	}
	switch endpoint {
	case "answerCall", "resumeCall":
		c.State = Connected
	case "holdCall":
		c.State = Held
	case "endCall":
		s.calls.Delete(c.Handle)
	case "transferCall":
		s.calls.Delete(c.Handle)
		s.transferred = append(s.transferred, data["TransferDest"])
	}
	return StatusOK
}

// Simulated starts a simulated Polycom phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: password}})
}
