package actionurl

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// The values of listener.confirm, as the README's Configuration section lists
// them.
const (
	// ConfirmAlways asks the person before every dial they did not type.
	ConfirmAlways = "always"
	// ConfirmUntrusted asks the person before a web page's dial and lets
	// trusted clients dial at once. It is the default.
	ConfirmUntrusted = "untrusted"
	// ConfirmNever never asks: web pages are refused outright.
	ConfirmNever = "never"
)

// Policy is the listener's security settings (Host, origin, credentials,
// confirmation, allowed addresses), prepared for quick checks. It is
// immutable; a config reload builds a new one.
type Policy struct {
	// Port is the listener's port, part of every allowed Host value.
	Port int
	// AllowIPs are clients besides loopback that may send dial requests.
	AllowIPs []netip.Prefix
	// AllowedOrigins are web origins that may dial (exact match on
	// scheme://host:port, default ports left out as browsers do).
	AllowedOrigins []string
	// Confirm is ConfirmAlways, ConfirmUntrusted or ConfirmNever; empty
	// means ConfirmUntrusted.
	Confirm string
	// Username and Password are the listener credentials; empty Username
	// means none are required.
	Username, Password string
	// LANAddr is the address of the LAN socket (listener.lan_address with
	// the port); the zero value means the listener is loopback only. On the
	// phone-event paths a Host naming it is accepted besides the loopback
	// names; on the LAN socket's dial paths it is the only Host accepted,
	// so a rebinding page reaches nothing through a name of its own.
	LANAddr netip.AddrPort
}

// NewPolicy parses allow_ips entries (addresses or networks) and checks the
// origins and the confirm mode, so that a wildcard or a typo can never turn
// into "every page may dial" at run time.
func NewPolicy(port int, allowIPs, origins []string, confirm, username, password string) (*Policy, error) {
	p := &Policy{Port: port, Confirm: confirm, Username: username, Password: password}
	switch confirm {
	case ConfirmAlways, ConfirmUntrusted, ConfirmNever:
	case "":
		p.Confirm = ConfirmUntrusted
	default:
		return nil, fmt.Errorf("listener.confirm: %q is not one of always, untrusted, never", confirm)
	}
	for _, o := range origins {
		canon, ok := config.ParseOrigin(o)
		if !ok {
			return nil, fmt.Errorf("listener.allowed_origins: %q is not a web origin like \"https://crm.example\" (wildcards and \"null\" are never allowed)", o)
		}
		p.AllowedOrigins = append(p.AllowedOrigins, canon)
	}
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
	// Origin is who asked, for the confirmation prompt and the log: the
	// Origin header, the origin of the Referer, a description, or "" for a
	// local application.
	Origin string
	// Reason says which facts of the request decided Trust, in words, so
	// that the log and the journal show why a request dialed or not.
	Reason string
	// Allowable is the exact origin the person may allow for good from the
	// confirmation prompt ("always allow this origin"). It is set only when
	// the request carried a real Origin header: a Referer or a guess never
	// becomes a trusted origin.
	Allowable string
	// Confirm means the person must agree before the phone dials.
	Confirm bool
	// Refuse, when not nil, is why the request is refused outright: a
	// sentence, so that the person reads it in their language.
	Refuse error
}

// Judge decides how far to trust a dial request that arrived over HTTP,
// from its Sec-Fetch-Site, Origin, Referer and User-Agent headers. The
// decision is made here and only here (the control API's requests go
// through JudgeLocal), so that every dial path follows the same rules. A
// request that a web page made never dials without the person's consent: it
// is refused, or, with confirm = "untrusted" or "always" and a person at the
// screen (canConfirm), sent to them first.
func (p *Policy) Judge(r *http.Request, canConfirm bool) Verdict {
	return p.decide(p.classify(r.Header), canConfirm)
}

// JudgeLocal decides about a dial that came through the control API, whose
// token only programs of this user can read (the tel: handler, `dialbridge
// dial`, the tray and its windows). typed says the person entered the number
// in dialbridge itself; source names the program for the log and prompt.
func (p *Policy) JudgeLocal(source string, typed, canConfirm bool) Verdict {
	v := Verdict{Trust: TrustLocalApp, Origin: source, Reason: "the control API, with the token only this user can read"}
	if typed {
		v.Trust = TrustTyped
		v.Reason = "typed or picked by the person in dialbridge"
	}
	return p.decide(v, canConfirm)
}

