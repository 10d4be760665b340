package control

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// The control API's endpoints as http.ServeMux patterns: the resident
// registers its handlers under these, and the Client's methods build their
// requests from them, so that both sides name each endpoint once.
const (
	// RoutePing answers Reply{OK: true}: the resident runs and accepts the
	// token.
	RoutePing = "GET /api/v1/ping"
	// RouteDial takes a DialCommand and answers Reply{Dialed}.
	RouteDial = "POST /api/v1/dial"
	// RouteShow brings the running tray's dial pad up (a second start).
	RouteShow = "POST /api/v1/show"
	// RouteReload re-reads the config file after Settings saved it.
	RouteReload = "POST /api/v1/reload"
	// RouteCalls answers a CallList of the calls in progress.
	RouteCalls = "GET /api/v1/calls"
	// RouteJournal answers a CallList from the journal (JournalQuery).
	RouteJournal = "GET /api/v1/journal"
	// RouteDeliveries answers a DeliveryList (JournalQuery).
	RouteDeliveries = "GET /api/v1/deliveries"
	// RouteRetry sends a failed delivery {id} again.
	RouteRetry = "POST /api/v1/deliveries/{id}/retry"
	// RoutePhoneSeen answers the PhoneSeen of the last phone event.
	RoutePhoneSeen = "GET /api/v1/phone/seen"
	// RouteState answers the State the browser extension shows.
	RouteState = "GET /api/v1/state"
	// RouteCall does {op} (answer, hangup, hold, resume, dtmf, transfer,
	// consult, conference, clear) to call {id}, with an optional
	// CallCommand.
	RouteCall = "POST /api/v1/call/{id}/{op}"
	// RouteDND switches the phone's do not disturb with a DND body and
	// answers the DND now in force.
	RouteDND = "POST /api/v1/phone/dnd"
	// RouteDNDStatus answers the phone's DND as far as it is known.
	RouteDNDStatus = "GET /api/v1/phone/dnd"
	// RouteForward switches the phone's call forwarding with a Forward
	// body (a Target forwards every call to it, none switches it off) and
	// answers the Forward now in force.
	RouteForward = "POST /api/v1/phone/forward"
	// RouteForwardStatus answers the phone's call forwarding as far as it
	// is known.
	RouteForwardStatus = "GET /api/v1/phone/forward"
	// RoutePressKeys presses the KeyCommand's key sequence on the phone.
	RoutePressKeys = "POST /api/v1/phone/keys/press"
	// RouteDemoIncoming makes the demo phone ring with a DemoCall.
	RouteDemoIncoming = "POST /api/v1/demo/incoming"
	// RouteQuit stops the running dialbridge, as the tray's Quit does: the
	// way out on a desktop without a tray host.
	RouteQuit = "POST /api/v1/quit"
)

// Routes lists every endpoint, for the tests that check both sides.
var Routes = []string{RoutePing, RouteDial, RouteShow, RouteReload, RouteCalls, RouteJournal, RouteDeliveries, RouteRetry, RoutePhoneSeen, RouteState, RouteCall, RouteDND, RouteDNDStatus, RouteForward, RouteForwardStatus, RouteDemoIncoming, RouteQuit, RouteKeys, RouteKeysWrite, RoutePressKeys, RouteLookupSources}

// CallEntry is a call as the control API shows it to the tray and the
// windows (RouteCalls, RouteJournal): JSON, times in RFC 3339, empty times
// left out.
type CallEntry struct {
	// GUID identifies the call everywhere (the <$call_guid> placeholder of
	// the outgoing action URLs); the call control endpoints accept it.
	GUID string `json:"guid"`
	// CallID is the phone's own id of the call.
	CallID string `json:"call_id"`
	// Direction is "inbound" or "outbound".
	Direction   string `json:"direction"`
	Local       string `json:"local,omitempty"`
	LocalAlias  string `json:"local_alias,omitempty"`
	Remote      string `json:"remote,omitempty"`
	RemoteAlias string `json:"remote_alias,omitempty"`
	// RemoteCompany is the caller's company from a caller lookup.
	RemoteCompany string     `json:"remote_company,omitempty"`
	Created       time.Time  `json:"created"`
	Connected     *time.Time `json:"connected,omitempty"`
	Disconnected  *time.Time `json:"disconnected,omitempty"`
	OnHold        bool       `json:"on_hold,omitempty"`
	TransferredTo string     `json:"transferred_to,omitempty"`
	// Outcome is "active", "answered", "missed", "not answered" or
	// "transferred".
	Outcome string `json:"outcome"`
	// DurationSeconds is the talk time so far, or in all once ended.
	DurationSeconds int64 `json:"duration_seconds"`
	// Returned is when a missed call was called back from dialbridge (a
	// phone key's callback_missed); absent while it was not (journal
	// only).
	Returned *time.Time `json:"returned,omitempty"`
	// Deliveries are the call's outgoing action URLs (journal only).
	Deliveries []DeliveryEntry `json:"deliveries,omitempty"`
}

