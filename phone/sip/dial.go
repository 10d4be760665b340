package sip

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone"
)

// autoAnswerHint is what to change when the phone rang but did not answer.
const autoAnswerHint = "is auto-answer allowed for calls from this computer (%s)? Allow it on the phone (Snom: Answer After Policy; others: auto-answer by Call-Info/Alert-Info)"

// Dial calls the phone with the auto-answer headers and, once it has
// answered, refers it to sip:NUMBER@sip_domain. It returns once the phone
// has accepted the REFER; following the referred call's progress (the
// NOTIFY sipfrag) and ending dialbridge's own call go on in the background.
func (d *Driver) Dial(ctx context.Context, opts phone.DialOptions) error {
	const op = "dial"
	if !validNumber(opts.Number) {
		return &phone.Error{Kind: phone.ErrNotSupported, Brand: Brand, Op: "dial \"" + opts.Number + "\""}
	}
	if d.domain == "" {
		return &phone.Error{Kind: phone.ErrRefused, Brand: Brand, Address: d.address, Op: op,
			Detail: "phone.sip_domain is empty; set it to the domain of the PBX the phone is registered with"}
	}
	c := &transfer{callID: gosip.GenerateTagN(24) + "@dialbridge", notify: make(chan Status, 8), bye: make(chan struct{})}
	l, err := openLink(ctx, d.target, c.handle)
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	ok := false
	defer func() {
		if !ok {
			l.close()
		}
	}()
	// The socket the offer names: the phone may send audio while the call
	// lasts, and it should land somewhere rather than draw ICMP errors.
	media, err := net.ListenPacket("udp", net.JoinHostPort(l.local.String(), "0"))
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	l.closers = append(l.closers, media.Close)

	dua := &sipgo.DialogUA{Client: l.client, ContactHDR: l.contact}
	req := l.request(d.target, gosip.INVITE)
	callID := gosip.CallIDHeader(c.callID)
	req.AppendHeader(&callID)
	req.AppendHeader(gosip.NewHeader("Alert-Info", alertInfo))
	req.AppendHeader(gosip.NewHeader("Call-Info", fmt.Sprintf(callInfoAnswerFmt, l.local)))
	req.AppendHeader(gosip.NewHeader("Allow", "INVITE, ACK, CANCEL, BYE, NOTIFY, REFER"))
	req.AppendHeader(gosip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(sdp(l.local, media.LocalAddr().(*net.UDPAddr).Port))
	sess, err := dua.WriteInvite(ctx, req)
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	defer func() {
		if !ok {
			_ = sess.Close()
		}
	}()

	if err := d.waitAnswer(ctx, sess, l); err != nil {
		return err
	}
	if err := sess.Ack(ctx); err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	refer := gosip.NewRequest(gosip.REFER, remoteTarget(sess, d.target))
	refer.AppendHeader(gosip.NewHeader("Refer-To", d.referTo(opts.Number)))
	refer.AppendHeader(gosip.NewHeader("Referred-By", "<"+l.contact.Address.String()+">"))
	rctx, cancel := context.WithTimeout(ctx, d.timeout)
	res, err := sess.Do(rctx, refer)
	if err == nil && challenged(res) && d.password != "" {
		res, err = l.client.DoDigestAuth(rctx, refer, res, sipgo.DigestAuth{Username: d.user(), Password: d.password})
	}
	cancel()
	if err != nil {
		d.hangUp(sess)
		return d.err(phone.ErrUnreachable, "take the transfer (REFER) to "+opts.Number, noAnswer(rctx, err))
	}
	if !res.IsSuccess() {
		d.hangUp(sess)
		return d.answerErr("take the transfer (REFER) to "+opts.Number, res)
	}
	ok = true
	go d.followReferral(c, sess, l)
	return nil
}

// waitAnswer waits for the phone to answer dialbridge's call on its own,
// for at most the driver's timeout. A phone that rang is sent a CANCEL; one
// that never answered at all is given up on at once, without waiting for
// the library's own 32-second transaction timeout.
func (d *Driver) waitAnswer(ctx context.Context, sess *sipgo.DialogClientSession, l *link) error {
	const op = "answer dialbridge's call automatically"
	var mu sync.Mutex
	rang := false
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(d.timeout, func() {
		mu.Lock()
		defer mu.Unlock()
		if rang {
			cancel(context.DeadlineExceeded)
		} else {
			cancel(sipgo.WaitAnswerForceCancelErr)
		}
	})
	defer timer.Stop()
	err := sess.WaitAnswer(actx, sipgo.AnswerOptions{Username: d.user(), Password: d.password,
		OnResponse: func(res *gosip.Response) error {
			mu.Lock()
			rang = rang || res.StatusCode > 100
			mu.Unlock()
			return nil
		}})
	if err == nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	var rejected *sipgo.ErrDialogResponse
	switch {
	case errors.As(err, &rejected):
		if challenged(rejected.Res) {
			return d.answerErr(op, rejected.Res)
		}
		return d.refused(op, rejected.Res, fmt.Sprintf(autoAnswerHint, l.local))
	case rang:
		return &phone.Error{Kind: phone.ErrRefused, Brand: Brand, Address: d.address, Op: op,
			Detail: "it rang but did not answer; " + fmt.Sprintf(autoAnswerHint, l.local)}
	case actx.Err() != nil:
		return d.err(phone.ErrUnreachable, op, phone.Timeout(errNoAnswer))
	}
	return d.err(phone.ErrUnreachable, op, err)
}

// remoteTarget is where in-dialog requests go: the Contact the phone
// answered with, or its configured address.
func remoteTarget(sess *sipgo.DialogClientSession, t target) gosip.Uri {
	if c := sess.InviteResponse.Contact(); c != nil {
		return c.Address
	}
	return t.uri
}

// followReferral waits for the referred call's outcome (a final sipfrag
// status), for the phone to end dialbridge's call itself, or for the
// follow limit, and then ends the call and closes the socket.
func (d *Driver) followReferral(c *transfer, sess *sipgo.DialogClientSession, l *link) {
	defer l.close()
	limit := time.NewTimer(d.follow)
	defer limit.Stop()
	for {
		select {
		case st := <-c.notify:
			if !st.Final() {
				continue
			}
		case <-c.bye:
			_ = sess.Close()
			return
		case <-limit.C:
		}
		d.hangUp(sess)
		return
	}
}

// hangUp ends dialbridge's call to the phone.
func (d *Driver) hangUp(sess *sipgo.DialogClientSession) {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	_ = sess.Bye(ctx)
	_ = sess.Close()
}

// transfer is what one dial hears from the phone: the NOTIFYs of its
// REFER and the phone's BYE.
type transfer struct {
	callID  string
	notify  chan Status
	bye     chan struct{}
	byeOnce sync.Once
}

func (c *transfer) handle(srv *sipgo.Server) {
	srv.OnNotify(func(req *gosip.Request, tx gosip.ServerTransaction) {
		if !c.ours(req) {
			_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist", nil))
			return
		}
		st, err := ParseSipfrag(req.Body())
		if err != nil {
			_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusBadRequest, "Bad Request", nil))
			return
		}
		_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusOK, "OK", nil))
		select {
		case c.notify <- st:
		default: // only the final status matters; it comes last
		}
	})
	srv.OnBye(func(req *gosip.Request, tx gosip.ServerTransaction) {
		if !c.ours(req) {
			_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist", nil))
			return
		}
		_ = tx.Respond(gosip.NewResponseFromRequest(req, gosip.StatusOK, "OK", nil))
		c.byeOnce.Do(func() { close(c.bye) })
	})
}

// ours reports whether req belongs to this dial's call.
func (c *transfer) ours(req *gosip.Request) bool {
	id := req.CallID()
	return id != nil && c.callID != "" && string(*id) == c.callID
}
