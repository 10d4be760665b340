package sip

import (
	"fmt"
	"strconv"

	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// onSubscribe takes dialbridge's subscription to the dialog state of the
// phone's line (RFC 4235): 200 with the granted time, then a full
// dialog-info document now and after every change of the line.
func (s *Sim) onSubscribe(req *gosip.Request, tx gosip.ServerTransaction) {
	id := string(*req.CallID())
	s.mu.Lock()
	sub := s.subs[id]
	s.mu.Unlock()
	if sub == nil && !s.authorized(req, tx) {
		return
	}
	s.record(req)
	if ev := req.GetHeader("Event"); ev == nil || ev.Value() != "dialog" || s.opts.NoEvents {
		respond(tx, req, 489, "Bad Event")
		return
	}
	expires := 600
	if h := req.GetHeader("Expires"); h != nil {
		if n, err := strconv.Atoi(h.Value()); err == nil && n < expires {
			expires = n
		}
	}
	res := gosip.NewResponseFromRequest(req, gosip.StatusOK, "OK", nil)
	res.AppendHeader(gosip.NewHeader("Expires", strconv.Itoa(expires)))
	res.AppendHeader(&gosip.ContactHeader{Address: s.uri})
	s.mu.Lock()
	switch {
	case expires == 0:
		delete(s.subs, id)
	case sub == nil:
		sub = &simDialog{req: req, tag: gosip.GenerateTagN(10)}
		s.subs[id] = sub
	}
	s.mu.Unlock()
	if sub != nil {
		if _, ok := res.To().Params.Get("tag"); !ok {
			res.To().Params.Add("tag", sub.tag)
		}
	}
	_ = tx.Respond(res)
	if expires > 0 && sub != nil {
		s.publish()
	}
}

// publish sends every subscriber the line's state as a full dialog-info
// document: the call on the line (an incoming one, as Ring makes it) in
// state early while it rings and confirmed once answered, its media not
// rendered (+sip.rendering "no") while held.
func (s *Sim) publish() {
	s.mu.Lock()
	s.docNo++
	dialogs := ""
	if state := map[phonesim.CallState]string{phonesim.Ringing: "early", phonesim.Connected: "confirmed", phonesim.Held: "confirmed"}[s.line]; state != "" {
		rendering := "yes"
		if s.line == phonesim.Held {
			rendering = "no"
		}
		dialogs = fmt.Sprintf(`<dialog id="line1-%d" direction="recipient"><state>%s</state>`+
			`<local><identity>%s</identity><target uri="%[3]s"><param pname="+sip.rendering" pvalue="%s"/></target></local>`+
			`<remote><identity display="Simulated caller">sip:200@%s</identity></remote></dialog>`,
			s.lineNo, state, s.uri.String(), rendering, s.uri.Host)
	}
	doc := fmt.Sprintf(`<?xml version="1.0"?>`+"\n"+`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="%d" state="full" entity="%s">%s</dialog-info>`,
		s.docNo, s.uri.String(), dialogs)
	subs := make([]*simDialog, 0, len(s.subs))
	for _, sub := range s.subs {
		subs = append(subs, sub)
	}
	s.mu.Unlock()
	for _, sub := range subs {
		s.notifyIn(sub, "dialog", "active", "application/dialog-info+xml", doc)
	}
}
