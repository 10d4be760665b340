// Package sip drives any SIP desk phone over SIP itself, for phones whose
// HTTP remote control is switched off or missing. A dial calls the phone
// with the auto-answer headers desk phones honour from a trusted sender
// (Snom's Alert-Info, the Call-Info answer-after=0 of Yealink, Polycom,
// Grandstream and Fanvil); once the phone has answered, a REFER sends it to
// the number, which it then calls from its own line through its own PBX.
// Answer, hold and resume are the NOTIFY events talk and hold that
// Broadsoft defined and Snom phones, among others, accept; the phone's calls
// reach dialbridge through a subscription to its dialog state (RFC 4235).
package sip

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Brand is this driver's name in the config file.
const Brand = "sip"

// The auto-answer headers of a dial: Snom's (with an address that is never
// fetched, as Snom documents it) and the Call-Info form the other brands use.
const (
	alertInfo          = "<http://www.notused.com>;info=alert-autoanswer;delay=0"
	callInfoAnswerFmt  = "<sip:%s>;answer-after=0"
	defaultTimeout     = 10 * time.Second
	defaultFollowLimit = 2 * time.Minute
)

// Driver controls a phone over SIP. Every operation opens its own socket
// for as long as its exchange lasts, so it holds no state and is safe for
// concurrent use.
type Driver struct {
	phone.Unsupported
	target   target
	address  string
	domain   string
	username string
	password string
	// timeout bounds each answer the driver waits for, including the
	// phone's automatic answer to a dial.
	timeout time.Duration
	// follow bounds how long a dial keeps following the referred call
	// before it ends its own call to the phone.
	follow time.Duration
}

// Open returns a driver for the phone in s: s.Address is its SIP URI,
// s.SIPDomain where its referred calls go, s.Username and s.Password the
// Digest credentials if it challenges.
func Open(s phone.Settings) (phone.Driver, error) {
	t, err := parseAddress(s.Address)
	if err != nil {
		return nil, err
	}
	if err := checkDomain(s.SIPDomain); err != nil {
		return nil, err
	}
	d := &Driver{Unsupported: phone.Unsupported{BrandName: Brand}, target: t, address: s.Address,
		domain: s.SIPDomain, username: s.Username, password: s.Password, timeout: s.Timeout, follow: defaultFollowLimit}
	if d.timeout <= 0 {
		d.timeout = defaultTimeout
	}
	return d, nil
}

// Descriptor tells the registry (phone/brands) how to drive phones over
// SIP. Their calls reach dialbridge through the driver's dialog
// subscription (Watch), not through action URLs, so there is no event
// format here.
func Descriptor() phone.Brand {
	return phone.Brand{Name: Brand, Open: Open, Check: Check,
		NoEventURLs: "a phone paired by SIP has no URLs to enter: dialbridge learns of its calls by subscribing to its dialog state"}
}

// Check names what is wrong with the [phone] settings for a SIP phone:
// the address must be a SIP URI, and a dial needs the PBX's domain.
func Check(s phone.Settings) map[string]string {
	out := map[string]string{}
	if _, err := parseAddress(s.Address); err != nil {
		out["phone.address"] = err.Error()
	}
	if s.SIPDomain == "" {
		out["phone.sip_domain"] = "is empty; set the domain of the PBX the phone is registered with, e.g. \"pbx.example\""
	} else if err := checkDomain(s.SIPDomain); err != nil {
		out["phone.sip_domain"] = err.Error()
	}
	return out
}

// checkDomain accepts a host or host:port, the part of a SIP URI after the
// '@'. It goes into the REFER's Refer-To header, so nothing else may.
func checkDomain(d string) error {
	if d == "" {
		return nil
	}
	var u gosip.Uri
	bad := strings.ContainsAny(d, "@;?<>\"' \t\r\n,")
	if bad || gosip.ParseUri("sip:x@"+d, &u) != nil || u.Host == "" {
		return fmt.Errorf("%q is not a domain like \"pbx.example\" or \"192.0.2.1:5060\"", d)
	}
	return nil
}

// Brand returns "sip".
func (d *Driver) Brand() string { return Brand }

// Capabilities: dial, and answer, hold and resume by NOTIFY. Hanging up
// and DTMF would need the phone's own call, which SIP does not reach.
func (d *Driver) Capabilities() phone.Capability {
	return phone.CanDial | phone.CanAnswer | phone.CanHold | phone.CanResume
}

// Answer sends NOTIFY Event: talk, which takes the phone off hook.
func (d *Driver) Answer(ctx context.Context, _ string) error {
	return d.event(ctx, "answer a call", "talk")
}

// Hold sends NOTIFY Event: hold; the phone holds the call itself.
func (d *Driver) Hold(ctx context.Context, _ string) error {
	return d.event(ctx, "put a call on hold", "hold")
}

