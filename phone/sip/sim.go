package sip

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated SIP phone.
type SimOptions struct {
	// Username and Password, when Password is set, make the phone challenge
	// every request that starts an exchange (INVITE, NOTIFY) with Digest.
	Username, Password string
	// NoAutoAnswer makes the phone ring instead of answering a call that
	// asks for auto-answer, as a phone does that does not trust the sender.
	NoAutoAnswer bool
	// NoEvents makes the phone refuse NOTIFY talk and hold (489 Bad Event),
	// as one does that does not announce Allow-Events: talk,hold.
	NoEvents bool
	// ReferStatus, when not zero, is the phone's refusal of every REFER.
	ReferStatus int
}

// Sim is a simulated SIP desk phone on a loopback UDP port with one line.
// It answers a call that carries an auto-answer header (Snom's Alert-Info
// or Call-Info answer-after=0), takes a REFER with 202 and reports the
// referred call in two NOTIFY sipfrags (100 Trying, 200 OK) without placing
// it, and takes the NOTIFY events talk and hold for its line: Ring makes
// the line ring, talk answers a ringing line or resumes a held one, hold
// holds a connected one; anything else is 481, as no call matches.
type Sim struct {
	opts   SimOptions
	digest *phonesim.Digest
	// Recorder keeps every request the phone accepted, its Path the
	// Request-URI and its Header the SIP headers.
	phonesim.Recorder

	ua     *sipgo.UserAgent
	client *sipgo.Client
	conn   net.PacketConn
	uri    gosip.Uri

	mu     sync.Mutex
	line   phonesim.CallState // "" is idle
	dialed []phone.DialOptions
	calls  map[string]*simDialog // dialbridge's calls to the phone, by Call-ID
	lineNo int                   // counts the calls on the line, for their dialog ids
	subs   map[string]*simDialog // dialog subscriptions, by Call-ID
	docNo  int                   // the version of the last dialog-info document
}

// simDialog is a dialog dialbridge started with the phone (a call or a
// subscription), as the phone keeps it to send its NOTIFYs in it: the
// request that started it and the phone's tag.
type simDialog struct {
	req  *gosip.Request
	tag  string
	cseq uint32
}

// StartSim starts a simulated SIP phone on a free loopback UDP port.
func StartSim(opts SimOptions) (*Sim, error) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simulated SIP phone: %w", err)
	}
	addr := conn.LocalAddr().(*net.UDPAddr)
	s := &Sim{opts: opts, conn: conn, calls: map[string]*simDialog{}, subs: map[string]*simDialog{},
		uri:    gosip.Uri{Scheme: "sip", User: "101", Host: addr.IP.String(), Port: addr.Port},
		digest: &phonesim.Digest{Realm: "Simulated SIP phone", Username: opts.Username, Password: opts.Password}}
	if s.ua, err = sipgo.NewUA(sipgo.WithUserAgent("101"), sipgo.WithUserAgentHostname(addr.IP.String())); err != nil {
		_ = conn.Close()
		return nil, err
	}
	srv, err := sipgo.NewServer(s.ua)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	srv.OnInvite(s.onInvite)
	srv.OnAck(func(req *gosip.Request, _ gosip.ServerTransaction) { s.record(req) })
	srv.OnRefer(s.onRefer)
	srv.OnBye(s.onBye)
	srv.OnNotify(s.onNotify)
	srv.OnSubscribe(s.onSubscribe)
	go func() { _ = srv.ServeUDP(conn) }()
	if err := waitConn(context.Background(), s.ua, conn.LocalAddr().String()); err != nil {
		_ = s.Close()
		return nil, err
	}
	if s.client, err = sipgo.NewClient(s.ua, sipgo.WithClientConnectionAddr(conn.LocalAddr().String())); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Simulated starts a simulated SIP phone that challenges with user and
// password, for the registry's simulators.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Username: user, Password: password})
}

// URL is the phone's SIP address, the phone.address that pairs with it.
func (s *Sim) URL() string { return s.uri.String() }

// SimDomain is the PBX domain the simulated phone is paired with; the phone
// takes REFERs to any domain but places no call.
const SimDomain = "pbx.example"

