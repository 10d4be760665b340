// Package phonehttp is the HTTP client every brand driver shares: it finds
// the phone's address, answers Basic and Digest challenges the way the phone
// asks for them, bounds every request in time and turns transport failures
// and HTTP statuses into *phone.Error values a person can act on.
package phonehttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/icholy/digest"

	"github.com/dialbridge/dialbridge/phone"
)

// DefaultTimeout bounds one request to a phone. Desk phones answer in well
// under a second on a LAN; five seconds leaves room for a busy one without
// leaving a person waiting on a dead one.
const DefaultTimeout = 5 * time.Second

// maxBody caps what is read from a phone's answer: phones answer with small
// pages, and a device that streams forever must not fill memory.
const maxBody = 1 << 20

// Client talks HTTP to one phone.
type Client struct {
	brand    string
	base     *url.URL
	username string
	password string
	bearer   string
	pin      *Pin
	hc       *http.Client

	mu    sync.Mutex
	basic bool // the phone asked for Basic once: send it up front from now on
}

// Options configure New.
type Options struct {
	// Brand is the config name used in error messages.
	Brand string
	// Address is the phone's address: "192.0.2.10", "192.0.2.10:8080" or a
	// URL such as "https://192.0.2.10". Plain hosts mean http.
	Address string
	// Username and Password are the phone's web credentials; empty means none.
	Username, Password string
	// Transport is the underlying round tripper; nil means a fresh
	// http.Transport. Tests and certificate pinning pass their own.
	Transport http.RoundTripper
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// BearerToken, when set, is sent as "Authorization: Bearer TOKEN" on
	// every request instead of Basic or Digest (Auerswald's access tokens).
	BearerToken string
	// TLSFingerprint is the SHA-256 fingerprint of the phone's certificate
	// trusted at pairing (see ParseFingerprint for the accepted forms).
	// Empty means trust on first use. Used only when Transport is nil.
	TLSFingerprint string
	// OnNewFingerprint is called with the fingerprint trusted on first use,
	// so that the caller can store it with the config.
	OnNewFingerprint func(fp string)
}

// ParseAddress turns a configured phone address into a base URL. It accepts a
// bare host, host:port, an IPv6 literal or an http(s) URL, and rejects
// anything with a path, query or user info so that a typo is reported at
// pairing time rather than at the first call.
func ParseAddress(addr string) (*url.URL, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return nil, errors.New("the phone's address is empty")
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return nil, fmt.Errorf("%q is not a phone address: %w", addr, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("the phone's address must start with http:// or https://, not %s://", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("the phone's address %q has no host", addr)
	}
	if u.User != nil {
		return nil, errors.New("put the phone's user name and password in their own settings, not in the address")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the phone's address %q should be only scheme and host, e.g. http://192.0.2.10", addr)
	}
	u.Path = ""
	return u, nil
}

// New returns a client for the phone at opts.Address.
func New(opts Options) (*Client, error) {
	base, err := ParseAddress(opts.Address)
	if err != nil {
		return nil, err
	}
	c := &Client{brand: opts.Brand, base: base, username: opts.Username, password: opts.Password, bearer: opts.BearerToken}
	tr := opts.Transport
	if tr == nil {
		if c.pin, err = NewPin(opts.TLSFingerprint, opts.OnNewFingerprint); err != nil {
			return nil, fmt.Errorf("phone.tls_fingerprint: %w", err)
		}
		tr = NewTransport(c.pin)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if c.bearer == "" && (opts.Username != "" || opts.Password != "") {
		tr = &digest.Transport{Username: opts.Username, Password: opts.Password, Transport: tr}
	}
	c.hc = &http.Client{
		Transport: tr,
		Timeout:   timeout,
		// Phones redirect to a login page when they refuse; following it
		// would turn a clear 302/401 into a confusing 200.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c, nil
}

// NewTransport returns the transport for one phone: no proxy (a phone on the
// desk is never behind the office proxy), short connect and handshake
// timeouts, and TLS checked against pin.
func NewTransport(pin *Pin) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		TLSClientConfig:       pin.TLSConfig(),
		TLSHandshakeTimeout:   3 * time.Second,
		ResponseHeaderTimeout: DefaultTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
}

// Pin is the certificate pin of this client, or nil when the caller passed
// its own Transport.
func (c *Client) Pin() *Pin { return c.pin }

// CloseIdleConnections drops kept-alive connections, e.g. after the phone
// restarted: a request on a connection the phone closed would fail.
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// Host is the phone's host as configured, for messages.
func (c *Client) Host() string { return c.base.Host }

// URL builds an absolute URL on the phone from a path and query.
func (c *Client) URL(path string, query url.Values) *url.URL {
	u := *c.base
	u.Path = path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	return &u
}

// Response is a phone's answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req and returns the phone's answer. Transport failures and 401s
// become *phone.Error values naming op; any other status is returned for the
// driver to interpret, since each brand says "no" in its own way.
func (c *Client) Do(ctx context.Context, op string, req *http.Request) (*Response, error) {
	req = req.WithContext(ctx)
	c.mu.Lock()
	basic := c.basic
	c.mu.Unlock()
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	} else if basic {
		req.SetBasicAuth(c.username, c.password)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportError(op, err)
	}
	// The digest transport hands back a 401 that carried no Digest
	// challenge: the phone wants Basic. Answer it once and remember.
	if res.StatusCode == http.StatusUnauthorized && !basic && c.bearer == "" && c.username != "" &&
		wantsBasic(res.Header) && (req.Body == nil || req.GetBody != nil) {
		drain(res)
		retry := req.Clone(ctx)
		if req.GetBody != nil {
			if retry.Body, err = req.GetBody(); err != nil {
				return nil, c.transportError(op, err)
			}
		}
		retry.SetBasicAuth(c.username, c.password)
		res, err = c.hc.Do(retry)
		if err != nil {
			return nil, c.transportError(op, err)
		}
		if res.StatusCode != http.StatusUnauthorized {
			c.mu.Lock()
			c.basic = true
			c.mu.Unlock()
		}
	}
	defer drain(res)
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	// The digest transport hands back a Basic 401 with its body already
	// read and closed; the status is all that matters then.
	if err != nil && res.StatusCode != http.StatusUnauthorized {
		return nil, c.transportError(op, err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: body}
	if res.StatusCode == http.StatusUnauthorized {
		e := c.Error(phone.ErrAuth, op, res.StatusCode, nil)
		switch {
		case c.bearer != "":
			e.Detail = "the phone refused the access token"
		case c.username == "":
			e.Detail = "the phone asks for a user name and password, and none is set"
		}
		return out, e
	}
	return out, nil
}

// Get is Do for a GET of path with query.
func (c *Client) Get(ctx context.Context, op, path string, query url.Values) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL(path, query).String(), nil)
	if err != nil {
		return nil, c.Error(phone.ErrProtocol, op, 0, err)
	}
	return c.Do(ctx, op, req)
}

