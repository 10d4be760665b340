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
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Auth is how the simulated phone protects its web interface.
type Auth int

// The authentication schemes phones use.
const (
	AuthNone Auth = iota
	AuthBasic
	AuthDigest
	// AuthBearer wants "Authorization: Bearer TOKEN" or the query parameter
	// AuthToken=TOKEN (Auerswald's access tokens); Password is the token.
	AuthBearer
)

// Request is one request the simulator received, as the phone saw it.
type Request struct {
	// RemoteAddr is the client's host:port, for allow-list checks.
	RemoteAddr string
	Method     string
	Path       string
	RawQuery   string
	Query      url.Values
	Header     http.Header
	Body       []byte
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
	// TLS serves HTTPS with a fresh self-signed certificate, as phones do
	// out of the box; Certificate, when set, is served instead (HTTPS too).
	TLS         bool
	Certificate *tls.Certificate
	// Addr is the loopback address to listen on; empty means a free port
	// on 127.0.0.1. Tests that replace a phone by another on the same
	// address set it.
	Addr string
	// Missing lists paths the phone's firmware lacks: they are answered
	// 404 after authentication, as a Snom D8xx answers command.htm, which
	// its firmware dropped.
	Missing []string
}

// WithRealm returns o with model as its realm unless o names one: phones
// send their model name in their challenges, and each brand's simulator
// gives its own.
func (o Options) WithRealm(model string) Options {
	if o.Realm == "" {
		o.Realm = model
	}
	return o
}

// Base returns o itself. Every brand's SimOptions embed Options, so code
// that holds any brand's options (the shared test harness) reaches through
// it the part all simulated phones share: login, TLS and address.
func (o *Options) Base() *Options { return o }

// Server is a running simulated phone.
type Server struct {
	opts    Options
	handler http.Handler
	srv     *http.Server
	ln      net.Listener
	url     string
	certDER []byte

	// Recorder keeps every authenticated request (Requests, WaitRequests).
	Recorder
	digest *Digest
}

// Start serves handler on a free loopback port behind the configured
// authentication. Only requests that passed authentication are recorded and
// reach handler.
func Start(handler http.Handler, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	return StartOn(addr, handler, opts)
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
	s := &Server{opts: opts, handler: handler, ln: ln,
		digest: &Digest{Realm: opts.Realm, Username: opts.Username, Password: opts.Password}}
	s.url = "http://" + ln.Addr().String()
	// Handshake failures are what the certificate tests provoke; they are
	// not news, so the server does not log them.
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	serveOn := ln
	if opts.TLS || opts.Certificate != nil {
		cert := opts.Certificate
		if cert == nil {
			c, err := SelfSigned("127.0.0.1")
			if err != nil {
				_ = ln.Close()
				return nil, err
			}
			cert = &c
		}
		s.certDER = cert.Certificate[0]
		s.url = "https://" + ln.Addr().String()
		serveOn = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12})
	}
	go func() { _ = s.srv.Serve(serveOn) }()
	return s, nil
}

// SelfSigned makes a self-signed certificate for host the way a desk phone
// does at first boot: an ECDSA key, valid for ten years, signed by itself.
// Every call gives a new key, so a restarted simulator with a fresh
// certificate looks like a replaced phone.
func SelfSigned(host string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("simulated phone: generating a key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("simulated phone: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"Simulated desk phone"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("simulated phone: signing the certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// CertificateDER is the served certificate in DER form, or nil for HTTP.
func (s *Server) CertificateDER() []byte { return s.certDER }

// URL is the simulator's base address, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Addr is the simulator's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the simulator.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close() // a handler still busy (a slow phone) is cut off
	}
	return nil
}

// ServeHTTP checks credentials, records the request and hands it on.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The body is read before the delay: only then does the server watch
	// the connection, so that a client giving up ends the wait.
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if s.opts.Delay > 0 {
		t := time.NewTimer(s.opts.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	if !s.authorized(r, body) {
		s.challenge(w)
		return
	}
	s.Record(Request{
		RemoteAddr: r.RemoteAddr, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body,
	})
	if slices.Contains(s.opts.Missing, r.URL.Path) {
		http.NotFound(w, r)
		return
	}
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
	case AuthBearer:
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			return eq(tok, s.opts.Password)
		}
		return r.URL.Query().Has("AuthToken") && eq(r.URL.Query().Get("AuthToken"), s.opts.Password)
	default:
		return true
	}
}

func (s *Server) digestOK(r *http.Request, body []byte) bool {
	return s.digest.Check(r.Header.Get("Authorization"), r.Method, r.URL.RequestURI(), body)
}

func (s *Server) challenge(w http.ResponseWriter) {
	switch s.opts.Auth {
	case AuthBasic:
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", s.opts.Realm))
	case AuthDigest:
		w.Header().Set("WWW-Authenticate", s.digest.Challenge())
	case AuthBearer:
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Bearer realm=%q", s.opts.Realm))
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
