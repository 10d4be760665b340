package yealink

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Yealink phone.
type SimOptions struct {
	phonesim.Options
	// AllowIPs is the phone's "Action URI Allow IP List"
	// (features.action_uri_limit_ip): addresses, patterns like 10.10.*.*,
	// or "any". Nil means "any", so that the demo works out of the box; a
	// request from an address not on the list gets 403.
	AllowIPs []string
	// ConfirmPrompt simulates features.show_action_uri_option = 1: the
	// first request shows "Allow remote control?" and is refused with 403
	// until AllowRemoteControl is called, as if someone pressed OK.
	ConfirmPrompt bool
}

// SimCall is one call on the simulated phone.
type SimCall struct {
	// ID is the call's $call_id.
	ID     string
	Remote string
	State  phonesim.CallState
}

// Dialed is one dial the simulated phone carried out.
type Dialed struct {
	Number      string
	OutgoingURI string
}

// Sim is a simulated Yealink phone serving the Action URI at /servlet. It
// is strict where a test needs it: another path is 404, another method
// 405, a query that does not start with key= or a key outside the
// documented vocabulary is 400 (a real phone ignores unknown keys; the
// simulator refuses them so that a typo in a driver fails its tests).
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu          sync.Mutex
	confirmed   bool
	calls       *phonesim.Calls[SimCall]
	dialed      []Dialed
	keys        []string
	keyRequests []string // the key= value of every key request
	dtmf        strings.Builder
	transfer    *strings.Builder // digits typed after F_TRANSFER
	transferred []string
}

// StartSim starts a simulated Yealink phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("Yealink SIP-T54W")
	s := &Sim{opts: opts, calls: phonesim.NewCalls[SimCall](func(n int) string { return strconv.Itoa(33092 + n) })}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// AllowRemoteControl presses OK on the "Allow remote control?" prompt.
func (s *Sim) AllowRemoteControl() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.confirmed = true
}

// Ring makes a call from remote ring and returns its $call_id.
func (s *Sim) Ring(remote string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(remote, phonesim.Ringing)
}

// Connect puts an answered call from remote on the phone and returns its id.
func (s *Sim) Connect(remote string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(remote, phonesim.Connected)
}

func (s *Sim) add(remote string, st phonesim.CallState) string {
	return s.calls.Add(func(id string) SimCall { return SimCall{ID: id, Remote: remote, State: st} })
}

// Calls returns the calls on the phone, oldest first.
func (s *Sim) Calls() []SimCall { return phonesim.Locked(&s.mu, s.calls.List) }

// Dialed returns every dial so far.
func (s *Sim) Dialed() []Dialed { return phonesim.Snapshot(&s.mu, &s.dialed) }

// KeyRequests returns the key= value of every request that pressed keys,
// oldest first.
func (s *Sim) KeyRequests() []string { return phonesim.Snapshot(&s.mu, &s.keyRequests) }

// Keys returns every key pressed so far, one entry per key.
func (s *Sim) Keys() []string { return phonesim.Snapshot(&s.mu, &s.keys) }

// DTMF returns the digits sent during calls.
func (s *Sim) DTMF() string { return phonesim.Locked(&s.mu, s.dtmf.String) }

// Transferred returns the targets of completed blind transfers.
func (s *Sim) Transferred() []string { return phonesim.Snapshot(&s.mu, &s.transferred) }

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, r.URL.Path == servletPath, http.MethodGet) {
		return
	}
	if !s.allowed(r.RemoteAddr) {
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	prompt := s.opts.ConfirmPrompt && !s.confirmed
	s.mu.Unlock()
	if prompt {
		http.Error(w, "Forbidden", http.StatusForbidden) // the phone shows "Allow remote control?"
		return
	}
	if !strings.HasPrefix(r.URL.RawQuery, "key=") {
		http.Error(w, "Bad Request: key= must come first", http.StatusBadRequest)
		return
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	key := q.Get("key")
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := strings.CutPrefix(key, "number="); ok {
		if n == "" {
			http.Error(w, "Bad Request: empty number", http.StatusBadRequest)
			return
		}
		s.dialed = append(s.dialed, Dialed{Number: n, OutgoingURI: q.Get("outgoing_uri")})
		s.add(n, phonesim.Connected)
		w.WriteHeader(http.StatusOK)
		return
	}
	keys := strings.Split(key, ";")
	for _, k := range keys {
		if !knownKey(k) {
			http.Error(w, "Bad Request: unknown key "+k, http.StatusBadRequest)
			return
		}
	}
	s.keyRequests = append(s.keyRequests, key)
	for _, k := range keys {
		s.press(k)
	}
	w.WriteHeader(http.StatusOK)
}

// parseQuery splits a query at '&' only: the phone's key chains use ';',
// which url.ParseQuery refuses as a separator.
func parseQuery(raw string) (url.Values, error) {
	q := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		q.Add(key, val)
	}
	return q, nil
}

