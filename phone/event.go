package phone

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"slices"
	"strings"
	"time"
)

// EventKind is what the phone reported about one of its calls. The kinds are
// the union of what the brands report through their action URLs; the call
// tracker folds them into the five events of Mia CSTA's outgoing action URLs
// (inbound, outbound, connected, hold, disconnected).
type EventKind uint8

// The kinds of phone events.
const (
	// EventUnknown is the zero value; the tracker ignores it.
	EventUnknown EventKind = iota
	// EventIncoming: a call is ringing on the phone.
	EventIncoming
	// EventOutgoing: the phone started a call.
	EventOutgoing
	// EventUpdate: new name or number of the far end (Auerswald remoteUpdate).
	EventUpdate
	// EventConnected: the call was answered; Auerswald also sends it when a
	// held call is resumed.
	EventConnected
	// EventHold: the call was put on hold.
	EventHold
	// EventUnhold: the call was taken off hold.
	EventUnhold
	// EventDisconnected: the call ended (answered or not).
	EventDisconnected
	// EventMissed: the call ended without being answered.
	EventMissed
	// EventConferenced: the call was joined with Event.OtherCallID.
	EventConferenced
	// EventUnconferenced: the conference with Event.OtherCallID was dissolved.
	EventUnconferenced
	// EventTransferred: the far end changed (the other side transferred
	// the call to Event.Remote).
	EventTransferred
	// EventTransferDone: this phone transferred the call away, to
	// Event.Remote (blind) or to the far end of Event.OtherCallID (attended).
	EventTransferDone
	// EventTransferInitiated: an attended transfer between the call and
	// Event.OtherCallID is under way.
	EventTransferInitiated
	// EventTransferFailed: that attended transfer failed.
	EventTransferFailed
	// EventTest: the phone's test request (Snom FireTest), proving that it
	// reaches dialbridge. No call is involved.
	EventTest
	// EventDNDOn and EventDNDOff: the phone's do not disturb went on or
	// off (Snom's DND action URLs). No call is involved.
	EventDNDOn
	EventDNDOff
	// EventForwardOn and EventForwardOff: the phone's forwarding of every
	// call went on, to Event.Remote, or off (Snom's redirection action
	// URLs), whether switched at the phone or by dialbridge. No call is
	// involved.
	EventForwardOn
	EventForwardOff
)

// CallLess reports whether events of kind k concern no call, so that
// they carry no call id.
func (k EventKind) CallLess() bool {
	return k == EventTest || k == EventDNDOn || k == EventDNDOff || k == EventForwardOn || k == EventForwardOff
}

var eventKindNames = [...]string{
	EventUnknown:           "unknown",
	EventIncoming:          "incoming",
	EventOutgoing:          "outgoing",
	EventUpdate:            "update",
	EventConnected:         "connected",
	EventHold:              "hold",
	EventUnhold:            "unhold",
	EventDisconnected:      "disconnected",
	EventMissed:            "missed",
	EventConferenced:       "conferenced",
	EventUnconferenced:     "unconferenced",
	EventTransferred:       "transferred",
	EventTransferDone:      "transfer_done",
	EventTransferInitiated: "transfer_initiated",
	EventTransferFailed:    "transfer_failed",
	EventTest:              "test",
	EventDNDOn:             "dnd_on",
	EventDNDOff:            "dnd_off",
	EventForwardOn:         "forward_on",
	EventForwardOff:        "forward_off",
}

// String is the kind's name, which is also the last path segment of the
// URLs that per-event brands (Snom, Yealink, Grandstream) are paired with.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// EventKindNamed returns the kind whose String is name.
func EventKindNamed(name string) (EventKind, bool) {
	for k, n := range eventKindNames {
		if n == name && k != int(EventUnknown) {
			return EventKind(k), true
		}
	}
	return EventUnknown, false
}