// JudgePage decides about a dial that a page asked for through the browser
// extension (the native messaging host forwards it on the control API):
// origin is the page's origin as the browser reported it to the extension,
// never the page's own claim. It is judged exactly as a request that the
// page itself sent with that Origin header, so blocked numbers, the rate
// limit and listener.confirm treat both alike, and the confirmation names
// the page.
func (p *Policy) JudgePage(origin string, canConfirm bool) Verdict {
	v := p.byOrigin(origin)
	v.Reason += " (through the browser extension)"
	return p.decide(v, canConfirm)
}

// byOrigin is how far a web page with this origin is trusted: only an exact
// entry of allowed_origins lifts it above any other page.
func (p *Policy) byOrigin(origin string) Verdict {
	if canon, ok := p.matchOrigin(origin); ok {
		return Verdict{Trust: TrustAllowedOrigin, Origin: canon,
			Reason: "Origin " + canon + " is in listener.allowed_origins"}
	}
	v := Verdict{Trust: TrustWebPage, Origin: clipWho(origin),
		Reason: "Origin " + clipWho(origin) + " is not in listener.allowed_origins"}
	if canon, ok := config.ParseOrigin(origin); ok {
		v.Allowable = canon
	}
	return v
}

// classify reads who asked from the headers a browser sets and a web page
// cannot forge (Origin, Sec-Fetch-*). Browsers too old to send
// Sec-Fetch-Site still give themselves away by a Referer or their
// User-Agent; only a request with none of these is a local program.
func (p *Policy) classify(h http.Header) Verdict {
	if len(h.Values("Origin")) > 1 || len(h.Values("Sec-Fetch-Site")) > 1 {
		return Verdict{Trust: TrustWebPage, Origin: "a request with conflicting browser headers",
			Reason: "more than one Origin or Sec-Fetch-Site header"}
	}
	origin := h.Get("Origin")
	site := strings.ToLower(strings.TrimSpace(h.Get("Sec-Fetch-Site")))
	if (origin == "" && len(h.Values("Origin")) == 1) || (site == "" && len(h.Values("Sec-Fetch-Site")) == 1) {
		// No browser sends these empty; no program needs to.
		return Verdict{Trust: TrustWebPage, Origin: refererWho(h, "a web page"),
			Reason: "an empty Origin or Sec-Fetch-Site header"}
	}
	switch {
	case origin != "":
		// Includes "Origin: null" (sandboxed frames, file: pages, redirects)
		// and any Origin that came with Sec-Fetch-Site none.
		return p.byOrigin(origin)
	case site == "none":
		return Verdict{Trust: TrustUserNavigation,
			Reason: "Sec-Fetch-Site: none (the person opened the address: address bar, bookmark, link from outside the browser, extension tab)"}
	case site == "cross-site" || site == "same-site":
		if o, ok := p.clickedOnAllowedPage(h); ok {
			return Verdict{Trust: TrustAllowedOrigin, Origin: o,
				Reason: "a link the person clicked on " + o + ", which is in listener.allowed_origins (Sec-Fetch-User, Referer)"}
		}
		return Verdict{Trust: TrustWebPage, Origin: refererWho(h, "a web page ("+site+")"),
			Reason: "Sec-Fetch-Site: " + site + " (a web page asked)"}
	case site == "same-origin":
		// A page served by this listener: there is none, so a same-origin
		// request is a DNS-rebinding attempt that got past the Host check.
		return Verdict{Trust: TrustWebPage, Origin: "a page claiming to be this listener",
			Reason: "Sec-Fetch-Site: same-origin, but the listener serves no pages"}
	case site != "":
		return Verdict{Trust: TrustWebPage, Origin: refererWho(h, "a web page"),
			Reason: "Sec-Fetch-Site: " + clipWho(site) + " is not a value this listener trusts"}
	case h.Get("Sec-Fetch-Mode") != "" || h.Get("Sec-Fetch-Dest") != "" || h.Get("Sec-Fetch-User") != "":
		return Verdict{Trust: TrustWebPage, Origin: refererWho(h, "a web page"),
			Reason: "a browser's Sec-Fetch headers without Sec-Fetch-Site"}
	case h.Get("Referer") != "":
		return Verdict{Trust: TrustWebPage, Origin: refererWho(h, "a web page"),
			Reason: "a Referer without Sec-Fetch-Site (an older browser showing a page)"}
	case strings.Contains(h.Get("User-Agent"), "Mozilla/5.0"):
		return Verdict{Trust: TrustWebPage, Origin: "a browser that does not say which page asked",
			Reason: "a browser User-Agent without Sec-Fetch-Site (a browser too old to tell a page from the person)"}
	}
	return Verdict{Trust: TrustLocalApp,
		Reason: "no Origin, Sec-Fetch-Site, Referer or browser User-Agent (a program on this computer)"}
}

