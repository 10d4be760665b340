package grandstream

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Grandstream phone.
type SimOptions struct {
	// Options carry the transport settings; the phone's web interface has
	// its own login, but the CTI commands take only the passcode, so Auth
	// stays AuthNone.
	phonesim.Options
	// Passcode is the admin password the commands must carry.
	Passcode string
}

// LineState is the state of the simulated phone's line.
type LineState string

// The states of the line.
const (
	Idle      LineState = "idle"
	Ringing   LineState = "ringing"
	Connected LineState = "connected"
	Held      LineState = "onhold"
)

// Sim is a simulated Grandstream phone with one line, answering the CTI
// commands the driver uses. Another path is 404 and another method 405,
// as from the phone's web server; a wrong passcode and an operation that
// does not fit the line's state are answered as the CTI guide shows:
// HTTP 200 with {"response":"error", ...}. The body of a wrong-passcode
// answer ("unauthorized") is an assumption.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu     sync.Mutex
	state  LineState
	remote string
	dialed []Dialed
	ops    []string
}

// Dialed is one api-make_call the phone carried out.
type Dialed struct {
	Number  string
	Account string
}

// StartSim starts a simulated Grandstream phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	s := &Sim{opts: opts, state: Idle}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// Ring makes a call from remote ring on the line.
func (s *Sim) Ring(remote string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.remote = Ringing, remote
}

// Line returns the line's state and the remote party.
func (s *Sim) Line() (LineState, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, s.remote
}

// Dialed returns every dial so far.
func (s *Sim) Dialed() []Dialed { return phonesim.Snapshot(&s.mu, &s.dialed) }

// Operations returns the cmd of every phone operation carried out.
func (s *Sim) Operations() []string { return phonesim.Snapshot(&s.mu, &s.ops) }

func answer(w http.ResponseWriter, ok bool, body any) {
	resp := "error"
	if ok {
		resp = "success"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"response": resp, "body": body})
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, r.URL.Path == makeCallPath || r.URL.Path == operationPath, http.MethodGet) {
		return
	}
	q := r.URL.Query()
	if q.Get("passcode") != s.opts.Passcode || !q.Has("passcode") {
		answer(w, false, "unauthorized")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == makeCallPath {
		n := q.Get("phonenumber")
		if n == "" || s.state != Idle {
			answer(w, false, false)
			return
		}
		s.dialed = append(s.dialed, Dialed{Number: n, Account: q.Get("account")})
		s.state, s.remote = Connected, n
		answer(w, true, true)
		return
	}
	cmd := q.Get("cmd")
	var from []LineState
	to := Idle
	switch cmd {
	case "acceptcall":
		from, to = []LineState{Ringing}, Connected
	case "endcall":
		from = []LineState{Connected, Held}
	case "rejectcall", "cancel":
		from = []LineState{Ringing}
	case "holdcall":
		from, to = []LineState{Connected}, Held
	default:
		answer(w, false, "unknown")
		return
	}
	for _, st := range from {
		if s.state == st {
			s.state = to
			if to == Idle {
				s.remote = ""
			}
			s.ops = append(s.ops, cmd)
			answer(w, true, true)
			return
		}
	}
	answer(w, false, false)
}

// Simulated starts a simulated Grandstream phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Passcode: password})
}