// Complete names the PBX domain in the Settings that pair with the phone,
// since a dial needs one.
func (s *Sim) Complete(st *phone.Settings) { st.SIPDomain = SimDomain }

// Close stops the phone.
func (s *Sim) Close() error {
	err := s.ua.Close()
	_ = s.conn.Close()
	return err
}

// Ring makes the phone's line ring, as an incoming call would.
func (s *Sim) Ring() {
	s.mu.Lock()
	s.line = phonesim.Ringing
	s.lineNo++
	s.mu.Unlock()
	s.publish()
}

// HangUp ends the call on the phone's line, as the person would.
func (s *Sim) HangUp() {
	s.mu.Lock()
	s.line = ""
	s.mu.Unlock()
	s.publish()
}

// Line returns the state of the phone's line: "" when idle.
func (s *Sim) Line() phonesim.CallState {
	return phonesim.Locked(&s.mu, func() phonesim.CallState { return s.line })
}

// Dialed returns every number the phone was referred to, in order.
func (s *Sim) Dialed() []phone.DialOptions { return phonesim.Snapshot(&s.mu, &s.dialed) }

func (s *Sim) record(req *gosip.Request) {
	h := http.Header{}
	for _, hdr := range req.Headers() {
		h.Add(hdr.Name(), hdr.Value())
	}
	s.Record(phonesim.Request{RemoteAddr: req.Source(), Method: req.Method.String(), Path: req.Recipient.String(),
		Header: h, Body: append([]byte(nil), req.Body()...)})
}

// authorized checks the Digest answer of a request that starts an
// exchange, and challenges it when it has none or a wrong one.
func (s *Sim) authorized(req *gosip.Request, tx gosip.ServerTransaction) bool {
	if s.opts.Password == "" {
		return true
	}
	if a := req.GetHeader("Authorization"); a != nil && s.digest.Check(a.Value(), req.Method.String(), req.Recipient.Addr(), req.Body()) {
		return true
	}
	res := gosip.NewResponseFromRequest(req, gosip.StatusUnauthorized, "Unauthorized", nil)
	res.AppendHeader(gosip.NewHeader("WWW-Authenticate", s.digest.Challenge()))
	_ = tx.Respond(res)
	return false
}

func respond(tx gosip.ServerTransaction, req *gosip.Request, code int, reason string) {
	_ = tx.Respond(gosip.NewResponseFromRequest(req, code, reason, nil))
}

// autoAnswer reports whether a call asks to be answered at once, in
// either of the forms desk phones know.
func autoAnswer(req *gosip.Request) bool {
	for _, h := range req.GetHeaders("Alert-Info") {
		if strings.Contains(h.Value(), "info=alert-autoanswer") {
			return true
		}
	}
	for _, h := range req.GetHeaders("Call-Info") {
		if strings.Contains(h.Value(), "answer-after=0") {
			return true
		}
	}
	return false
}

func (s *Sim) onInvite(req *gosip.Request, tx gosip.ServerTransaction) {
	if !s.authorized(req, tx) {
		return
	}
	s.record(req)
	tag := gosip.GenerateTagN(10)
	ringing := gosip.NewResponseFromRequest(req, gosip.StatusRinging, "Ringing", nil)
	ringing.To().Params.Add("tag", tag)
	_ = tx.Respond(ringing)
	if s.opts.NoAutoAnswer || !autoAnswer(req) {
		<-tx.Done() // rings until the caller gives up (CANCEL: 487)
		return
	}
	res := gosip.NewResponseFromRequest(req, gosip.StatusOK, "OK", sdp(net.ParseIP(s.uri.Host), s.uri.Port+2))
	res.To().Params.Add("tag", tag)
	res.AppendHeader(&gosip.ContactHeader{Address: s.uri})
	res.AppendHeader(gosip.NewHeader("Allow-Events", "talk, hold, refer"))
	res.AppendHeader(gosip.NewHeader("Content-Type", "application/sdp"))
	s.mu.Lock()
	s.calls[string(*req.CallID())] = &simDialog{req: req, tag: tag, cseq: 1}
	s.mu.Unlock()
	_ = tx.Respond(res)
}

func (s *Sim) call(req *gosip.Request) *simDialog {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := req.CallID(); id != nil {
		return s.calls[string(*id)]
	}
	return nil
}