// clickedOnAllowedPage recognizes the classic click-to-dial link on an
// allowed site (a CRM's <a href="http://localhost:61234/?action=...">): a
// top-level navigation that the person started with a click
// (Sec-Fetch-User: ?1, which needs a user activation) from a page whose
// Referer origin is allowed. A page cannot claim another origin's Referer,
// only drop it, and scripts on an allowed origin may dial with fetch
// anyway, so this trusts nobody new. Frames and subresources never qualify.
func (p *Policy) clickedOnAllowedPage(h http.Header) (string, bool) {
	if !strings.EqualFold(h.Get("Sec-Fetch-Mode"), "navigate") || !strings.EqualFold(h.Get("Sec-Fetch-Dest"), "document") ||
		h.Get("Sec-Fetch-User") != "?1" || len(h.Values("Referer")) != 1 {
		return "", false
	}
	o := originOf(h.Get("Referer"))
	if o == "" {
		return "", false
	}
	return p.matchOrigin(o)
}

// decide applies listener.confirm to a classified request.
func (p *Policy) decide(v Verdict, canConfirm bool) Verdict {
	mode := p.Confirm
	if mode == "" {
		mode = ConfirmUntrusted
	}
	switch {
	case v.Trust == TrustTyped:
		// The person is the one asking.
	case mode == ConfirmAlways:
		v.Confirm = true
	case v.Trust == TrustWebPage && mode == ConfirmNever:
		v.Refuse = webPageRefusal(v.Origin)
	case v.Trust == TrustWebPage:
		// "untrusted", and any unknown mode: never silent.
		v.Confirm = true
	}
	if v.Confirm && !canConfirm {
		if v.Trust == TrustWebPage {
			v.Refuse = webPageRefusal(v.Origin)
		} else {
			v.Refuse = sayNobodyAlways.With(nil, nil)
		}
		v.Confirm = false
	}
	return v
}

func webPageRefusal(who string) error {
	return sayNotAllowed.With(map[string]any{"Origin": who}, nil)
}

// matchOrigin reports whether origin is allowed, and its canonical form.
func (p *Policy) matchOrigin(origin string) (string, bool) {
	canon, ok := config.ParseOrigin(origin)
	if !ok {
		return "", false
	}
	for _, o := range p.AllowedOrigins {
		if o == canon {
			return canon, true
		}
		// NewPolicy stores canonical forms; a Policy built by hand may not.
		if looksUncanonical(o) {
			if c, ok := config.ParseOrigin(o); ok && c == canon {
				return canon, true
			}
		}
	}
	return "", false
}

