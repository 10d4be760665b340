// Package phoneevents takes the paired phone's call events in (one
// HTTP path per brand's event format, only from the phone, only with the
// pairing token) and says what to enter in the phone so that it sends them:
// the pairing URLs and the address the phone reaches. The window program
// uses the second half to pair, so it lives apart from the click-to-dial
// listener, which the windows must not link.
package phoneevents

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
)

// PhoneEventsPrefix is where the paired phone's events arrive:
// /phone/<pairing token>/<format>[/<event>]. The token, which only the paired
// phone's action URLs carry, proves that the event is the phone's.
const PhoneEventsPrefix = "/phone/"

// phoneEventBody bounds a POSTed phone event; phones send GETs.
const phoneEventBody = 8 << 10

// PairingSetting is one setting to make on the phone so that it reports
// its calls to dialbridge.
type PairingSetting struct {
	// Name is the phone's setting ("action_incoming_url", "P8310", ...).
	Name string
	// Label is how the phone's web interface names it.
	Label string
	// URL is the value, with the phone's own $variables in it.
	URL string
	// Hidden settings cannot be made in the web interface, only written by
	// automatic pairing (Snom's action_fwtest_url via CSTA SetSettings).
	Hidden bool
}

// PairingURLs returns what to enter in the phone's settings for brand (its
// event URLs, and the allow list naming this computer where the brand has
// one), with base the address the phone reaches dialbridge at
// ("http://192.0.2.5:61234") and token the pairing token. `dialbridge
// pairing-urls` prints it, and pairing writes the same values to the phone
// where the brand lets it (Snom dummy.htm or CSTA SetSettings, then a test
// request to prove the phone reaches the PC).
func PairingURLs(brand, base, token string) ([]PairingSetting, error) {
	f, ok := brands.EventFormat(brand) // the brand's descriptor says how it reports calls
	if !ok {
		if b, known := brands.Lookup(brand); known && b.NoEventURLs != "" {
			return nil, errors.New(b.NoEventURLs)
		}
		return nil, fmt.Errorf("a %s phone cannot report its calls to dialbridge (it has no action URLs for call events)", brand)
	}
	if token == "" {
		return nil, errors.New("there is no pairing token yet: start dialbridge once, or set phone.pairing_token")
	}
	prefix := strings.TrimSuffix(base, "/") + PhoneEventsPrefix + token + "/" + f.Name
	out := make([]PairingSetting, len(f.Settings))
	for i, s := range f.Settings {
		out[i] = PairingSetting{Name: s.Name, Label: s.Label, URL: s.URL(prefix), Hidden: s.Hidden}
	}
	if b, ok := brands.Lookup(brand); ok && b.AllowList.Name != "" {
		// The phone takes this computer's commands only when it lists the
		// address it sends its events to.
		u, err := url.Parse(base)
		if err != nil {
			return nil, fmt.Errorf("the events address %q: %w", base, err)
		}
		out = append(out, PairingSetting{Name: b.AllowList.Name, Label: b.AllowList.Label, URL: u.Hostname()})
	}
	return out, nil
}

// EventsBaseURL is the base of PairingURLs for a listener at host and port;
// secure says the socket there speaks HTTPS (listener.lan_tls).
func EventsBaseURL(host netip.Addr, port int, secure bool) string {
	scheme := "http://"
	if secure {
		scheme = "https://"
	}
	return scheme + net.JoinHostPort(host.Unmap().String(), strconv.Itoa(port))
}

// EventSink takes a parsed phone event: the call tracker, the journal and
// the outbox behind it. It returns once what the event caused is recorded.
type EventSink interface {
	HandleEvent(ctx context.Context, ev phone.Event) error
}

// PhoneEventsOptions configure PhoneEvents.
type PhoneEventsOptions struct {
	// Token returns the current pairing token; "" refuses every event.
	Token func() string
	// PhoneAddrs returns the paired phone's addresses: besides loopback,
	// the only clients whose events are taken (they arrive on the LAN
	// socket, Listener.ServeLAN). Nil means loopback only.
	PhoneAddrs func() []netip.Addr
	// Sink takes the events.
	Sink EventSink
	// Formats are the event formats by path name; nil means every brand's (brands.EventFormats).
	Formats map[string]phone.EventFormat
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log gets one line per refused request; never the token.
	Log *slog.Logger
	// Screens are the screens the phone may fetch under
	// /phone/<token>/screen/<name>; nil serves none.
	Screens *Screens
}

// PhoneEvents serves the paired phone's events under
// /phone/<token>/<format>[/<event>]. Events are taken from loopback (the
// demo phone, a phone behind an SSH tunnel) and from the paired phone's
// own addresses, nobody else; and only with the pairing token, a
// per-pairing secret: a request with another token is answered 404, as if
// nothing were there.
type PhoneEvents struct {
	o PhoneEventsOptions

	mu   sync.Mutex
	seen control.PhoneSeen
	keys KeyPresser
}