func (s *Sim) onBye(req *gosip.Request, tx gosip.ServerTransaction) {
	s.record(req)
	if s.call(req) == nil {
		respond(tx, req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	s.mu.Lock()
	delete(s.calls, string(*req.CallID()))
	s.mu.Unlock()
	respond(tx, req, gosip.StatusOK, "OK")
}

func (s *Sim) onRefer(req *gosip.Request, tx gosip.ServerTransaction) {
	s.record(req)
	c := s.call(req)
	if c == nil {
		respond(tx, req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	if s.opts.ReferStatus != 0 {
		respond(tx, req, s.opts.ReferStatus, "Refused")
		return
	}
	number, ok := referredNumber(req)
	if !ok {
		respond(tx, req, gosip.StatusBadRequest, "Bad Refer-To")
		return
	}
	s.mu.Lock()
	s.dialed = append(s.dialed, phone.DialOptions{Number: number})
	s.mu.Unlock()
	respond(tx, req, gosip.StatusAccepted, "Accepted")
	go func() {
		for _, frag := range []string{"SIP/2.0 100 Trying\r\n", "SIP/2.0 200 OK\r\n"} {
			state := "active"
			if strings.HasPrefix(frag, "SIP/2.0 2") {
				state = "terminated;reason=noresource"
			}
			if !s.notifyIn(c, "refer", state, "message/sipfrag;version=2.0", frag) {
				return
			}
		}
	}()
}

// referredNumber is the user part of the REFER's Refer-To.
func referredNumber(req *gosip.Request) (string, bool) {
	h := req.GetHeader("Refer-To")
	if h == nil {
		return "", false
	}
	var to gosip.Uri
	params := gosip.NewParams()
	if _, err := gosip.ParseAddressValue(h.Value(), &to, &params); err != nil || to.User == "" {
		return "", false
	}
	return strings.ReplaceAll(to.User, "%23", "#"), true
}

// notifyIn sends a NOTIFY in dialog c: for the REFER of a call, or for a
// dialog subscription.
func (s *Sim) notifyIn(c *simDialog, event, state, contentType, body string) bool {
	s.mu.Lock()
	c.cseq++
	cseq := c.cseq
	s.mu.Unlock()
	started := c.req
	req := gosip.NewRequest(gosip.NOTIFY, started.Contact().Address)
	from := &gosip.FromHeader{Address: started.To().Address, Params: gosip.NewParams()}
	from.Params.Add("tag", c.tag)
	to := &gosip.ToHeader{Address: started.From().Address, Params: started.From().Params}
	req.AppendHeader(from)
	req.AppendHeader(to)
	req.AppendHeader(started.CallID())
	req.AppendHeader(&gosip.CSeqHeader{SeqNo: cseq, MethodName: gosip.NOTIFY})
	req.AppendHeader(&gosip.ContactHeader{Address: s.uri})
	req.AppendHeader(gosip.NewHeader("Event", event))
	req.AppendHeader(gosip.NewHeader("Subscription-State", state))
	req.AppendHeader(gosip.NewHeader("Content-Type", contentType))
	req.SetBody([]byte(body))
	res, err := s.client.Do(context.Background(), req)
	return err == nil && res.IsSuccess()
}

// onNotify takes the events talk and hold for the phone's line.
func (s *Sim) onNotify(req *gosip.Request, tx gosip.ServerTransaction) {
	if !s.authorized(req, tx) {
		return
	}
	s.record(req)
	ev := ""
	if h := req.GetHeader("Event"); h != nil {
		ev, _, _ = strings.Cut(strings.TrimSpace(h.Value()), ";")
	}
	if s.opts.NoEvents || (ev != "talk" && ev != "hold") {
		respond(tx, req, 489, "Bad Event")
		return
	}
	s.mu.Lock()
	from, to := s.line, s.line
	switch {
	case ev == "talk" && (from == phonesim.Ringing || from == phonesim.Held):
		to = phonesim.Connected
	case ev == "hold" && from == phonesim.Connected:
		to = phonesim.Held
	}
	s.line = to
	s.mu.Unlock()
	if to == from {
		respond(tx, req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
		return
	}
	respond(tx, req, gosip.StatusOK, "OK")
	s.publish()
}