// DeliveryEntry is an outgoing action URL as the control API shows it
// (RouteDeliveries and inside CallEntry).
type DeliveryEntry struct {
	ID       int64  `json:"id"`
	CallGUID string `json:"call_guid"`
	// Action is the call event (a phone.Action): inbound, outbound,
	// connected, hold, disconnected.
	Action string `json:"action"`
	// URL is the expanded URL, with any user:password@ removed.
	URL string `json:"url"`
	// Mode is "background" or "browser".
	Mode string `json:"mode"`
	// Status is "pending", "delivered" or "failed".
	Status      string     `json:"status"`
	Created     time.Time  `json:"created"`
	Attempts    int        `json:"attempts"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	HTTPStatus  int        `json:"http_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	// Says is LastError as a sentence with its translation key, when the
	// journal kept one, so that the Journal window and `dialbridge
	// journal` word it in the person's language; LastError stays for
	// clients that know no sentences.
	Says *sentence.Wire `json:"says,omitempty"`
	Done *time.Time     `json:"done,omitempty"`
}

// Err is why the delivery's last attempt failed, worded as its sentence
// when it came with one; nil when it did not fail.
func (d DeliveryEntry) Err() error {
	if d.LastError == "" {
		return nil
	}
	return saidErr(d.LastError, d.Says)
}

// CallList is the answer of RouteCalls and RouteJournal.
type CallList struct {
	Calls []CallEntry `json:"calls"`
}

// DeliveryList is the answer of RouteDeliveries.
type DeliveryList struct {
	Deliveries []DeliveryEntry `json:"deliveries"`
}

// PhoneSeen is the last request from the phone that reached the resident
// (RoutePhoneSeen): the pairing wizard's proof that the phone's settings
// arrived.
type PhoneSeen struct {
	At     time.Time `json:"at"`
	Format string    `json:"format"`
	Event  string    `json:"event"`
	// From is the phone's address.
	From string `json:"from"`
	// Agent is the User-Agent the phone sent, which names its model and
	// firmware (Snom: "snom D785-SIP 10.1.159.12").
	Agent string `json:"agent,omitempty"`
}

// State is the answer of RouteState: what the browser extension
// shows and needs (which phone, whether it is paired, the region in which
// numbers on pages are read).
type State struct {
	// Phone is the configured brand ("demo" for the simulated phone), ""
	// for none yet.
	Phone string `json:"phone"`
	// Address is the phone's address as configured.
	Address string `json:"address,omitempty"`
	// Paired says a driver for the phone is ready to dial.
	Paired bool `json:"paired"`
	// LastEvent is when the phone last reached dialbridge; absent for never.
	LastEvent *time.Time `json:"last_event,omitempty"`
	// Country is the dialing rules' ISO 3166 code, e.g. "DE": numbers
	// without a country code on a page are read as numbers of this country.
	Country string `json:"country"`
}

// CallCommand is the optional body of RouteCall: the target of a transfer,
// the digits of dtmf.
type CallCommand struct {
	Target string `json:"target,omitempty"`
	Digits string `json:"digits,omitempty"`
}

// DND is the phone's do-not-disturb mode (RouteDND, RouteDNDStatus).
type DND struct {
	On bool `json:"on"`
	// Known is false while dialbridge has neither set the mode nor heard
	// it from the phone: On then says nothing.
	Known bool `json:"known"`
}

// Forward is the phone's call forwarding "always" (RouteForward,
// RouteForwardStatus).
type Forward struct {
	// Target is the number every call goes to, as the phone dials it
	// (after the dialing rules); "" when forwarding is off.
	Target string `json:"target,omitempty"`
	// Known is false while dialbridge has not switched forwarding since it
	// started: Target then says nothing.
	Known bool `json:"known"`
}

// KeyCommand is the body of RoutePressKeys: a key sequence in Snom's syntax,
// KEY[,TIME[,PAUSE]][;...], as the person typed it; the resident checks it.
type KeyCommand struct {
	Keys string `json:"keys"`
}

// DemoCall is the body of RouteDemoIncoming. Every field is optional: the
// default is a call from a demo number. The call rings until it is
// answered or rejected (tray, command line, control API), or missed after
// 30 s; once answered it lasts until it is hung up.
type DemoCall struct {
	Number string `json:"number,omitempty"`
	Name   string `json:"name,omitempty"`
}

// JournalQuery narrows RouteJournal and RouteDeliveries; zero values mean
// "all" (the resident's own limit applies).
type JournalQuery struct {
	Since  string // 24h, 7d, 2024-05-01 ...
	Limit  int
	Status string // deliveries only: pending, delivered or failed
}

