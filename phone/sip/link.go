package sip

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	gosip "github.com/emiago/sipgo/sip"
)

// target is the phone as the config names it: phone.address, a SIP URI
// such as sip:101@192.0.2.10:5060 (;transport=tcp for TCP).
type target struct {
	uri       gosip.Uri
	transport string // "udp" or "tcp"
}

// parseAddress reads phone.address. Only sip: URIs over UDP or TCP are
// taken: TLS would need the phone's certificate, and a bare host leaves
// the transport to guesswork.
func parseAddress(addr string) (target, error) {
	if !strings.HasPrefix(strings.ToLower(addr), "sip:") {
		return target{}, fmt.Errorf("%q is not a SIP address; write it as sip:101@192.0.2.10:5060", addr)
	}
	var u gosip.Uri
	if err := gosip.ParseUri(addr, &u); err != nil || u.Host == "" {
		return target{}, fmt.Errorf("%q is not a SIP address like sip:101@192.0.2.10:5060", addr)
	}
	t := target{uri: gosip.Uri{Scheme: "sip", User: u.User, Host: u.Host, Port: u.Port}, transport: "udp"}
	if tr, ok := u.UriParams.Get("transport"); ok {
		switch strings.ToLower(tr) {
		case "udp":
		case "tcp":
			t.transport = "tcp"
			t.uri.UriParams = gosip.NewParams()
			t.uri.UriParams.Add("transport", "tcp")
		default:
			return target{}, fmt.Errorf("%q: transport %q is not supported (udp or tcp)", addr, tr)
		}
	}
	if t.uri.Port == 0 {
		t.uri.Port = 5060
	}
	return t, nil
}

// hostPort is the phone's host and port.
func (t target) hostPort() string { return net.JoinHostPort(t.uri.Host, strconv.Itoa(t.uri.Port)) }

// link is dialbridge's SIP end for one exchange with the phone: a user agent
// whose socket is open only while the exchange lasts, bound to the address
// on the route to the phone, and that reads SIP from the phone's address
// alone (other senders' packets and connections are dropped unread).
type link struct {
	ua      *sipgo.UserAgent
	client  *sipgo.Client
	contact gosip.ContactHeader
	local   net.IP
	closers []func() error
	once    sync.Once
}

// openLink opens the socket for one exchange with t. handle registers the
// requests the exchange expects from the phone (nil: none).
func openLink(ctx context.Context, t target, handle func(*sipgo.Server)) (_ *link, err error) {
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, t.uri.Host)
	if err != nil {
		return nil, fmt.Errorf("looking up %s: %w", t.uri.Host, err)
	}
	phoneIPs := make([]net.IP, 0, len(ips))
	for _, ip := range ips {
		phoneIPs = append(phoneIPs, ip.IP)
	}
	phoneAddr := net.JoinHostPort(phoneIPs[0].String(), strconv.Itoa(t.uri.Port))
	// A UDP "connection" sends nothing; it only asks the kernel which local
	// address routes to the phone, the one the phone can answer.
	probe, err := net.Dial("udp", phoneAddr)
	if err != nil {
		return nil, err
	}
	local := probe.LocalAddr().(*net.UDPAddr).IP
	_ = probe.Close()

	ua, err := sipgo.NewUA(sipgo.WithUserAgent("dialbridge"), sipgo.WithUserAgentHostname(local.String()))
	if err != nil {
		return nil, err
	}
	l := &link{ua: ua, local: local}
	l.closers = append(l.closers, ua.Close)
	defer func() {
		if err != nil {
			l.close()
		}
	}()
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		return nil, err
	}
	if handle != nil {
		handle(srv)
	}
	allowed := func(a net.Addr) bool {
		host, _, err := net.SplitHostPort(a.String())
		if err != nil {
			return false
		}
		ip := net.ParseIP(host)
		for _, p := range phoneIPs {
			if p.Equal(ip) {
				return true
			}
		}
		return false
	}
	bind := net.JoinHostPort(local.String(), "0")
	var opts []sipgo.ClientOption
	var port int
	switch t.transport {
	case "tcp":
		ln, err := net.Listen("tcp", bind)
		if err != nil {
			return nil, err
		}
		l.closers = append(l.closers, ln.Close)
		port = ln.Addr().(*net.TCPAddr).Port
		go func() { _ = srv.ServeTCP(phoneOnlyListener{Listener: ln, allowed: allowed}) }()
	default:
		pc, err := net.ListenPacket("udp", bind)
		if err != nil {
			return nil, err
		}
		l.closers = append(l.closers, pc.Close)
		port = pc.LocalAddr().(*net.UDPAddr).Port
		go func() { _ = srv.ServeUDP(phoneOnlyPacketConn{PacketConn: pc, allowed: allowed}) }()
		// Requests leave from the socket the phone answers to; wait until
		// the server has registered it, or the client would open another.
		if err := waitConn(ctx, ua, pc.LocalAddr().String()); err != nil {
			return nil, err
		}
		opts = append(opts, sipgo.WithClientConnectionAddr(pc.LocalAddr().String()))
	}
	if l.client, err = sipgo.NewClient(ua, opts...); err != nil {
		return nil, err
	}
	l.contact = gosip.ContactHeader{Address: gosip.Uri{Scheme: "sip", User: "dialbridge", Host: local.String(), Port: port}}
	if t.transport == "tcp" {
		l.contact.Address.UriParams = gosip.NewParams()
		l.contact.Address.UriParams.Add("transport", "tcp")
	}
	return l, nil
}

func waitConn(ctx context.Context, ua *sipgo.UserAgent, addr string) error {
	for {
		if c, _ := ua.TransportLayer().GetConnection("udp", addr); c != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// close ends the exchange: the user agent and every socket it had.
func (l *link) close() {
	l.once.Do(func() {
		for i := len(l.closers) - 1; i >= 0; i-- {
			_ = l.closers[i]()
		}
	})
}

// request makes an out-of-dialog request to the phone from this link.
func (l *link) request(t target, method gosip.RequestMethod) *gosip.Request {
	req := gosip.NewRequest(method, t.uri)
	req.SetTransport(strings.ToUpper(t.transport))
	req.AppendHeader(&l.contact)
	return req
}

// phoneOnlyPacketConn drops every datagram that does not come from the phone.
type phoneOnlyPacketConn struct {
	net.PacketConn
	allowed func(net.Addr) bool
}

func (c phoneOnlyPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, a, err := c.PacketConn.ReadFrom(b)
		if err != nil || c.allowed(a) {
			return n, a, err
		}
	}
}

// phoneOnlyListener closes every connection that does not come from the phone.
type phoneOnlyListener struct {
	net.Listener
	allowed func(net.Addr) bool
}

func (l phoneOnlyListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.allowed(c.RemoteAddr()) {
			return c, err
		}
		_ = c.Close()
	}
}

// errNoAnswer marks a request the phone never answered.
var errNoAnswer = errors.New("no SIP answer")
