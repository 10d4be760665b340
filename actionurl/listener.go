package actionurl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Switches are Mia's settings 1, 3 and 4 (DESIGN.md §4).
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
	maxHeaderBytes = 8 << 10
)

// Listener is the local HTTP listener: dial formats, the control API and
// phone events, behind the security policy. Its settings can be swapped
// while it runs (Update), so saving Settings needs no restart.
type Listener struct {
	dial    *DialService
	control http.Handler
	events  http.Handler
	log     *slog.Logger

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
	Log        *slog.Logger
}

// NewListener builds a Listener; Serve or Handler put it to work.
func NewListener(o ListenerOptions) *Listener {
	l := &Listener{dial: o.Dial, control: o.Control, events: o.Events, log: o.Log}
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
// of holding a connection.
func (l *Listener) NewServer() *http.Server {
	return &http.Server{
		Handler:           l,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// Long enough for a dial that waits on a slow phone (5 s) or on the
		// person's confirmation (60 s).
		WriteTimeout:   90 * time.Second,
		IdleTimeout:    60 * time.Second,
		MaxHeaderBytes: maxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(l.log.Handler(), slog.LevelDebug),
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
	st := l.state.Load()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if !st.policy.HostAllowed(r.Host) {
		// DNS rebinding: an attacker's name resolving to 127.0.0.1.
		l.refuse(w, r, http.StatusForbidden, fmt.Sprintf("refused: Host %q does not name this listener", clip(r.Host)))
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		if l.control == nil {
			http.NotFound(w, r)
			return
		}
		l.control.ServeHTTP(w, r)
	case strings.HasPrefix(r.URL.Path, "/phone/"):
		if l.events == nil {
			http.NotFound(w, r)
			return
		}
		l.events.ServeHTTP(w, r)
	default:
		l.serveDial(w, r, st)
	}
}

func (l *Listener) serveDial(w http.ResponseWriter, r *http.Request, st *listenerState) {
	p := st.policy
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
	if !p.ClientAllowed(r.RemoteAddr) {
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
	if !p.CredentialsOK(r, req.Password) {
		w.Header().Set("WWW-Authenticate", `Basic realm="dialbridge", charset="UTF-8"`)
		l.refuse(w, r, http.StatusUnauthorized, "dialbridge needs the user name and password set in its settings")
		return
	}
	if err != nil {
		l.refuse(w, r, http.StatusBadRequest, err.Error())
		return
	}
	v := p.Judge(r, st.canConfirm)
	if v.Trust == TrustAllowedOrigin {
		setCORS(w, v.Origin)
	}
	dialed, err := l.dial.Dial(r.Context(), req, v)
	if err != nil {
		status := http.StatusInternalServerError
		var de *DialError
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
	setCORS(w, origin)
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
		w.Header().Set("Access-Control-Allow-Private-Network", "true")
	}
	w.WriteHeader(http.StatusNoContent)
}

func setCORS(w http.ResponseWriter, origin string) {
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Add("Vary", "Origin")
}

// refuse answers with status and a one-line reason, and logs it without
// the query (which may carry a password).
func (l *Listener) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	l.log.Info("request refused", "status", status, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr, "reason", reason)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, reason+"\n")
}

// Serve serves on every listener until ctx ends, then shuts down gracefully.
func (l *Listener) Serve(ctx context.Context, lns []net.Listener) error {
	srv := l.NewServer()
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- srv.Serve(ln) }(ln)
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