// knownKey is the vocabulary of the administrator guides.
func knownKey(k string) bool {
	name, id, perCall := strings.Cut(k, ":")
	if perCall {
		switch name {
		case "ASW", "CANCEL", "HOLD", "UNHOLD":
			return id != ""
		}
		return false
	}
	switch k {
	case "OK", "ENTER", "SPEAKER", "F_TRANSFER", "VOLUME_UP", "VOLUME_DOWN", "MUTE", "F_HOLD", "HOLD",
		"F_CONFERENCE", "CALLEND", "CallEnd", "ASW", "X", "RD", "STAR", "POUND",
		"OFFHOOK", "ONHOOK", "UP", "DOWN", "LEFT", "RIGHT", "HEADSET", "F1", "F2", "F3", "F4":
		return true
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(k, "L")); err == nil && k[0] == 'L' {
		return n >= 1 && n <= maxLineKey // line keys L1..
	}
	return len(k) == 1 && k[0] >= '0' && k[0] <= '9'
}

// press carries out one key; s.mu is held.
func (s *Sim) press(k string) {
	s.keys = append(s.keys, k)
	name, id, perCall := strings.Cut(k, ":")
	if perCall {
		c := s.calls.Get(id)
		if c == nil {
			return // the phone ignores ids it does not know
		}
		switch {
		case name == "ASW" && c.State == phonesim.Ringing:
			c.State = phonesim.Connected
		case name == "CANCEL":
			s.calls.Delete(id)
		case name == "HOLD" && c.State == phonesim.Connected:
			c.State = phonesim.Held
		case name == "UNHOLD" && c.State == phonesim.Held:
			c.State = phonesim.Connected
		}
		return
	}
	switch k {
	case "ASW", "OK":
		if c := s.first(phonesim.Ringing); c != nil {
			c.State = phonesim.Connected
		}
	case "CALLEND", "CallEnd", "X":
		if c := s.first(phonesim.Connected, phonesim.Ringing); c != nil {
			s.calls.Delete(c.ID)
		}
	case "F_HOLD", "HOLD":
		if c := s.first(phonesim.Connected); c != nil {
			c.State = phonesim.Held
		} else if c := s.first(phonesim.Held); c != nil && k == "F_HOLD" {
			c.State = phonesim.Connected
		}
	case "F_TRANSFER":
		if s.transfer == nil {
			s.transfer = &strings.Builder{}
			return
		}
		target := s.transfer.String()
		s.transfer = nil
		if c := s.first(phonesim.Connected); c != nil && target != "" {
			s.calls.Delete(c.ID)
			s.transferred = append(s.transferred, target)
		}
	default:
		digit := map[string]string{"STAR": "*", "POUND": "#"}[k]
		if digit == "" && len(k) == 1 {
			digit = k
		}
		switch {
		case digit == "":
		case s.transfer != nil:
			s.transfer.WriteString(digit)
		case s.first(phonesim.Connected) != nil:
			s.dtmf.WriteString(digit)
		}
	}
}

// first returns the oldest call in one of the states.
func (s *Sim) first(states ...phonesim.CallState) *SimCall {
	return s.calls.Find(func(c *SimCall) bool { return slices.Contains(states, c.State) })
}

// allowed applies the Action URI Allow IP List to the client's address.
func (s *Sim) allowed(remote string) bool {
	if s.opts.AllowIPs == nil {
		return true
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return false
	}
	for _, pat := range s.opts.AllowIPs {
		if strings.EqualFold(pat, "any") || matchIP(pat, host) {
			return true
		}
	}
	return false
}

// matchIP matches an address against a pattern whose octets may be "*".
func matchIP(pat, ip string) bool {
	p, a := strings.Split(pat, "."), strings.Split(ip, ".")
	if len(p) != 4 || len(a) != 4 {
		return pat == ip
	}
	for i := range p {
		if p[i] != "*" && p[i] != a[i] {
			return false
		}
	}
	return true
}

// Simulated starts a simulated Yealink phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: user, Password: password}})
}