// values is the query string of q.
func (q JournalQuery) values() url.Values {
	v := url.Values{}
	if q.Since != "" {
		v.Set("since", q.Since)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	return v
}

// target turns a route into its method and the path with args filling its
// {wildcards} in order (escaped), and query appended.
func target(route string, query url.Values, args ...string) (string, string) {
	method, path, _ := strings.Cut(route, " ")
	for _, a := range args {
		i := strings.IndexByte(path, '{')
		j := strings.IndexByte(path, '}')
		if i < 0 || j < i {
			panic(fmt.Sprintf("control: %s has fewer wildcards than %d", route, len(args)))
		}
		path = path[:i] + url.PathEscape(a) + path[j+1:]
	}
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return method, path
}

// call sends in to route and decodes the reply into out.
func (c *Client) call(ctx context.Context, route string, query url.Values, args []string, in, out any) error {
	method, path := target(route, query, args...)
	return c.Do(ctx, method, path, in, out)
}

// Ping checks that the resident runs and accepts the token.
func (c *Client) Ping(ctx context.Context) error {
	return c.call(ctx, RoutePing, nil, nil, nil, nil)
}

// Dial asks the resident to dial and returns the dial string the phone got.
func (c *Client) Dial(ctx context.Context, cmd DialCommand) (string, error) {
	var r Reply
	if err := c.call(ctx, RouteDial, nil, nil, cmd, &r); err != nil {
		return "", err
	}
	return r.Dialed, nil
}

// Show asks the running tray to bring its dial pad up.
func (c *Client) Show(ctx context.Context) error {
	return c.call(ctx, RouteShow, nil, nil, nil, nil)
}

// Reload tells the resident that the config file changed.
func (c *Client) Reload(ctx context.Context) error {
	return c.call(ctx, RouteReload, nil, nil, nil, nil)
}

// Calls returns the calls in progress.
func (c *Client) Calls(ctx context.Context) ([]CallEntry, error) {
	var l CallList
	err := c.call(ctx, RouteCalls, nil, nil, nil, &l)
	return l.Calls, err
}

// Journal returns the journal's calls, newest first.
func (c *Client) Journal(ctx context.Context, q JournalQuery) ([]CallEntry, error) {
	var l CallList
	err := c.call(ctx, RouteJournal, q.values(), nil, nil, &l)
	return l.Calls, err
}

// Deliveries returns the outgoing action URLs, newest first.
func (c *Client) Deliveries(ctx context.Context, q JournalQuery) ([]DeliveryEntry, error) {
	var l DeliveryList
	err := c.call(ctx, RouteDeliveries, q.values(), nil, nil, &l)
	return l.Deliveries, err
}

// RetryDelivery sends the failed delivery id again.
func (c *Client) RetryDelivery(ctx context.Context, id string) error {
	return c.call(ctx, RouteRetry, nil, []string{id}, nil, nil)
}

// PhoneSeen returns the last request from the phone that reached the
// resident.
func (c *Client) PhoneSeen(ctx context.Context) (PhoneSeen, error) {
	var s PhoneSeen
	err := c.call(ctx, RoutePhoneSeen, nil, nil, nil, &s)
	return s, err
}

// SetDND switches the phone's do not disturb on or off.
func (c *Client) SetDND(ctx context.Context, on bool) (DND, error) {
	return answer[DND](ctx, c, RouteDND, DND{On: on, Known: true})
}

// DND returns the phone's do not disturb as far as it is known.
func (c *Client) DND(ctx context.Context) (DND, error) {
	return answer[DND](ctx, c, RouteDNDStatus, nil)
}

// SetForward forwards every call to target, or switches forwarding off
// when target is "".
func (c *Client) SetForward(ctx context.Context, target string) (Forward, error) {
	return answer[Forward](ctx, c, RouteForward, Forward{Target: target, Known: true})
}

// Forward returns the phone's call forwarding as far as it is known.
func (c *Client) Forward(ctx context.Context) (Forward, error) {
	return answer[Forward](ctx, c, RouteForwardStatus, nil)
}

// answer asks route with body (nil for none) and reads its answer as a T.
func answer[T any](ctx context.Context, c *Client, route string, body any) (T, error) {
	var t T
	err := c.call(ctx, route, nil, nil, body, &t)
	return t, err
}

// State returns which phone the resident drives, whether it can dial,
// and the country in which the browser extension reads numbers.
func (c *Client) State(ctx context.Context) (State, error) {
	var s State
	err := c.call(ctx, RouteState, nil, nil, nil, &s)
	return s, err
}

// Call does op (see calls.Ops) to the call
// id (the phone's call id or the journal's GUID); cmd carries a transfer's
// target or the dtmf digits.
func (c *Client) Call(ctx context.Context, id, op string, cmd CallCommand) error {
	var in any
	if cmd != (CallCommand{}) {
		in = cmd
	}
	return c.call(ctx, RouteCall, nil, []string{id, op}, in, nil)
}

// SendKeys presses keys (Snom's syntax, KEY[,TIME[,PAUSE]][;...]) on the
// phone; the error carries the resident's sentence for a typo or a key
// the phone lacks.
func (c *Client) SendKeys(ctx context.Context, keys string) error {
	return c.call(ctx, RoutePressKeys, nil, nil, KeyCommand{Keys: keys}, nil)
}

// DemoIncoming makes the demo phone ring.
func (c *Client) DemoIncoming(ctx context.Context, d DemoCall) error {
	return c.call(ctx, RouteDemoIncoming, nil, nil, d, nil)
}

// Quit asks the running dialbridge to stop.
func (c *Client) Quit(ctx context.Context) error {
	return c.call(ctx, RouteQuit, nil, nil, nil, nil)
}