// GetRaw is Get with a query written by hand, for phones that parse the
// query themselves and care about its order or about characters that
// url.Values would escape (Yealink's "key=number=123").
func (c *Client) GetRaw(ctx context.Context, op, path, rawQuery string) (*Response, error) {
	u := c.URL(path, nil)
	u.RawQuery = rawQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, c.Error(phone.ErrProtocol, op, 0, err)
	}
	return c.Do(ctx, op, req)
}

// GetOK is GetRaw for an action URI whose answer is its status alone
// (Yealink, Fanvil): 200 is done, any other status is Unexpected.
func (c *Client) GetOK(ctx context.Context, op, path, rawQuery string, refusals Refusals) error {
	res, err := c.GetRaw(ctx, op, path, rawQuery)
	if err != nil {
		return err
	}
	if res.Status == http.StatusOK {
		return nil
	}
	return c.Unexpected(op, res.Status, refusals, nil)
}

// Post is Do for a POST of body to path with query, sent with contentType.
// The body can be sent again, so Digest and Basic challenges work for it.
func (c *Client) Post(ctx context.Context, op, path string, query url.Values, contentType string, body []byte) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL(path, query).String(), bytes.NewReader(body))
	if err != nil {
		return nil, c.Error(phone.ErrProtocol, op, 0, err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.Do(ctx, op, req)
}

// Error builds a *phone.Error for this phone.
func (c *Client) Error(kind phone.ErrorKind, op string, status int, cause error) *phone.Error {
	return &phone.Error{Kind: kind, Brand: c.brand, Address: c.base.Hostname(), Op: op, Status: status, Err: cause}
}

// ErrorDetail is Error with no cause but a sentence saying what to change
// on the phone or in the settings: the answer to a refusal a person can fix.
func (c *Client) ErrorDetail(kind phone.ErrorKind, op string, status int, detail string) *phone.Error {
	e := c.Error(kind, op, status, nil)
	e.Detail = detail
	return e
}

// Refusals says, per HTTP status, what a phone's refusal means in the
// words a person fixes it by: a 404 usually that this model or firmware
// lacks the interface, a 403 that the phone's settings keep this computer
// out. Each brand knows its own answers; how they become errors is the same.
type Refusals map[int]string

// Unexpected is the error for an answer that is not the one op waited
// for: a refusal with its sentence when refusals names the status, a
// protocol error carrying cause (what was wrong with the body, if known)
// for any other status.
func (c *Client) Unexpected(op string, status int, refusals Refusals, cause error) *phone.Error {
	if detail, ok := refusals[status]; ok {
		return c.ErrorDetail(phone.ErrRefused, op, status, detail)
	}
	return c.Error(phone.ErrProtocol, op, status, cause)
}

func (c *Client) transportError(op string, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return c.Error(phone.ErrUnreachable, op, 0, phone.Timeout(errors.New("no answer")))
	}
	var cc *CertificateChangedError
	if errors.As(err, &cc) {
		e := c.Error(phone.ErrCertificate, op, 0, cc)
		e.Detail = fmt.Sprintf("it was trusted with SHA-256 fingerprint %s and now presents %s; "+
			"if the phone really has a new certificate, compare it with the phone's web interface and pair the phone again", cc.Trusted, cc.Presented)
		return e
	}
	var pe *phone.Error
	if errors.As(err, &pe) { // from a wrapping transport
		return pe
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return c.Error(phone.ErrUnreachable, op, 0, simplify(err))
}

// simplify strips Go's "Get "http://...": dial tcp ...: " prefixes so that
// the sentence a person reads ends in the cause ("connection refused").
func simplify(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		var se interface{ Unwrap() error }
		inner := oe.Err
		if errors.As(inner, &se) && se.Unwrap() != nil {
			inner = se.Unwrap()
		}
		return inner
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func wantsBasic(h http.Header) bool {
	for _, v := range h.Values("WWW-Authenticate") {
		if len(v) >= 5 && strings.EqualFold(v[:5], "basic") {
			return true
		}
	}
	return false
}

func drain(res *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxBody))
	_ = res.Body.Close()
}
