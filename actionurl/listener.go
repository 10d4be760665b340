package actionurl

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// Switches are items 1, 3 and 4 of Mia CSTA's action URL settings, under the
// config keys listener.enabled, incoming and make_call.
type Switches struct {
	// Enabled switches action URLs on at all (Mia 1).
	Enabled bool
	// Incoming accepts dial requests (Mia 3).
	Incoming bool
	// MakeCall accepts make_call and its vendor forms (Mia 4).
	MakeCall bool
}

// Limits of the listener; small, because every legitimate request is tiny.
const (
	maxDialBody    = 4 << 10
	maxEventBody   = 64 << 10
	maxHeaderBytes = 8 << 10
)

// Limits bound what clients can hold of the listener: time to send a
// request, time a connection may stay, how many connections are open. The
// zero value of each field means its default.
type Limits struct {
	// MaxConns caps the open connections per socket (default 64); see
	// connGuard for what happens at the cap.
	MaxConns int
	// HeaderTimeout is the time a client has to send its headers
	// (default 5 s); ReadTimeout the time for headers and body (10 s).
	HeaderTimeout, ReadTimeout time.Duration
	// WriteTimeout bounds a whole exchange, long enough for a dial that
	// waits on a slow phone (5 s) or on the person's confirmation (60 s):
	// default 90 s.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections nobody uses (60 s).
	IdleTimeout time.Duration
}

func (lim Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if lim.MaxConns <= 0 {
		lim.MaxConns = 64
	}
	def(&lim.HeaderTimeout, 5*time.Second)
	def(&lim.ReadTimeout, 10*time.Second)
	def(&lim.WriteTimeout, 90*time.Second)
	def(&lim.IdleTimeout, 60*time.Second)
	return lim
}

// Listener is the local HTTP listener: dial formats, the control API and
// phone events, behind the security policy. Its settings can be swapped
// while it runs (Update), so saving Settings needs no restart.
type Listener struct {
	dial    *DialService
	control http.Handler
	events  http.Handler
	log     *slog.Logger
	limits  Limits

	state atomic.Pointer[listenerState]
}

type listenerState struct {
	policy     *Policy
	switches   Switches
	canConfirm bool
}

// ListenerOptions wire a Listener.
type ListenerOptions struct {
	Policy   *Policy
	Switches Switches
	// Dial carries out dial requests.
	Dial *DialService
	// Control serves /api/ (the control API); nil answers 404.
	Control http.Handler
	// Events serves /phone/ (the paired phone's events); nil answers 404.
	Events http.Handler
	// CanConfirm says a person can be asked (tray app), so doubtful
	// requests are confirmed rather than refused.
	CanConfirm bool
	// Limits bound connections and timeouts; zero fields mean defaults.
	Limits Limits
	Log    *slog.Logger
}

// NewListener builds a Listener; Serve or Handler put it to work.
func NewListener(o ListenerOptions) *Listener {
	l := &Listener{dial: o.Dial, control: o.Control, events: o.Events, log: o.Log, limits: o.Limits.withDefaults()}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.Update(o.Policy, o.Switches, o.CanConfirm)
	return l
}

// Update swaps the policy and switches, e.g. after the settings were saved.
// The port cannot change without a restart of the listener.
func (l *Listener) Update(p *Policy, s Switches, canConfirm bool) {
	l.state.Store(&listenerState{policy: p, switches: s, canConfirm: canConfirm})
}

// NewServer wraps the listener in an http.Server with the timeouts and size
// limits every request gets: a slow or oversized client is cut off instead
// of holding a connection. Serve adds the cap on connections.
func (l *Listener) NewServer() *http.Server {
	return l.newServer(l)
}

func (l *Listener) newServer(h http.Handler) *http.Server {
	lim := l.limits
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.HeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnContext:       connContext,
		ErrorLog:          slog.NewLogLogger(l.log.Handler(), slog.LevelDebug),
	}
}

// Listen opens the loopback sockets on port: 127.0.0.1 always, and [::1]
// where the machine has IPv6, so that "localhost" works whichever way it
// resolves.
func Listen(port int) ([]net.Listener, error) {
	ln4, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("cannot listen on 127.0.0.1:%d (is another dialbridge or Mia running?): %w", port, err)
	}
	lns := []net.Listener{ln4}
	if ln6, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", ln4.Addr().(*net.TCPAddr).Port)); err == nil {
		lns = append(lns, ln6)
	}
	return lns, nil
}

// ServeHTTP routes a request after the checks that apply to all of them.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.serve(w, r, false)
}

// LANHandler serves the LAN socket (listener.lan_address): the paired
// phone's events (/phone/, from the phone's address with the pairing
// token) and dial requests from the computers in allow_ips with the
// listener's credentials, behind the same policy, limits and panic guard
// as the loopback socket. The control API never answers there.
func (l *Listener) LANHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { l.serve(w, r, true) })
}