// Resume sends NOTIFY Event: talk again: on a held call the event takes
// the phone back to talking, which is how Broadsoft resumes a call.
func (d *Driver) Resume(ctx context.Context, _ string) error {
	return d.event(ctx, "resume a held call", "talk")
}

func (d *Driver) event(ctx context.Context, op, event string) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	l, err := openLink(ctx, d.target, nil)
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	defer l.close()
	req := l.request(d.target, gosip.NOTIFY)
	req.AppendHeader(gosip.NewHeader("Event", event))
	req.AppendHeader(gosip.NewHeader("Subscription-State", "active"))
	res, err := d.do(ctx, l, req)
	if err != nil {
		return d.err(phone.ErrUnreachable, op, err)
	}
	switch {
	case res.IsSuccess():
		return nil
	case res.StatusCode == gosip.StatusCallTransactionDoesNotExists:
		return &phone.Error{Kind: phone.ErrNoSuchCall, Brand: Brand, Address: d.address, Op: op}
	case res.StatusCode == 489 || res.StatusCode == gosip.StatusNotImplemented || res.StatusCode == gosip.StatusMethodNotAllowed:
		return d.refused(op, res, "the phone does not take the NOTIFY event "+event+"; allow remote control by SIP NOTIFY (talk and hold events) on the phone")
	}
	return d.answerErr(op, res)
}

// do sends an out-of-dialog request and answers a Digest challenge once
// when there is a password to answer it with.
func (d *Driver) do(ctx context.Context, l *link, req *gosip.Request) (*gosip.Response, error) {
	res, err := l.client.Do(ctx, req)
	if err != nil {
		return nil, noAnswer(ctx, err)
	}
	if challenged(res) && d.password != "" {
		res, err = l.client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: d.user(), Password: d.password})
		if err != nil {
			return nil, noAnswer(ctx, err)
		}
	}
	return res, nil
}

func challenged(res *gosip.Response) bool {
	return res.StatusCode == gosip.StatusUnauthorized || res.StatusCode == gosip.StatusProxyAuthRequired
}

// user is the Digest user name: phone.username, or the phone's own user
// part, which is what phones that challenge usually expect.
func (d *Driver) user() string {
	if d.username != "" {
		return d.username
	}
	return d.target.uri.User
}

// noAnswer says that the phone did not answer in time rather than passing
// on the library's transaction error.
func noAnswer(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, gosip.ErrTransactionTimeout) {
		return phone.Timeout(errNoAnswer)
	}
	return err
}

// answerErr turns a refusal the driver has no better words for into an
// error: a challenge it could not meet, or a status in the detail.
func (d *Driver) answerErr(op string, res *gosip.Response) error {
	if challenged(res) {
		e := &phone.Error{Kind: phone.ErrAuth, Brand: Brand, Address: d.address, Op: op, Detail: status(res)}
		if d.password == "" {
			e.Detail += "; the phone asks for credentials: set phone.username and the phone password"
		}
		return e
	}
	return d.refused(op, res, "")
}

func (d *Driver) refused(op string, res *gosip.Response, hint string) error {
	detail := status(res)
	if hint != "" {
		detail += "; " + hint
	}
	return &phone.Error{Kind: phone.ErrRefused, Brand: Brand, Address: d.address, Op: op, Detail: detail}
}

func (d *Driver) err(kind phone.ErrorKind, op string, err error) error {
	return &phone.Error{Kind: kind, Brand: Brand, Address: d.address, Op: op, Err: err}
}

// status names a SIP answer for a person, e.g. "SIP 486 Busy Here".
func status(res *gosip.Response) string {
	// The reason phrase is the phone's text: one line, limited like every
	// text from outside.
	return fmt.Sprintf("SIP %d %s", res.StatusCode, display.Text(res.Reason, maxDialogText))
}

// referTo is the address the phone is referred to: the dial string as the
// user part ('#' escaped, as a SIP URI needs it) at the PBX's domain.
func (d *Driver) referTo(number string) string {
	return "<sip:" + strings.ReplaceAll(number, "#", "%23") + "@" + d.domain + ">"
}

// validNumber accepts what the dialing rules produce: digits, '*', '#' and a
// leading '+'.
func validNumber(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		if !(r >= '0' && r <= '9' || r == '*' || r == '#' || r == '+' && i == 0) {
			return false
		}
	}
	return true
}

// sdp is an offer desk phones accept: G.711 both ways and telephone-event,
// sendrecv, pointing at a socket that is open while the call lasts. No audio
// is ever sent; the call is over as soon as the phone has been referred.
func sdp(local net.IP, port int) []byte {
	ipv := "IP4"
	if local.To4() == nil {
		ipv = "IP6"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	id := binary.BigEndian.Uint32(b[:]) >> 1
	return fmt.Appendf(nil, "v=0\r\no=dialbridge %d %d IN %s %s\r\ns=dialbridge\r\nc=IN %s %s\r\nt=0 0\r\n"+
		"m=audio %d RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"+
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
		id, id, ipv, local, ipv, local, port)
}
