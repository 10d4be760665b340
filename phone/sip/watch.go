package sip

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// subscribeExpires is how long a dialog subscription lasts; it is renewed
// well before that.
const subscribeExpires = 600 * time.Second

// unsubscribeWait bounds the wait for the phone's answer to the end of a
// subscription.
const unsubscribeWait = 2 * time.Second

// Watch subscribes to the phone's dialog state (RFC 4235, Event: dialog)
// and hands the calls it reports to sink as phone events, until ctx ends
// (nil) or the phone refuses or stops answering (an error). The
// subscription is a SIP dialog of its own: its socket stays open while it
// lasts and, like every other, reads SIP only from the phone's address.
func (d *Driver) Watch(ctx context.Context, sink func(phone.Event)) error {
	const op = "report its calls (SUBSCRIBE to the dialog event)"
	sub := &subscription{callID: gosip.GenerateTagN(24) + "@dialbridge", fromTag: gosip.GenerateTagN(16), sink: sink}
	l, err := openLink(ctx, d.target, sub.handle)
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	defer l.close()
	expires := subscribeExpires
	for {
		res, err := d.subscribe(ctx, l, sub, expires)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return d.err(phone.ErrUnreachable, op, err)
		}
		if !res.IsSuccess() {
			if res.StatusCode == 489 || res.StatusCode == gosip.StatusNotImplemented || res.StatusCode == gosip.StatusMethodNotAllowed {
				return d.refused(op, res, "the phone does not offer its dialog state")
			}
			return d.answerErr(op, res)
		}
		expires = grantedExpires(res, subscribeExpires)
		select {
		case <-ctx.Done():
			// Ending the subscription is a courtesy; it must not hold up
			// dialbridge's shutdown when the phone is gone.
			end, cancel := context.WithTimeout(context.Background(), min(d.timeout, unsubscribeWait))
			_, _ = d.subscribe(end, l, sub, 0)
			cancel()
			return nil
		case <-time.After(expires * 3 / 4):
		}
	}
}

// grantedExpires is the subscription time the phone granted.
func grantedExpires(res *gosip.Response, asked time.Duration) time.Duration {
	if h := res.GetHeader("Expires"); h != nil {
		if n, err := strconv.Atoi(h.Value()); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return asked
}

// subscribe sends the subscription's SUBSCRIBE: the first creates it, the
// later ones (same Call-ID and tags, next CSeq) renew it, and expires 0 ends it.
func (d *Driver) subscribe(ctx context.Context, l *link, sub *subscription, expires time.Duration) (*gosip.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req := l.request(d.target, gosip.SUBSCRIBE)
	sub.mu.Lock()
	sub.cseq++
	from := &gosip.FromHeader{DisplayName: headerName("dialbridge"), Address: gosip.Uri{Scheme: "sip", User: "dialbridge", Host: l.local.String()}, Params: gosip.NewParams()}
	from.Params.Add("tag", sub.fromTag)
	to := &gosip.ToHeader{Address: gosip.Uri{Scheme: "sip", User: d.target.uri.User, Host: d.target.uri.Host}, Params: gosip.NewParams()}
	if sub.toTag != "" {
		to.Params.Add("tag", sub.toTag)
	}
	callID := gosip.CallIDHeader(sub.callID)
	req.AppendHeader(from)
	req.AppendHeader(to)
	req.AppendHeader(&callID)
	req.AppendHeader(&gosip.CSeqHeader{SeqNo: sub.cseq, MethodName: gosip.SUBSCRIBE})
	sub.mu.Unlock()
	req.AppendHeader(gosip.NewHeader("Event", "dialog"))
	req.AppendHeader(gosip.NewHeader("Accept", "application/dialog-info+xml"))
	req.AppendHeader(gosip.NewHeader("Expires", strconv.Itoa(int(expires/time.Second))))
	res, err := d.do(ctx, l, req)
	if err != nil {
		return nil, err
	}
	if res.IsSuccess() {
		sub.mu.Lock()
		sub.cseq = req.CSeq().SeqNo // a Digest retry counted one up
		if tag, ok := res.To().Params.Get("tag"); ok && sub.toTag == "" {
			sub.toTag = tag
		}
		sub.mu.Unlock()
	}
	return res, nil
}

// subscription is one dialog subscription: its dialog's ids and what the
// phone reported so far.
type subscription struct {
	callID, fromTag string
	sink            func(phone.Event)

	mu    sync.Mutex
	toTag string
	cseq  uint32
	watch dialogWatch
}

func (s *subscription) handle(srv *sipgo.Server) {
	srv.OnNotify(func(req *gosip.Request, tx gosip.ServerTransaction) {
		if id := req.CallID(); id == nil || string(*id) != s.callID {
			respond(tx, req, gosip.StatusCallTransactionDoesNotExists, "Call/Transaction Does Not Exist")
			return
		}
		if len(req.Body()) == 0 { // a phone may notify without a body at first
			respond(tx, req, gosip.StatusOK, "OK")
			return
		}
		info, err := ParseDialogInfo(req.Body())
		if err != nil {
			respond(tx, req, gosip.StatusBadRequest, "Bad Request")
			return
		}
		respond(tx, req, gosip.StatusOK, "OK")
		// One NOTIFY at a time, so that the tracker hears a call's events
		// in the order the phone reported them.
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, ev := range s.watch.events(info) {
			s.sink(ev)
		}
	})
}

// headerName is a display name for a FromHeader or ToHeader. sipgo writes
// DisplayName between quotes as it is, so it gets the inside of
// display.SIPDisplayName's quoted-string: every name in a SIP header is
// escaped one way, and none can end its string or start a header.
func headerName(name string) string {
	q := display.SIPDisplayName(name)
	return q[1 : len(q)-1]
}
