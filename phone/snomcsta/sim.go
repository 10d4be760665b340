package snomcsta

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Snom phone speaking CSTA over HTTP.
type SimOptions struct {
	phonesim.Options
	// Legacy simulates firmware before 8.7: it wants bare ConnectionIDs and
	// answers in the ed4 shape. Otherwise the phone is firmware 8.7.3 or
	// later: ConnectionIDs wrapped in <callID>, answers in ed5.
	Legacy bool
	// Identities are the user names of the phone's identities; MakeCall's
	// callingDevice must be empty, one of them (optionally as a SIP URI
	// user@host) or its index 1..n. Empty means {"demo"}.
	Identities []string
	// Fire sends the firewall test's request; nil means an HTTP GET with a
	// five-second time-out. Tests pass their own.
	Fire func(ctx context.Context, url string) error
}

// SimCall is one call on the simulated phone.
type SimCall struct {
	// ID is the call's $csta_id, e.g. "-3".
	ID       string
	Remote   string
	Identity string
	State    phonesim.CallState
}

// Sim is a simulated Snom phone taking CSTA requests at /csta. It is strict
// where the phone is: another path is 404, another method 405, a body that
// is not a SOAP envelope with one CSTA request is 400, and a request the
// phone cannot carry out is a 500 with the SOAP fault of its firmware.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu       sync.Mutex
	calls    *phonesim.Calls[SimCall]
	settings map[string]string
	pushed   []string
	fired    []string
	requests []string
}

// StartSim starts a simulated CSTA phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("snom D865")
	if len(opts.Identities) == 0 {
		opts.Identities = []string{"demo"}
	}
	if opts.Fire == nil {
		opts.Fire = httpFire
	}
	// Snom's ids are small negative numbers: -1, -2, ...
	newID := func(n int) string { return strconv.Itoa(-n) }
	s := &Sim{opts: opts, calls: phonesim.NewCalls[SimCall](newID), settings: map[string]string{}}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

func httpFire(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// Ring makes a call from remote ring on the phone and returns its $csta_id,
// as the phone's action URL would report it.
func (s *Sim) Ring(remote string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCall(remote, s.opts.Identities[0], phonesim.Ringing)
}

// Connect puts a call from remote on the phone that is already answered,
// and returns its $csta_id.
func (s *Sim) Connect(remote string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCall(remote, s.opts.Identities[0], phonesim.Connected)
}

func (s *Sim) addCall(remote, identity string, st phonesim.CallState) string {
	return s.calls.Add(func(id string) SimCall { return SimCall{ID: id, Remote: remote, Identity: identity, State: st} })
}

// Calls returns the calls on the phone, ordered by id, newest first.
func (s *Sim) Calls() []SimCall {
	calls := phonesim.Locked(&s.mu, s.calls.List)
	slices.Reverse(calls)
	return calls
}

// Settings returns a copy of the settings SetSettings changed.
func (s *Sim) Settings() map[string]string {
	return phonesim.Locked(&s.mu, func() map[string]string { return maps.Clone(s.settings) })
}

// Pushed returns every document XmlPush showed.
func (s *Sim) Pushed() []string { return phonesim.Snapshot(&s.mu, &s.pushed) }

// Fired returns the URLs the firewall test requested.
func (s *Sim) Fired() []string { return phonesim.Snapshot(&s.mu, &s.fired) }

// Handled returns the names of the CSTA requests the phone carried out.
func (s *Sim) Handled() []string { return phonesim.Snapshot(&s.mu, &s.requests) }

// node is any XML element, for reading requests without a schema.
type node struct {
	XMLName xml.Name
	Nodes   []node `xml:",any"`
	Text    string `xml:",chardata"`
}

func (n *node) child(local string) *node {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == local {
			return &n.Nodes[i]
		}
	}
	return nil
}

// errCode is a CSTA operation error the simulated phone answers with.
type errCode string

