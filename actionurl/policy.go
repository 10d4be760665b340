package actionurl

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// Policy is the listener's security settings (DESIGN.md §5), prepared for
// quick checks. It is immutable; a config reload builds a new one.
type Policy struct {
	// Port is the listener's port, part of every allowed Host value.
	Port int
	// AllowIPs are clients besides loopback that may send dial requests.
	AllowIPs []netip.Prefix
	// AllowedOrigins are web origins that may dial (exact match).
	AllowedOrigins []string
	// Confirm is "always", "untrusted" or "never".
	Confirm string
	// Username and Password are the listener credentials; empty Username
	// means none are required.
	Username, Password string
}

// NewPolicy parses allow_ips entries (addresses or networks).
func NewPolicy(port int, allowIPs, origins []string, confirm, username, password string) (*Policy, error) {
	p := &Policy{Port: port, AllowedOrigins: origins, Confirm: confirm, Username: username, Password: password}
	for _, s := range allowIPs {
		if pfx, err := netip.ParsePrefix(s); err == nil {
			p.AllowIPs = append(p.AllowIPs, pfx.Masked())
			continue
		}
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("listener.allow_ips: %q is neither an address nor a network", s)
		}
		p.AllowIPs = append(p.AllowIPs, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return p, nil
}

// Trust says who is asking, as far as the request shows it.
type Trust int

// The levels of trust, from most to least.
const (
	// TrustTyped: the person typed or picked the number in dialbridge.
	TrustTyped Trust = iota
	// TrustLocalApp: a program on this computer that is not a web page
	// (curl, a CRM client, the tel: handler): no Origin, no Sec-Fetch-Site.
	TrustLocalApp
	// TrustUserNavigation: the person opened the URL in the browser
	// themselves (address bar, bookmark, extension tab): Sec-Fetch-Site none.
	TrustUserNavigation
	// TrustAllowedOrigin: a web page whose origin is in allowed_origins.
	TrustAllowedOrigin
	// TrustWebPage: any other web page. Never dials silently.
	TrustWebPage
)

// String names the trust level for logs and the journal.
func (t Trust) String() string {
	switch t {
	case TrustTyped:
		return "typed by the person"
	case TrustLocalApp:
		return "local application"
	case TrustUserNavigation:
		return "opened by the person in the browser"
	case TrustAllowedOrigin:
		return "allowed web origin"
	default:
		return "web page"
	}
}

// Verdict is the policy's answer for one dial request.
type Verdict struct {
	Trust Trust
	// Origin is who asked, for the confirmation prompt and the log:
	// the Origin header, or "" for a local application.
	Origin string
	// Confirm means the person must agree before the phone dials.
	Confirm bool
	// Refuse, when non-empty, is why the request is refused outright.
	Refuse string
}

// Judge decides how far to trust a dial request that arrived over HTTP,
// from its Sec-Fetch-Site and Origin headers. The decision is made here and
// only here, so that every dial path follows the same rules. A request that
// a web page made never dials without the person's consent: it is refused,
// or, with confirm = "untrusted" or "always" and a person at the screen
// (canConfirm), sent to them first.
func (p *Policy) Judge(r *http.Request, canConfirm bool) Verdict {
	origin := r.Header.Get("Origin")
	site := strings.ToLower(r.Header.Get("Sec-Fetch-Site"))
	var v Verdict
	switch {
	case origin != "" && origin != "null" && p.originAllowed(origin):
		v = Verdict{Trust: TrustAllowedOrigin, Origin: origin}
	case site == "cross-site" || site == "same-site" || origin != "":
		// Includes "Origin: null" (sandboxed frames, file: pages) and
		// same-origin requests that carry a foreign Origin.
		who := origin
		if who == "" {
			who = "a web page (" + site + ")"
			if ref := r.Header.Get("Referer"); ref != "" {
				who = originOf(ref)
			}
		}
		v = Verdict{Trust: TrustWebPage, Origin: who}
	case site == "none":
		v = Verdict{Trust: TrustUserNavigation}
	case site == "same-origin":
		// A page served by this listener: there is none, so a
		// same-origin request is a DNS-rebinding attempt that got past
		// the Host check. Treat it as hostile.
		v = Verdict{Trust: TrustWebPage, Origin: "a page claiming to be this listener"}
	default:
		v = Verdict{Trust: TrustLocalApp}
	}
	switch {
	case p.Confirm == "always":
		v.Confirm = true
	case v.Trust == TrustWebPage && p.Confirm == "untrusted":
		v.Confirm = true
	}
	if v.Confirm && !canConfirm {
		if v.Trust == TrustWebPage {
			v.Refuse = fmt.Sprintf("refused: %s may not make this phone dial (add it to listener.allowed_origins to allow it)", v.Origin)
		} else {
			v.Refuse = "refused: every dial needs confirmation (listener.confirm = \"always\") and no one is at the screen to confirm"
		}
		v.Confirm = false
	} else if v.Trust == TrustWebPage && p.Confirm == "never" {
		v.Refuse = fmt.Sprintf("refused: %s may not make this phone dial (add it to listener.allowed_origins to allow it)", v.Origin)
	}
	return v
}

func (p *Policy) originAllowed(origin string) bool {
	for _, o := range p.AllowedOrigins {
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// originOf reduces a Referer to its origin, so that a page's path and query
// (which may carry secrets) never reach the log or the prompt.
func originOf(ref string) string {
	scheme, rest, ok := strings.Cut(ref, "://")
	if !ok {
		return "a web page"
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// HostAllowed reports whether the Host header names this listener by a
// loopback name with the right port. Anything else, an empty Host included,
// is a DNS-rebinding attempt or a misdirected request.
func (p *Policy) HostAllowed(host string) bool {
	h, port, err := net.SplitHostPort(host)
	if err != nil || port != strconv.Itoa(p.Port) {
		return false
	}
	switch strings.ToLower(h) {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// ClientAllowed reports whether a dial request may come from addr (the
// connection's remote address): loopback always, others only when listed.
func (p *Policy) ClientAllowed(remote string) bool {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	if a.IsLoopback() {
		return true
	}
	for _, pfx := range p.AllowIPs {
		if pfx.Contains(a) {
			return true
		}
	}
	return false
}

// CredentialsOK checks listener credentials the way a phone does: Basic
// auth, or (Grandstream) a password in the query. With no username
// configured, anyone passes.
func (p *Policy) CredentialsOK(r *http.Request, queryPassword string) bool {
	if p.Username == "" {
		return true
	}
	if u, pw, ok := r.BasicAuth(); ok {
		return same(u, p.Username) && same(pw, p.Password)
	}
	return queryPassword != "" && same(queryPassword, p.Password)
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