// Event is one report from the phone, already taken apart by its brand's
// parser. Fields the phone did not send are empty.
type Event struct {
	Kind EventKind
	// Format is the event format's name ("snom", "yealink", ...).
	Format string
	// CallID is the phone's id of the call ($call-id, $call_id, callId).
	CallID string
	// OtherCallID is the second call of a conference or attended transfer
	// (Auerswald callId2).
	OtherCallID string
	// CSTAID is Snom's $csta_id, the handle that CSTA requests need.
	CSTAID string
	// Local is the local party as user@domain; LocalAlias its display name.
	Local, LocalAlias string
	// Remote is the far end's number; RemoteAlias its display name.
	Remote, RemoteAlias string
	// RemoteCompany is the far end's company, set by a caller lookup
	// before the event reaches the tracker; phones never send one.
	RemoteCompany string
	// Account is the phone's account or identity index (Auerswald accountId).
	Account string
	// MAC is the phone's MAC address when the phone sends it.
	MAC string
	// At is when dialbridge received the event; zero means "now" to the
	// tracker.
	At time.Time
}

// EventSetting is one setting on the phone that makes it report calls to
// dialbridge: the setting's name, and the URL to put in it (dialbridge's
// base URL, the event, and the phone's own runtime variables). The same
// values are shown to the person by `dialbridge pairing-urls` and written to
// the phone by automatic pairing.
type EventSetting struct {
	// Name is the phone's setting, e.g. "action_incoming_url".
	Name string
	// Label is how the phone's web interface names it, e.g. "Incoming call".
	Label string
	// Event is the path segment after the format's base URL ("incoming");
	// empty for a phone with one URL for every event (Auerswald).
	Event string
	// Query is the query the phone fills in, with its own variables, e.g.
	// "call_id=$call-id&remote=$remote". Empty when the phone adds its own.
	Query string
	// Hidden settings cannot be set in the web interface, only by
	// provisioning or CSTA SetSettings (Snom's action_fwtest_url).
	Hidden bool
}

// URL is the value of the setting for a format whose base URL is base, e.g.
// "http://192.0.2.5:61234/phone/TOKEN/snom".
func (s EventSetting) URL(base string) string {
	u := strings.TrimSuffix(base, "/")
	if s.Event != "" {
		u += "/" + s.Event
	}
	if s.Query != "" {
		u += "?" + s.Query
	}
	return u
}

// EventFormat is how one brand of phone reports its calls: the settings to
// put on the phone and the parser for what it then sends. Each brand
// package provides one (e.g. snom.EventFormat()).
type EventFormat struct {
	// Name is the format's path segment in dialbridge's URLs.
	Name string
	// Settings are what to configure on the phone, in the order the phone's
	// web interface lists them.
	Settings []EventSetting
	// Parse takes apart one request from the phone: event is the path after
	// the format's base URL without its slash ("" for none), rawQuery the
	// request's query as it arrived. It never panics; an error says in
	// words what was wrong.
	Parse func(event, rawQuery string) (Event, error)
}

// ErrUnknownEvent is returned by parsers for an event they do not know, so
// that the listener can answer 404 rather than 400.
var ErrUnknownEvent = errors.New("unknown phone event")

// ParseQuery splits a query string the way phones write them, forgivingly:
// a value that is not valid percent-encoding is kept as it arrived rather
// than dropping the whole request, '+' is a space, and the first value of a
// repeated key wins. Phones fill in their variables without always encoding
// them, and a lost call event cannot be asked for again.
func ParseQuery(raw string) url.Values {
	q := make(url.Values, 8)
	for k, v := range QueryPairs(raw) {
		k = unescapeLenient(k)
		if _, seen := q[k]; seen {
			continue
		}
		q[k] = []string{unescapeLenient(v)}
	}
	return q
}

// QueryPairs yields the key and value of each "&"-separated part of raw,
// in order, cut at the first "=" and still escaped: empty parts are
// skipped, and a part without "=" is a key with an empty value. Readers
// of phone and browser queries differ in how forgiving their unescaping
// is, not in how a query is taken apart, so they all split it here.
func QueryPairs(raw string) iter.Seq2[string, string] {
	return func(yield func(k, v string) bool) {
		for raw != "" {
			var pair string
			pair, raw, _ = strings.Cut(raw, "&")
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			if !yield(k, v) {
				return
			}
		}
	}
}

