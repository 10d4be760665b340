package fanvil

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Fanvil phone.
type SimOptions struct {
	phonesim.Options
}

// Sim is a simulated Fanvil phone with one line, serving the action URI.
// Another path is 404, another method 405; a query that does not start
// with key= or names a key outside the driver's vocabulary is 400 (the
// simulator's choice, so that a driver typo fails its tests).
type Sim struct {
	*phonesim.Server

	mu     sync.Mutex
	dialed []string
	inCall bool
	held   bool
	keys   []string
	// keyRequests are the key= values of every request, decoded.
	keyRequests []string
}

// StartSim starts a simulated Fanvil phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("Fanvil X4U")
	s := &Sim{}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// Dialed returns every number dialed so far.
func (s *Sim) Dialed() []string { return phonesim.Snapshot(&s.mu, &s.dialed) }

// Line reports whether a call is up and whether it is held.
func (s *Sim) Line() (inCall, held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inCall, s.held
}

// KeyRequests returns the key= value of every request so far, decoded,
// oldest first.
func (s *Sim) KeyRequests() []string { return phonesim.Snapshot(&s.mu, &s.keyRequests) }

// Keys returns every key event so far.
func (s *Sim) Keys() []string { return phonesim.Snapshot(&s.mu, &s.keys) }

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, r.URL.Path == actionPath, http.MethodGet) {
		return
	}
	raw, ok := strings.CutPrefix(r.URL.RawQuery, "key=")
	if !ok || strings.Contains(raw, "&") {
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	value, err := url.QueryUnescape(raw)
	if err != nil {
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	keys := strings.Split(value, ";")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyRequests = append(s.keyRequests, value)
	if len(keys) == 2 && keys[1] == keyEnter && isNumber(keys[0]) {
		s.keys = append(s.keys, keys...)
		s.dialed = append(s.dialed, keys[0])
		s.inCall, s.held = true, false
		return
	}
	if len(keys) != 1 {
		http.Error(w, "Bad Request: unknown key sequence", http.StatusBadRequest)
		return
	}
	switch keys[0] {
	case keyRelease:
		s.inCall, s.held = false, false
	case keyHold:
		if s.inCall {
			s.held = !s.held
		}
	case keyMute, keyEnter, "OK", "X":
	default:
		if len(keys[0]) == 1 && isNumber(keys[0]) {
			break // a keypad key
		}
		http.Error(w, "Bad Request: unknown key "+keys[0], http.StatusBadRequest)
		return
	}
	s.keys = append(s.keys, keys[0])
}

func isNumber(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '*' || r == '#' || r == '+' && i == 0) {
			return false
		}
	}
	return s != ""
}

// Simulated starts a simulated Fanvil phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: user, Password: password}})
}