// serve is the one way in for both sockets; lan says the request came on
// the LAN socket, where the Host must be the LAN address, dial requests
// need an allow_ips source and credentials, and /api/ does not exist.
func (l *Listener) serve(w http.ResponseWriter, r *http.Request, lan bool) {
	defer l.recoverPanic(w, r)
	st := l.state.Load()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	events := strings.HasPrefix(r.URL.Path, "/phone/")
	if lan && strings.HasPrefix(r.URL.Path, "/api/") {
		l.refuse(w, r, http.StatusNotFound, "not found: the control API answers only on this computer's loopback address")
		return
	}
	var hostOK bool
	switch {
	case events:
		hostOK = st.policy.EventHostAllowed(r.Host)
	case lan:
		hostOK = st.policy.LANHostAllowed(r.Host)
	default:
		hostOK = st.policy.HostAllowed(r.Host)
	}
	if !hostOK {
		// DNS rebinding: an attacker's name resolving to this listener.
		reason := fmt.Sprintf("refused: Host %q does not name this listener", clip(r.Host))
		l.dial.report(RefusedHost, refererWho(r.Header, ""), "", errors.New(reason))
		l.refuse(w, r, http.StatusBadRequest, reason)
		return
	}
	if events && (r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "") {
		// Phones send neither; a page that learned the pairing token must
		// not fake calls (and fire the outgoing action URLs) with it.
		l.refuse(w, r, http.StatusForbidden, "refused: phone events do not come from web pages")
		return
	}
	limit := int64(maxDialBody)
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		limit = maxControlBody
	case events:
		limit = maxEventBody
	}
	if !l.readBody(w, r, limit) {
		return
	}
	// The request is in: from here on the connection is working, not
	// dribbling, so the connection cap must not drop it. (net/http clears
	// the read deadline once the body is read, so ReadTimeout does not cut
	// short a dial waiting for the person; TestConfirmOutlivesReadTimeout
	// guards that.)
	if gc := connOf(r.Context()); gc != nil {
		gc.enter()
		defer gc.leave()
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		if l.control == nil {
			http.NotFound(w, r)
			return
		}
		l.control.ServeHTTP(w, r.WithContext(withState(r.Context(), st)))
	case events:
		if l.events == nil {
			http.NotFound(w, r)
			return
		}
		l.events.ServeHTTP(w, r)
	default:
		l.serveDial(w, r, st, lan)
	}
}

// readBody reads the whole body, at most limit bytes, before any handler
// runs, so that a client sending it slowly is still "arriving" to the
// connection cap, and no handler can forget the bound.
func (l *Listener) readBody(w http.ResponseWriter, r *http.Request, limit int64) bool {
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	if r.ContentLength > limit {
		l.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
		return false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			l.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
		} else {
			l.refuse(w, r, http.StatusBadRequest, "the request body could not be read: the client stopped sending it")
		}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return true
}

// recoverPanic turns a panic into a 500 and a log line that carries no
// request data: a runtime error's own text and the stack, whose frames hold
// no string contents, but not an arbitrary panic value, which might.
func (l *Listener) recoverPanic(w http.ResponseWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	what := fmt.Sprintf("a panic with a %T value", p)
	if re, ok := p.(runtime.Error); ok {
		what = re.Error()
	}
	l.log.Error("internal error while handling a request", "method", r.Method, "path", logPath(r.URL.Path), "panic", what, "stack", string(debug.Stack()))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, "dialbridge hit an internal error; the details are in its log\n")
}

// logPath is a request path fit for the log: the pairing token in a
// phone-event path is a secret and is left out.
func logPath(p string) string {
	rest, ok := strings.CutPrefix(p, "/phone/")
	if !ok {
		return p
	}
	if _, after, found := strings.Cut(rest, "/"); found {
		return "/phone/…/" + after
	}
	return "/phone/…"
}