const (
	errInvalidCallID   errCode = "invalidCallID"
	errIncompatible    errCode = "requestIncompatibleWithObject"
	errCallingDevice   errCode = "invalidCallingDevice"
	errCalledDevice    errCode = "invalidCalledDevice"
	errValueOutOfRange errCode = "valueOutOfRange"
	errInvalidFeature  errCode = "invalidFeature"
)

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, r.URL.Path == Path, http.MethodPost) {
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		http.Error(w, "Content-Type must be text/xml", http.StatusBadRequest)
		return
	}
	var env node
	if err := xml.NewDecoder(r.Body).Decode(&env); err != nil {
		http.Error(w, "Bad Request: "+err.Error(), http.StatusBadRequest)
		return
	}
	body := env.child("Body")
	if env.XMLName.Space != soapNS || env.XMLName.Local != "Envelope" || body == nil || len(body.Nodes) != 1 {
		http.Error(w, "Bad Request: expected a SOAP envelope with one request", http.StatusBadRequest)
		return
	}
	req := &body.Nodes[0]
	if req.XMLName.Space != cstaNS && req.XMLName.Space != ed5NS {
		http.Error(w, "Bad Request: the request is not in the CSTA name space", http.StatusBadRequest)
		return
	}
	name := req.XMLName.Local
	s.mu.Lock()
	code := s.handle(name, req)
	if code == "" {
		s.requests = append(s.requests, name)
	}
	fire := ""
	if name == "FireTest" && code == "" {
		fire = s.settings["action_fwtest_url"]
	}
	s.mu.Unlock()
	if fire != "" {
		err := s.opts.Fire(r.Context(), fire)
		s.mu.Lock()
		if err == nil {
			s.fired = append(s.fired, fire)
		}
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/xml")
	if code != "" {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(s.faultBody(code))
		return
	}
	_, _ = w.Write(s.responseBody(name))
}

// handle carries out one request; it returns the CSTA error, or "".
// s.mu is held.
func (s *Sim) handle(name string, req *node) errCode {
	switch name {
	case "MakeCall":
		from, to := text(req, "callingDevice"), text(req, "calledDirectoryNumber")
		id, ok := s.identity(from)
		if !ok {
			return errCallingDevice
		}
		if to == "" {
			return errCalledDevice
		}
		s.addCall(to, id, phonesim.Connected)
	case "AnswerCall":
		return s.transition(req, "callToBeAnswered", phonesim.Ringing, phonesim.Connected)
	case "HoldCall":
		return s.transition(req, "callToBeHeld", phonesim.Connected, phonesim.Held)
	case "RetrieveCall":
		return s.transition(req, "callToBeRetrieved", phonesim.Held, phonesim.Connected)
	case "ClearConnection", "ClearCall":
		field := map[string]string{"ClearConnection": "connectionToBeCleared", "ClearCall": "callToBeCleared"}[name]
		c, code := s.call(req, field)
		if code != "" {
			return code
		}
		s.calls.Delete(c.ID)
	case "SingleStepTransferCall":
		c, code := s.call(req, "activeCall")
		if code != "" {
			return code
		}
		if text(req, "transferredTo") == "" {
			return errCalledDevice
		}
		if c.State != phonesim.Connected && c.State != phonesim.Held {
			return errIncompatible
		}
		s.calls.Delete(c.ID)
	case "TransferCall":
		held, code := s.call(req, "heldCall")
		if code != "" {
			return code
		}
		active, code := s.call(req, "activeCall")
		if code != "" {
			return code
		}
		if held.State != phonesim.Held || active.State != phonesim.Connected {
			return errIncompatible
		}
		s.calls.Delete(held.ID)
		s.calls.Delete(active.ID)
	case "SetSettings":
		n := 0
		for _, st := range req.Nodes {
			if st.XMLName.Local != "Setting" {
				continue
			}
			key := text(&st, "name")
			if key == "" {
				return errValueOutOfRange
			}
			s.settings[key] = text(&st, "value")
			n++
		}
		if n == 0 {
			return errValueOutOfRange
		}
	case "XmlPush":
		doc := text(req, "document")
		if doc == "" {
			return errValueOutOfRange
		}
		s.pushed = append(s.pushed, doc)
	case "FireTest":
	default:
		return errInvalidFeature
	}
	return ""
}

