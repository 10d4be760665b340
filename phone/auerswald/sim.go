package auerswald

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Auerswald phone.
type SimOptions struct {
	// Options.Password is the access token; Auth is always AuthBearer
	// (header or AuthToken query parameter), and TLS defaults to on, as on
	// the phone.
	phonesim.Options
	// PlainHTTP serves http instead of the phone's https.
	PlainHTTP bool
	// Actions is the firmware's command list; nil means Firmware14.
	Actions []string
	// Disabled simulates the factory setting: incoming action URLs off,
	// every command answered 403.
	Disabled bool
}

// SimCall is one call on the simulated phone.
type SimCall struct {
	// ID is the call's callId, e.g. "TC@1".
	ID     string
	Remote string
	State  phonesim.CallState
	// Conference is the id of the call this one is in a conference with.
	Conference string
}

// Sim is a simulated COMfortel D phone taking commands at
// /api/v1/exec/command. Strict like the phone: another path is 404,
// another method 405, a missing or wrong token 401, an unknown action or a
// missing parameter 400 with a JSON error, an unknown callId 404.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu          sync.Mutex
	calls       *phonesim.Calls[SimCall]
	dtmf        string
	transferred []string
	commands    []string
}

// StartSim starts a simulated Auerswald phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("COMfortel D-400")
	opts.Auth = phonesim.AuthBearer
	if !opts.PlainHTTP && opts.Certificate == nil {
		opts.TLS = true
	}
	if opts.Actions == nil {
		opts.Actions = Firmware14
	}
	s := &Sim{opts: opts, calls: phonesim.NewCalls[SimCall](func(n int) string { return "TC@" + strconv.Itoa(n) })}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// Ring makes a call from remote ring and returns its callId.
func (s *Sim) Ring(remote string) string { return s.add(remote, phonesim.Ringing) }

// Connect puts an answered call from remote on the phone.
func (s *Sim) Connect(remote string) string { return s.add(remote, phonesim.Connected) }

func (s *Sim) add(remote string, st phonesim.CallState) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLocked(remote, st)
}

func (s *Sim) addLocked(remote string, st phonesim.CallState) string {
	return s.calls.Add(func(id string) SimCall { return SimCall{ID: id, Remote: remote, State: st} })
}

// Calls returns the calls on the phone, oldest first.
func (s *Sim) Calls() []SimCall { return phonesim.Locked(&s.mu, s.calls.List) }

// DTMF returns the digits sent so far.
func (s *Sim) DTMF() string { return phonesim.Locked(&s.mu, func() string { return s.dtmf }) }

// Transferred returns the targets of blind transfers so far.
func (s *Sim) Transferred() []string { return phonesim.Snapshot(&s.mu, &s.transferred) }

// Commands returns the actions carried out, in order.
func (s *Sim) Commands() []string { return phonesim.Snapshot(&s.mu, &s.commands) }

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	reply(w, status, map[string]string{"error": msg})
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != CommandPath {
		fail(w, http.StatusNotFound, "not found")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		fail(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if s.opts.Disabled {
		fail(w, http.StatusForbidden, "action URLs are disabled")
		return
	}
	q := r.URL.Query()
	action := q.Get(paramAction)
	if action == "?" {
		reply(w, http.StatusOK, s.opts.Actions)
		return
	}
	if !s.has(action) {
		fail(w, http.StatusBadRequest, "unknown action '"+action+"'")
		return
	}
	if q.Has("help") {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(action + ": see the COMfortel manual\n"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	status, msg := s.run(action, q)
	if status != http.StatusOK {
		fail(w, status, msg)
		return
	}
	s.commands = append(s.commands, action)
	reply(w, http.StatusOK, map[string]string{"result": "ok"})
}

func (s *Sim) has(action string) bool {
	for _, a := range s.opts.Actions {
		if a == action {
			return true
		}
	}
	return false
}

// run carries out one command; s.mu is held.
func (s *Sim) run(action string, q map[string][]string) (int, string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	// pick finds the named call, or the first call in one of the states.
	pick := func(states ...phonesim.CallState) (*SimCall, int, string) {
		if id := get(paramCallID); id != "" {
			c := s.calls.Get(id)
			if c == nil {
				return nil, http.StatusNotFound, "no call with callId " + id
			}
			return c, 0, ""
		}
		best := s.calls.Find(func(c *SimCall) bool { return slices.Contains(states, c.State) })
		if best == nil {
			return nil, http.StatusBadRequest, "no call to " + action
		}
		return best, 0, ""
	}
	switch action {
	case actCall:
		n := get(paramNumber)
		if n == "" {
			return http.StatusBadRequest, "missing parameter number"
		}
		s.addLocked(n, phonesim.Connected)
	case actAccept, actHold, actResume:
		from := map[string]phonesim.CallState{actAccept: phonesim.Ringing, actHold: phonesim.Connected, actResume: phonesim.Held}[action]
		to := map[string]phonesim.CallState{actAccept: phonesim.Connected, actHold: phonesim.Held, actResume: phonesim.Connected}[action]
		c, st, msg := pick(from)
		if c == nil {
			return st, msg
		}
		if c.State != from {
			return http.StatusBadRequest, "call " + c.ID + " is " + string(c.State)
		}
		c.State = to
	case actTerminate:
		c, st, msg := pick(phonesim.Connected, phonesim.Ringing, phonesim.Held)
		if c == nil {
			return st, msg
		}
		s.calls.Delete(c.ID)
	case actTransfer:
		n := get(paramNumber)
		if n == "" {
			return http.StatusBadRequest, "missing parameter number"
		}
		c, st, msg := pick(phonesim.Connected, phonesim.Held)
		if c == nil {
			return st, msg
		}
		s.calls.Delete(c.ID)
		s.transferred = append(s.transferred, n)
	case actDTMF:
		digits := get(paramDigits)
		if digits == "" {
			return http.StatusBadRequest, "missing parameter digits"
		}
		c, st, msg := pick(phonesim.Connected)
		if c == nil {
			return st, msg
		}
		if c.State != phonesim.Connected {
			return http.StatusBadRequest, "call " + c.ID + " is " + string(c.State)
		}
		s.dtmf += digits
	case actJoin, actConference:
		a, b := s.calls.Get(get(paramCallID)), s.calls.Get(get(paramCallID2))
		if a == nil || b == nil || a == b {
			return http.StatusNotFound, "no such calls to " + action
		}
		if action == actJoin {
			s.calls.Delete(a.ID)
			s.calls.Delete(b.ID)
		} else {
			a.State, b.State = phonesim.Connected, phonesim.Connected
			a.Conference, b.Conference = b.ID, a.ID
		}
	}
	return http.StatusOK, ""
}

// Simulated starts a simulated Auerswald phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Password: password}})
}