// looksUncanonical reports whether an allowed origin may differ from its
// canonical form (upper case, a trailing slash, a default port), so that
// the common case costs a string comparison.
func looksUncanonical(o string) bool {
	return strings.HasSuffix(o, "/") || strings.HasSuffix(o, ":80") || strings.HasSuffix(o, ":443") ||
		strings.IndexFunc(o, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
}

// originAllowed is matchOrigin for the preflight.
func (p *Policy) originAllowed(origin string) bool {
	_, ok := p.matchOrigin(origin)
	return ok
}

// refererWho names the page that asked from its Referer, reduced to the
// origin, or returns fallback. It is for people to read, never for trust:
// a page can suppress its Referer, and an allowed site may embed content
// that others wrote.
func refererWho(h http.Header, fallback string) string {
	if ref := h.Get("Referer"); ref != "" {
		if o := originOf(ref); o != "" {
			return o
		}
	}
	return fallback
}

// originOf reduces a Referer to its origin, so that a page's path, query
// and any user info (which may carry secrets) never reach the log or the
// prompt. It returns "" for anything that is not an absolute URL.
func originOf(ref string) string {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return clipWho(strings.ToLower(u.Scheme) + "://" + u.Host)
}

// clipWho bounds what a request says about itself before it reaches a log
// line or a prompt.
func clipWho(s string) string {
	const max = 100
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// HostAllowed reports whether the Host header names this listener by a
// loopback name with the right port. Anything else, an empty Host included,
// is a DNS-rebinding attempt or a misdirected request: a name such as
// 127.0.0.1.evil.example or localhost.evil.example resolves to loopback but
// is not one of the three names accepted here.
func (p *Policy) HostAllowed(host string) bool {
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		// Browsers leave out port 80, the one case without a port.
		if p.Port != 80 || strings.ContainsAny(host, ":[]") {
			return false
		}
		h, port = host, "80"
	}
	if port != strconv.Itoa(p.Port) {
		return false
	}
	// SplitHostPort takes brackets off any host; only an IPv6 address may
	// wear them ("[127.0.0.1]:PORT" is no Host a browser sends).
	bracketed := strings.HasPrefix(host, "[")
	switch strings.ToLower(h) {
	case "127.0.0.1", "localhost":
		return !bracketed
	case "::1":
		return bracketed
	}
	return false
}

// EventHostAllowed is HostAllowed for the phone-event paths: there the LAN
// address the phone was told to call (LANAddr) is a valid Host as well.
func (p *Policy) EventHostAllowed(host string) bool {
	if p.HostAllowed(host) {
		return true
	}
	if !p.LANAddr.IsValid() {
		return false
	}
	ap, err := netip.ParseAddrPort(host)
	return err == nil && ap.Addr().Unmap() == p.LANAddr.Addr().Unmap() && ap.Port() == p.LANAddr.Port()
}

// LANHostAllowed reports whether the Host header of a dial request on the
// LAN socket names that socket exactly: its address and port, as the
// sending computer was told (an IPv6 address in brackets). Names are never
// accepted there, so a DNS-rebinding page gets nowhere.
func (p *Policy) LANHostAllowed(host string) bool {
	if !p.LANAddr.IsValid() {
		return false
	}
	return host == netip.AddrPortFrom(p.LANAddr.Addr().Unmap(), p.LANAddr.Port()).String()
}

// ClientAllowed reports whether a dial request may come from remote (the
// connection's remote address). On the loopback socket (lan false) that
// is this computer always and the allow_ips besides; on the LAN socket only
// the allow_ips count, since a loopback source there can only be a relay.
func (p *Policy) ClientAllowed(remote string, lan bool) bool {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	if a.IsLoopback() && !lan {
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
// configured anyone passes on loopback; on the LAN socket (lan true)
// credentials are always required, so no one passes there without them.
func (p *Policy) CredentialsOK(r *http.Request, queryPassword string, lan bool) bool {
	if p.Username == "" {
		return !lan
	}
	if u, pw, ok := r.BasicAuth(); ok {
		return same(u, p.Username) && same(pw, p.Password)
	}
	return queryPassword != "" && same(queryPassword, p.Password)
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// stateKey carries the listener's current state to handlers it routes to
// (the control API), so that they judge with the same policy.
type stateKey struct{}

// JudgeControl is the verdict for a dial that arrived on the control API:
// JudgeLocal, or JudgePage for a page's number that the browser extension
// forwarded, under the policy of the listener that routed the request. A
// control API served outside a Listener judges with the default policy and
// nobody to confirm.
func JudgeControl(r *http.Request, cmd control.DialCommand) Verdict {
	p, canConfirm := &Policy{Confirm: ConfirmUntrusted}, false
	if st, ok := r.Context().Value(stateKey{}).(*listenerState); ok {
		p, canConfirm = st.policy, st.canConfirm
	}
	if cmd.Origin != "" {
		return p.JudgePage(cmd.Origin, canConfirm)
	}
	source := cmd.Source
	if source == "" {
		source = control.SourceControlAPI
	}
	return p.JudgeLocal(source, cmd.Typed, canConfirm)
}

func withState(ctx context.Context, st *listenerState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}