func (l *Listener) serveDial(w http.ResponseWriter, r *http.Request, st *listenerState, lan bool) {
	p := st.policy
	// Answers differ by Origin: no cache may hand one page another's.
	w.Header().Add("Vary", "Origin")
	if r.Method == http.MethodOptions {
		l.preflight(w, r, p)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		l.refuse(w, r, http.StatusMethodNotAllowed, "use GET or POST")
		return
	}
	var body string
	if r.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDialBody))
		if err != nil {
			l.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxDialBody))
			return
		}
		if ct := r.Header.Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			body = string(b)
		}
	}
	req, err := ParseDial(r.Method, r.URL.Path, r.URL.RawQuery, body)
	if errors.Is(err, ErrNotDial) {
		l.refuse(w, r, http.StatusNotFound, "not found: this is dialbridge; dial with /?action=make_call&target=NUMBER")
		return
	}
	if !p.ClientAllowed(r.RemoteAddr, lan) {
		l.refuse(w, r, http.StatusForbidden, "refused: this computer may not send dial requests (add it to listener.allow_ips)")
		return
	}
	switch {
	case !st.switches.Enabled:
		l.refuse(w, r, http.StatusForbidden, "refused: action URLs are switched off in dialbridge's settings")
		return
	case !st.switches.Incoming:
		l.refuse(w, r, http.StatusForbidden, "refused: incoming action URLs are switched off in dialbridge's settings")
		return
	case !st.switches.MakeCall:
		l.refuse(w, r, http.StatusForbidden, "refused: make_call is switched off in dialbridge's settings")
		return
	}
	v := p.Judge(r, st.canConfirm)
	l.log.Debug("dial request judged", "method", r.Method, "path", logPath(r.URL.Path), "trust", v.Trust.String(), "origin", v.Origin, "why", v.Reason, "confirm", v.Confirm, "refuse", v.Refuse != nil)
	if o := r.Header.Get("Origin"); v.Trust == TrustAllowedOrigin && o != "" {
		setCORS(w, o)
	}
	if v.Refuse != nil {
		// Before the credentials: a page must not learn whether a password
		// it guessed was right.
		l.dial.report(RefusedWebPage, v.Origin, req.Number, v.Refuse)
		l.refuse(w, r, http.StatusForbidden, v.Refuse.Error())
		return
	}
	if !p.CredentialsOK(r, req.Password, lan) {
		w.Header().Set("WWW-Authenticate", `Basic realm="dialbridge", charset="UTF-8"`)
		l.refuse(w, r, http.StatusUnauthorized, "dialbridge needs the user name and password set in its settings")
		return
	}
	if err != nil {
		l.refuse(w, r, http.StatusBadRequest, err.Error())
		return
	}
	dialed, err := l.dial.Dial(r.Context(), req, v)
	if err != nil {
		status := http.StatusInternalServerError
		var de *control.DialError
		if errors.As(err, &de) {
			status = de.Status
		}
		l.refuse(w, r, status, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "OK: the phone is dialing %s\n", dialed)
}

// preflight answers CORS preflights: allowed origins get exactly their
// origin back (never a wildcard), including Chrome's Private Network Access
// header; everyone else gets a refusal the browser will enforce.
func (l *Listener) preflight(w http.ResponseWriter, r *http.Request, p *Policy) {
	origin := r.Header.Get("Origin")
	if origin == "" || !p.originAllowed(origin) {
		l.refuse(w, r, http.StatusForbidden, "refused: this origin may not dial")
		return
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" && m != http.MethodGet && m != http.MethodPost {
		l.refuse(w, r, http.StatusForbidden, "refused: dial with GET or POST")
		return
	}
	setCORS(w, origin)
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	pna := r.Header.Get("Access-Control-Request-Private-Network") == "true"
	if pna {
		w.Header().Set("Access-Control-Allow-Private-Network", "true")
	}
	l.log.Debug("preflight answered", "origin", origin, "private_network", pna)
	w.WriteHeader(http.StatusNoContent)
}

// setCORS lets origin read the answer. It is only ever called with an
// origin that matched allowed_origins, echoed as the browser sent it.
func setCORS(w http.ResponseWriter, origin string) {
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Credentials", "true")
}

// refuse answers with status and a one-line reason, and logs it without
// the query (which may carry a password) or a pairing token.
func (l *Listener) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	l.log.Info("request refused", "status", status, "method", r.Method, "path", logPath(r.URL.Path), "remote", r.RemoteAddr, "reason", reason)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, reason+"\n")
}

// Serve serves on every listener until ctx ends, then shuts down
// gracefully. Each socket gets its own cap on connections, so a flood on
// one (the LAN socket) cannot crowd out the other.
func (l *Listener) Serve(ctx context.Context, lns []net.Listener) error {
	return l.serveOn(ctx, lns, l)
}

// ServeLAN serves LANHandler on ln (the LAN socket) until ctx ends; with a
// non-nil tlsCfg it speaks HTTPS (listener.lan_tls).
func (l *Listener) ServeLAN(ctx context.Context, ln net.Listener, tlsCfg *tls.Config) error {
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	return l.serveOn(ctx, []net.Listener{ln}, l.LANHandler())
}

func (l *Listener) serveOn(ctx context.Context, lns []net.Listener, h http.Handler) error {
	srv := l.newServer(h)
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- srv.Serve(newConnGuard(l.limits.MaxConns).wrap(ln)) }(ln)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("listener stopped: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}