// NewPhoneEvents returns the /phone/ handler.
func NewPhoneEvents(o PhoneEventsOptions) *PhoneEvents {
	if o.Formats == nil {
		o.Formats = brands.EventFormats()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &PhoneEvents{o: o}
}

// Seen returns the last event that got through; zero At for none yet.
func (h *PhoneEvents) Seen() control.PhoneSeen {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen
}

// ServeHTTP takes one event from the phone.
func (h *PhoneEvents) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, PhoneEventsPrefix)
	if !ok {
		h.refuse(w, r, http.StatusNotFound, "not found")
		return
	}
	if !h.fromPhone(r.RemoteAddr) {
		h.refuse(w, r, http.StatusForbidden, "refused: only the paired phone may send its events to dialbridge")
		return
	}
	token, rest, _ := strings.Cut(rest, "/")
	want := h.o.Token()
	if want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		h.refuse(w, r, http.StatusNotFound, "not found: this pairing token is not dialbridge's (pair the phone again)")
		return
	}
	formatName, event, _ := strings.Cut(rest, "/")
	if formatName == KeysPath {
		h.pressKey(w, r, event)
		return
	}
	if formatName == ScreensPath {
		h.serveScreen(w, r, event)
		return
	}
	f, ok := h.o.Formats[formatName]
	if !ok {
		h.refuse(w, r, http.StatusNotFound, fmt.Sprintf("not found: %q is not a phone event format", clipText(formatName)))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		h.refuse(w, r, http.StatusMethodNotAllowed, "phone events are sent with GET")
		return
	}
	query := r.URL.RawQuery
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, phoneEventBody))
		if err != nil {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", phoneEventBody))
			return
		}
		if ct := r.Header.Get("Content-Type"); len(body) > 0 && (ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded")) {
			if query != "" {
				query += "&"
			}
			query += string(body)
		}
	}
	ev, err := f.Parse(event, query)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, phone.ErrUnknownEvent) {
			status = http.StatusNotFound
		}
		h.refuse(w, r, status, err.Error())
		return
	}
	ev.At = h.o.Now()
	h.see(r, ev.At, f.Name, ev.Kind.String())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if ev.Kind == phone.EventTest {
		io.WriteString(w, "OK: dialbridge hears this phone\n")
		return
	}
	if err := h.o.Sink.HandleEvent(r.Context(), ev); err != nil {
		h.o.Log.Error("a phone event could not be recorded", "event", ev.Kind.String(), "call", ev.CallID, "error", err)
		h.refuse(w, r, http.StatusInternalServerError, "dialbridge could not record this event: "+err.Error())
		return
	}
	io.WriteString(w, "OK\n")
}

// see remembers r as the last request from the phone that got through.
func (h *PhoneEvents) see(r *http.Request, at time.Time, format, event string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen = control.PhoneSeen{At: at, Format: format, Event: event, From: hostOnly(r.RemoteAddr), Agent: clipText(r.UserAgent())}
}

// fromPhone reports whether remote is loopback or one of the phone's
// addresses.
func (h *PhoneEvents) fromPhone(remote string) bool {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	if a.IsLoopback() {
		return true
	}
	if h.o.PhoneAddrs == nil {
		return false
	}
	for _, p := range h.o.PhoneAddrs() {
		if p.Unmap() == a {
			return true
		}
	}
	return false
}

// refuse answers with a reason. The log line names neither the path (it
// holds the pairing token) nor the query (a caller's number and name).
func (h *PhoneEvents) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	h.o.Log.Info("phone event refused", "status", status, "method", r.Method, "remote", r.RemoteAddr, "reason", reason)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, reason+"\n")
}

func hostOnly(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// PhoneHost returns the host part of the phone's configured address.
func PhoneHost(phoneAddress string) (string, error) {
	u, err := phonehttp.ParseAddress(phoneAddress)
	if err != nil {
		return "", err
	}
	return u.Hostname(), nil
}

// PhoneAddrs resolves the phone's configured address to the IP addresses
// its events may come from.
func PhoneAddrs(ctx context.Context, phoneAddress string) ([]netip.Addr, error) {
	host, err := PhoneHost(phoneAddress)
	if err != nil {
		return nil, err
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("cannot find the phone %s on the network: %w", host, err)
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

// RouteAddress returns this computer's address on the route to the phone:
// the address the phone can reach it at. No packet is sent.
func RouteAddress(ctx context.Context, phoneAddress string) (netip.Addr, error) {
	addrs, err := PhoneAddrs(ctx, phoneAddress)
	if err != nil {
		return netip.Addr{}, err
	}
	if addrs[0].IsLoopback() {
		return addrs[0], nil
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", netip.AddrPortFrom(addrs[0], 9).String())
	if err != nil {
		return netip.Addr{}, fmt.Errorf("this computer has no route to the phone at %s: %w", addrs[0], err)
	}
	defer conn.Close()
	ap, err := netip.ParseAddrPort(conn.LocalAddr().String())
	if err != nil {
		return netip.Addr{}, fmt.Errorf("finding this computer's address towards the phone: %w", err)
	}
	return ap.Addr().Unmap(), nil
}

// EventsAddress decides the address the phone reaches dialbridge at, from
// listener.lan_address: "" is loopback (127.0.0.1), "auto" the
// address on the route to the phone, anything else that IP address.
func EventsAddress(ctx context.Context, setting, phoneAddress string) (netip.Addr, error) {
	switch setting {
	case "":
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	case "auto":
		return RouteAddress(ctx, phoneAddress)
	}
	a, err := netip.ParseAddr(setting)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("listener.lan_address: %q is not an IP address", setting)
	}
	return a.Unmap(), nil
}