func unescapeLenient(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return strings.ReplaceAll(s, "+", " ")
}

// Value returns q's value for key with surrounding blanks removed, or ""
// when the phone left its variable unfilled: phones that do not know a
// variable (older firmware) send it literally, e.g. "$csta_id".
func Value(q url.Values, key string) string {
	v := q.Get(key)
	if v == "" {
		return ""
	}
	v = strings.TrimSpace(v)
	if unfilled(v) {
		return ""
	}
	return v
}

// unfilled reports whether v is a phone variable that was not replaced,
// like "$remote" or "$call-id".
func unfilled(v string) bool {
	if len(v) < 2 || v[0] != '$' {
		return false
	}
	for i := 1; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// PartyAddress reduces what a phone reports for the local party to
// user@domain (the <$local_party> placeholder):
// "sip:101@pbx.example;user=phone" and "\"Desk\" <sip:101@pbx.example>" both
// become "101@pbx.example".
func PartyAddress(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	low := strings.ToLower(s)
	switch {
	case strings.HasPrefix(low, "sip:"):
		s = s[4:]
	case strings.HasPrefix(low, "sips:"):
		s = s[5:]
	case strings.HasPrefix(low, "tel:"):
		s = s[4:]
	}
	if i := strings.IndexAny(s, ";?>"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// PartyNumber reduces what a phone reports for the far end to the number (the
// <$remote_party> placeholder): the user part of a SIP URI, or the value as
// it is when it is not one ("sip:+4930123@pbx.example" becomes "+4930123").
func PartyNumber(s string) string {
	a := PartyAddress(s)
	if user, _, ok := strings.Cut(a, "@"); ok {
		return user
	}
	return a
}

// DisplayName cleans a display name: blanks trimmed, surrounding double
// quotes removed.
func DisplayName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// NewGUID returns a call GUID as Mia CSTA's manual describes the <$call_guid>
// placeholder: 128 bits that carry the creation time (milliseconds since 1970
// in the first 48 bits, so GUIDs sort by time) and 74 bits from crypto/rand,
// laid out as a version 7 UUID ("0195c4f2-8a3b-7c1d-9e2f-0a1b2c3d4e5f").
func NewGUID(t time.Time) string {
	g, err := GUIDFrom(t, rand.Reader)
	if err != nil {
		// crypto/rand does not fail on supported platforms; if it ever
		// does, a GUID without randomness must not be handed out.
		panic(fmt.Errorf("no randomness for a call GUID: %w", err))
	}
	return g
}

// GUIDFrom is NewGUID with the random bits read from random, so that tests
// can make GUIDs repeatable.
func GUIDFrom(t time.Time, random io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(random, b[6:]); err != nil {
		return "", fmt.Errorf("reading random bits for a call GUID: %w", err)
	}
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70 // version 7
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:]), nil
}

// The query keys dialbridge asks phones with one URL per event (Snom,
// Yealink, Grandstream) to send their variables under, so that one parser
// reads them all. The far end's display name goes last: see QueryTail.
const (
	KeyCallID        = "call_id"
	KeyCSTAID        = "csta_id"
	KeyLocal         = "local"
	KeyDisplayLocal  = "display_local"
	KeyRemote        = "remote"
	KeyDisplayRemote = "display_remote"
)

// callQuery is the query a per-event phone's call event URLs carry: the
// phone's own variables under the keys above, callIDVar for the call id,
// then extra ("key=$variable"), then the parties. All three brands name
// the parties' variables alike ($local $display_local $remote
// $display_remote). The far end's display name goes last so that an
// unescaped "&" in it cannot cut it short (see QueryTail).
func callQuery(callIDVar string, extra ...string) string {
	parts := append([]string{KeyCallID + "=" + callIDVar}, extra...)
	parts = append(parts, KeyLocal+"=$local", KeyDisplayLocal+"=$display_local",
		KeyRemote+"=$remote", KeyDisplayRemote+"=$display_remote")
	return strings.Join(parts, "&")
}

// QueryTail returns everything after the first "key=" parameter of raw,
// unescaped. For the last parameter of a URL this is its whole value even
// when the phone did not escape it: a caller named "Bob&Alice" then still
// arrives as one name.
func QueryTail(raw, key string) (string, bool) {
	prefix := key + "="
	i := 0
	for {
		if strings.HasPrefix(raw[i:], prefix) {
			return unescapeLenient(raw[i+len(prefix):]), true
		}
		j := strings.IndexByte(raw[i:], '&')
		if j < 0 {
			return "", false
		}
		i += j + 1
	}
}

// PerEvent is the event format of a phone that calls one action URL per
// event (Snom, Yealink, Grandstream): the brand's folder says which
// settings it has and what its call-id variable is called; how a request
// is read is the same for all of them.
type PerEvent struct {
	// Name is the format's path segment in dialbridge's URLs.
	Name string
	// Title names the brand in messages ("Snom").
	Title string
	// CallIDVar is the phone's own variable for the call id ("$call-id"):
	// every call event's URL carries it, and the sentence that says what to
	// fix on the phone names it.
	CallIDVar string
	// Extra are the phone's further variables every call event's URL
	// carries, as "key=$variable" (Snom's csta_id).
	Extra []string
	// Settings are the phone's action URL settings dialbridge uses, in the
	// order of the phone's web interface. A call event's setting without a
	// Query gets the one every call event carries; the events without a
	// call (do not disturb, forwarding, the firewall test) carry only the
	// Query they name.
	Settings []EventSetting
}

// Format is p as the registry serves it: a copy of the settings, so that
// no caller can change the brand's own, with every call event's query
// written out. The query is made here, from CallIDVar and Extra, rather
// than in each brand's table, so that the call id a phone is told to send
// is the one the error for a missing call id names.
func (p PerEvent) Format() EventFormat {
	settings, query := slices.Clone(p.Settings), callQuery(p.CallIDVar, p.Extra...)
	for i, s := range settings {
		if kind, ok := EventKindNamed(s.Event); ok && !kind.CallLess() && s.Query == "" {
			settings[i].Query = query
		}
	}
	return EventFormat{Name: p.Name, Settings: settings, Parse: p.Parse}
}

// Parse reads one action URL request: event is the path segment dialbridge
// put in the setting ("incoming", ...) and must be one of the settings'
// events, rawQuery is what the phone filled in. Every event but the
// firewall test must carry a call id.
func (p PerEvent) Parse(event, rawQuery string) (Event, error) {
	kind, ok := EventUnknown, false
	for _, s := range p.Settings {
		if s.Event == event {
			kind, ok = EventKindNamed(event)
			break
		}
	}
	if !ok {
		return Event{}, fmt.Errorf("%w %q from a %s phone", ErrUnknownEvent, ClipEvent(event), p.Title)
	}
	ev := CallEventFromQuery(kind, p.Name, rawQuery)
	if !kind.CallLess() && ev.CallID == "" {
		return ev, fmt.Errorf("the %s phone sent no call id: the action URL must carry %s=%s (run \"dialbridge pairing-urls\")", p.Title, KeyCallID, p.CallIDVar)
	}
	return ev, nil
}

// ClipEvent keeps an unknown event name short enough for an error message.
func ClipEvent(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// CallEventFromQuery reads the variables of a per-event phone from the
// query keys above into an Event of kind. It does not check that a call
// id is present; the brand's parser does, with a sentence naming its
// variable.
func CallEventFromQuery(kind EventKind, format, raw string) Event {
	q := ParseQuery(raw)
	ev := Event{
		Kind:       kind,
		Format:     format,
		CallID:     Value(q, KeyCallID),
		CSTAID:     Value(q, KeyCSTAID),
		Local:      PartyAddress(Value(q, KeyLocal)),
		LocalAlias: DisplayName(Value(q, KeyDisplayLocal)),
		Remote:     PartyNumber(Value(q, KeyRemote)),
	}
	name := Value(q, KeyDisplayRemote)
	if tail, ok := QueryTail(raw, KeyDisplayRemote); ok && !unfilled(strings.TrimSpace(tail)) {
		name = tail
	}
	ev.RemoteAlias = DisplayName(name)
	return ev
}