// identity resolves MakeCall's callingDevice the way the phone does: empty
// is the active (first) identity, otherwise a user name, a SIP URI whose
// user part is one, or an index from 1.
func (s *Sim) identity(dev string) (string, bool) {
	ids := s.opts.Identities
	if dev == "" {
		return ids[0], true
	}
	user := strings.TrimPrefix(dev, "sip:")
	user, _, _ = strings.Cut(user, "@")
	for _, id := range ids {
		if id == user {
			return id, true
		}
	}
	if n, err := strconv.Atoi(dev); err == nil && n >= 1 && n <= len(ids) {
		return ids[n-1], true
	}
	return "", false
}

func (s *Sim) transition(req *node, field string, from, to phonesim.CallState) errCode {
	c, code := s.call(req, field)
	if code != "" {
		return code
	}
	if c.State != from {
		return errIncompatible
	}
	c.State = to
	return ""
}

// call finds the call a ConnectionID names, in the shape this firmware
// expects: firmware 8.7.3 reads <callID> inside it, older firmware the bare
// value. The other shape names no call the phone knows.
func (s *Sim) call(req *node, field string) (*SimCall, errCode) {
	f := req.child(field)
	if f == nil {
		return nil, errInvalidCallID
	}
	var id string
	switch inner := f.child("callID"); {
	case s.opts.Legacy && inner == nil && len(f.Nodes) == 0:
		id = strings.TrimSpace(f.Text)
	case !s.opts.Legacy && inner != nil:
		id = strings.TrimSpace(inner.Text)
	default:
		return nil, errInvalidCallID
	}
	c := s.calls.Get(id)
	if c == nil {
		return nil, errInvalidCallID
	}
	return c, ""
}

func text(n *node, field string) string {
	if f := n.child(field); f != nil {
		return strings.TrimSpace(f.Text)
	}
	return ""
}

// responseBody is the success answer in the shape of the firmware: ed5 with a
// header since 8.7.3, ed4 before 8.7, as the Snom wiki's "Remote phone
// control" page shows them.
func (s *Sim) responseBody(name string) []byte {
	var b bytes.Buffer
	if s.opts.Legacy {
		fmt.Fprintf(&b, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=%q xmlns:csta=%q>\n<SOAP-ENV:Body>\n"+
			"<csta:%sResponse></csta:%sResponse>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n", soapNS, cstaNS, name, name)
		return b.Bytes()
	}
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=%q>\n"+
		"<SOAP-ENV:Header/>\n<SOAP-ENV:Body>\n<csta:%sResponse xmlns:csta=%q/>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n",
		soapNS, name, ed5NS)
	return b.Bytes()
}

// faultBody is the 500 answer. Firmware before 8.7 spells some error values
// in words ("Invalid CallID").
func (s *Sim) faultBody(code errCode) []byte {
	var b bytes.Buffer
	if s.opts.Legacy {
		v := string(code)
		if code == errInvalidCallID {
			v = "Invalid CallID"
		}
		fmt.Fprintf(&b, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=%q xmlns:csta=%q>\n<SOAP-ENV:Body>\n<SOAP-ENV:Fault>\n"+
			"<SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode>\n<SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring>\n"+
			"<SOAP-ENV:detail>\n<csta:CSTAErrorCode xmlns:csta=%q>\n<csta:operation>%s</csta:operation>\n"+
			"</csta:CSTAErrorCode>\n</SOAP-ENV:detail>\n</SOAP-ENV:Fault>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n",
			soapNS, cstaNS, cstaNS, v)
		return b.Bytes()
	}
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=%q>\n"+
		"<SOAP-ENV:Header/>\n<SOAP-ENV:Body>\n<SOAP-ENV:Fault>\n<SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode>\n"+
		"<SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring>\n<SOAP-ENV:detail>\n"+
		"<csta:CSTAErrorCode xmlns:csta=%q>\n<csta:operation>%s</csta:operation>\n</csta:CSTAErrorCode>\n"+
		"</SOAP-ENV:detail>\n</SOAP-ENV:Fault>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n", soapNS, ed5NS, code)
	return b.Bytes()
}

// Simulated starts a simulated Snom (CSTA) phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: password}})
}
