// Package phonesim is the common ground of the brand simulators: an HTTP
// server on loopback that checks credentials the way desk phones do (none,
// Basic, or Digest with a fresh nonce), records every request it accepted
// for tests to assert on, and lets a brand package plug in the protocol. The
// simulators serve the tests and the demo mode alike, so nothing here
// depends on the testing package.
package phonesim

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/icholy/digest"
)

// Auth is how the simulated phone protects its web interface.
type Auth int

// The authentication schemes phones use.
const (
	AuthNone Auth = iota
	AuthBasic
	AuthDigest
)

// Request is one request the simulator received, as the phone saw it.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
}

// Options configure a Server.
type Options struct {
	// Auth, Username and Password set the credentials the phone requires.
	Auth               Auth
	Username, Password string
	// Realm is sent in challenges; phones use their model name.
	Realm string
	// Delay is added before every answer, to simulate a slow phone.
	Delay time.Duration
}

// Server is a running simulated phone.
type Server struct {
	opts    Options
	handler http.Handler
	srv     *http.Server
	ln      net.Listener
	url     string

	mu       sync.Mutex
	requests []Request
	notify   chan struct{}
	nonces   map[string]bool
}

// Start serves handler on a free loopback port behind the configured
// authentication. Only requests that passed authentication are recorded and
// reach handler.
func Start(handler http.Handler, opts Options) (*Server, error) {
	return StartOn("127.0.0.1:0", handler, opts)
}

// StartOn is Start on a given address (for the demo mode's fixed ports).
func StartOn(addr string, handler http.Handler, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulated phone: %w", err)
	}
	if opts.Realm == "" {
		opts.Realm = "Simulated phone"
	}
	s := &Server{opts: opts, handler: handler, ln: ln, notify: make(chan struct{}), nonces: map[string]bool{}}
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the simulator's base address, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Addr is the simulator's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the simulator.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Requests returns a copy of every authenticated request so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets the recorded requests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// WaitRequests blocks until at least n requests were recorded or ctx ends,
// and returns what was recorded.
func (s *Server) WaitRequests(ctx context.Context, n int) ([]Request, error) {
	for {
		s.mu.Lock()
		got, ch := len(s.requests), s.notify
		s.mu.Unlock()
		if got >= n {
			return s.Requests(), nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s.Requests(), fmt.Errorf("simulated phone received %d of %d requests: %w", got, n, ctx.Err())
		}
	}
}

// ServeHTTP checks credentials, records the request and hands it on.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Delay > 0 {
		select {
		case <-time.After(s.opts.Delay):
		case <-r.Context().Done():
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if !s.authorized(r, body) {
		s.challenge(w)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body,
	})
	close(s.notify)
	s.notify = make(chan struct{})
	s.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.handler.ServeHTTP(w, r)
}

func (s *Server) authorized(r *http.Request, body []byte) bool {
	switch s.opts.Auth {
	case AuthBasic:
		u, p, ok := r.BasicAuth()
		return ok && eq(u, s.opts.Username) && eq(p, s.opts.Password)
	case AuthDigest:
		return s.digestOK(r, body)
	default:
		return true
	}
}

func (s *Server) digestOK(r *http.Request, body []byte) bool {
	cred, err := digest.ParseCredentials(r.Header.Get("Authorization"))
	if err != nil || !eq(cred.Username, s.opts.Username) {
		return false
	}
	s.mu.Lock()
	known := s.nonces[cred.Nonce]
	s.mu.Unlock()
	if !known || cred.URI != r.URL.RequestURI() {
		return false
	}
	chal := &digest.Challenge{Realm: s.opts.Realm, Nonce: cred.Nonce, Opaque: cred.Opaque, Algorithm: cred.Algorithm}
	if cred.QOP != "" {
		chal.QOP = []string{cred.QOP}
	}
	want, err := digest.Digest(chal, digest.Options{
		Method: r.Method, URI: cred.URI, Count: cred.Nc, Cnonce: cred.Cnonce,
		Username: s.opts.Username, Password: s.opts.Password,
		GetBody: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	})
	return err == nil && eq(cred.Response, want.Response)
}

func (s *Server) challenge(w http.ResponseWriter) {
	switch s.opts.Auth {
	case AuthBasic:
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", s.opts.Realm))
	case AuthDigest:
		nonce := randomHex(16)
		s.mu.Lock()
		s.nonces[nonce] = true
		s.mu.Unlock()
		chal := &digest.Challenge{Realm: s.opts.Realm, Nonce: nonce, Algorithm: "MD5", QOP: []string{"auth"}}
		w.Header().Set("WWW-Authenticate", chal.String())
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = io.WriteString(w, "<html><body><h1>401 Unauthorized</h1></body></html>")
}

func eq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("phonesim: no randomness"))
	}
	return hex.EncodeToString(b)
}
