package actionurl

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"
)

// connGuard caps the connections the listener holds open at once, and
// makes the cap useless to a slowloris: when it is reached, a new
// connection takes the place of the connection that has been waiting
// longest without a request being worked on (one still dribbling its
// headers or body, or an idle keep-alive). Connections whose request is
// being handled (waiting on the phone or on the person) are never dropped;
// when every slot holds one, the newcomer is answered 503.
//
// A plain semaphore (netutil.LimitListener) would let a client that opens
// the maximum of slow connections starve everyone for as long as the
// header timeout; here that client only ever pushes out its own
// connections, because a legitimate request on loopback completes its
// headers in microseconds and then is busy, not idle.
type connGuard struct {
	max int

	mu    sync.Mutex
	conns map[*guardedConn]struct{}
	tick  uint64 // orders connections by when they became idle
}

func newConnGuard(max int) *connGuard {
	return &connGuard{max: max, conns: map[*guardedConn]struct{}{}}
}

// wrap returns ln with every accepted connection counted against g.
func (g *connGuard) wrap(ln net.Listener) net.Listener { return &guardedListener{Listener: ln, g: g} }

type guardedListener struct {
	net.Listener
	g *connGuard
}

// Accept admits the next connection, turning away the ones there is no
// room for without returning an error (which would stop the server).
func (gl *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := gl.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if gc := gl.g.admit(c); gc != nil {
			return gc, nil
		}
		turnAway(c)
	}
}

// busyText is the answer for a connection there is no room for.
const busyText = "dialbridge is busy with other requests; try again shortly\n"

var busyAnswer = []byte("HTTP/1.1 503 Service Unavailable\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\nRetry-After: 1\r\n" +
	"Content-Length: " + strconv.Itoa(len(busyText)) + "\r\n\r\n" + busyText)

func turnAway(c net.Conn) {
	// A fresh socket's send buffer is empty, so this write does not wait;
	// the deadline is only a guard.
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.Write(busyAnswer)
	_ = c.Close()
}

// admit registers c, dropping the longest-idle connection when the guard is
// full; it returns nil when every connection is busy.
func (g *connGuard) admit(c net.Conn) *guardedConn {
	g.mu.Lock()
	var victim *guardedConn
	if len(g.conns) >= g.max {
		for gc := range g.conns {
			if gc.busy == 0 && (victim == nil || gc.since < victim.since) {
				victim = gc
			}
		}
		if victim == nil {
			g.mu.Unlock()
			return nil
		}
		delete(g.conns, victim)
	}
	gc := &guardedConn{Conn: c, g: g, since: g.tick}
	g.tick++
	g.conns[gc] = struct{}{}
	g.mu.Unlock()
	if victim != nil {
		// The server's goroutine for it sees the read fail and ends.
		_ = victim.Conn.Close()
	}
	return gc
}

// open reports how many connections the guard holds (for tests and logs).
func (g *connGuard) open() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.conns)
}

// guardedConn is a connection counted by a connGuard.
type guardedConn struct {
	net.Conn
	g *connGuard
	// busy counts requests being handled; since is the guard's tick when
	// the connection last became idle. Both are guarded by g.mu.
	busy  int
	since uint64
}

// Close forgets the connection and closes it.
func (c *guardedConn) Close() error {
	c.g.mu.Lock()
	delete(c.g.conns, c)
	c.g.mu.Unlock()
	err := c.Conn.Close()
	if errors.Is(err, net.ErrClosed) {
		// Already closed by the guard to make room.
		return nil
	}
	return err
}

// enter marks a request as being handled: the connection is safe from
// eviction until leave.
func (c *guardedConn) enter() {
	c.g.mu.Lock()
	c.busy++
	c.g.mu.Unlock()
}

func (c *guardedConn) leave() {
	c.g.mu.Lock()
	c.busy--
	if c.busy == 0 {
		c.since = c.g.tick
		c.g.tick++
	}
	c.g.mu.Unlock()
}

type connKey struct{}

// connContext is the http.Server's ConnContext: it lets the handler find
// the guarded connection of a request.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if gc, ok := c.(*guardedConn); ok {
		return context.WithValue(ctx, connKey{}, gc)
	}
	return ctx
}

func connOf(ctx context.Context) *guardedConn {
	gc, _ := ctx.Value(connKey{}).(*guardedConn)
	return gc
}
