package outgoing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
)

// Mode is how a URL is fired.
type Mode string

// The modes of item 7 of Mia CSTA's action URL settings: request the URL in
// the background, or open it in the browser.
const (
	// ModeBackground requests the URL with an HTTP GET, retried until the
	// server takes it.
	ModeBackground Mode = "background"
	// ModeBrowser opens the URL in the person's default browser, once.
	ModeBrowser Mode = "browser"
)

// Status is where a delivery stands.
type Status string

// The states of a delivery.
const (
	StatusPending   Status = "pending"
	StatusDelivered Status = "delivered"
	StatusFailed    Status = "failed"
)

// Delivery is one URL to fire for one call event, and what became of it.
// The outbox keeps it in the Store from the moment it is created until it
// is delivered or given up, so that a crash loses nothing.
type Delivery struct {
	// ID is unique in the store and orders the deliveries of a call.
	ID       int64
	CallGUID string
	Action   phone.Action
	URL      string
	Mode     Mode
	Status   Status
	// Created is when the call event happened.
	Created time.Time
	// Attempts counts the requests made so far.
	Attempts int
	// NextAttempt is when the next request is due (pending only).
	NextAttempt time.Time
	// HTTPStatus is the last answer's status, 0 for none.
	HTTPStatus int
	// LastError says why the last attempt failed, for a person.
	LastError string
	// Says is LastError as a sentence with its translation key, nil for
	// none (a journal row written before dialbridge kept them): the
	// journal keeps it, so that the windows and `dialbridge journal` word
	// the reason in the person's language.
	Says *sentence.Wire
	// Done is when it was delivered or given up.
	Done time.Time
}

// failed records err as why the last attempt failed: its English words
// and its sentence.
func (d *Delivery) failed(err error) { d.LastError, d.Says = err.Error(), sentence.ToWire(err) }

// IdempotencyKey is sent with every attempt of the delivery, so that a
// server can recognize a repeat: dialbridge delivers at least once, and a
// crash between the server's answer and the journal's record repeats a
// request.
func (d Delivery) IdempotencyKey() string { return fmt.Sprintf("%s.%d", d.CallGUID, d.ID) }

// Store keeps deliveries on disk. The journal implements it. The done
// callbacks run on a goroutine of the store, in the order the changes
// were made, once the change is durable (or failed), and must not block.
//
// A delivery may go out before its own row is on disk, so that a CRM
// hears of an event without waiting for the disk, but only when its id is
// covered by a durable reservation (ReserveDeliveryIDs): the id is part of
// the Idempotency-Key, and after a power cut that lost the row, an id that
// reached a CRM must not be handed out again. A call that goes on after
// the restart (the tracker picks up active calls from the journal) would
// send its next request with the same key, and the CRM would drop it as a
// repeat. Ids beyond the reservation wait for their row, as every delivery
// does while the first reservation is being written.
type Store interface {
	// AddDeliveries records new deliveries, IDs already assigned.
	AddDeliveries(ds []Delivery, done func(error))
	// UpdateDelivery records the outcome of an attempt.
	UpdateDelivery(d Delivery, done func(error))
	// ReserveDeliveryIDs records that the outbox may hand out ids up to
	// upTo. It may lower an earlier reservation: a clean close gives back
	// what it did not use.
	ReserveDeliveryIDs(upTo int64, done func(error))
	// PendingDeliveries returns every delivery still pending, by ID.
	PendingDeliveries(ctx context.Context) ([]Delivery, error)
	// LastDeliveryID returns the highest ID ever stored or reserved, 0
	// for none: the next outbox starts above it.
	LastDeliveryID(ctx context.Context) (int64, error)
}

// Result is the outcome of one attempt.
type Result struct {
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// Err says what went wrong, nil for success.
	Err error
	// Retry says another attempt may succeed.
	Retry bool
}

// Sender makes one attempt at a background delivery.
type Sender interface {
	Send(ctx context.Context, d Delivery) Result
}

// HTTPSender requests a delivery's URL with a GET, as Mia CSTA does. Any 2xx
// or 3xx answer is success; 408, 425, 429 and 5xx answers and transport
// errors are retried; other 4xx answers are final (the URL is wrong, and
// asking again will not make it right).
type HTTPSender struct {
	// Client makes the requests; its Timeout should be unset (the outbox
	// bounds each attempt through the context).
	Client *http.Client
	// UserAgent is sent with every request.
	UserAgent string
}

// NewHTTPSender returns a sender with its own connection pool, sized for
// workers concurrent requests and never for fewer than DefaultWorkers: a
// pool smaller than the outbox's workers closes a connection after
// nearly every request in a storm and opens a new one for the next (a
// thousand sockets left in TIME_WAIT per 10,000 events), and idle
// connections cost nothing until they time out.
func NewHTTPSender(workers int, userAgent string) *HTTPSender {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = max(workers, DefaultWorkers)
	tr.Proxy = http.ProxyFromEnvironment
	return &HTTPSender{Client: &http.Client{Transport: tr}, UserAgent: userAgent}
}

// Send makes one GET request.
func (s *HTTPSender) Send(ctx context.Context, d Delivery) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return Result{Err: sayBadURL.With(nil, err)}
	}
	if s.UserAgent != "" {
		req.Header.Set("User-Agent", s.UserAgent)
	}
	req.Header.Set("Idempotency-Key", d.IdempotencyKey())
	host := req.URL.Host
	res, err := s.Client.Do(req)
	if err != nil {
		return Result{Err: transportError(host, err), Retry: true}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return AnswerResult(host, res.StatusCode)
}

// AnswerResult is the outcome of an answer with status from host, as Send
// makes it: the one place that decides which answers are retried and how
// a refusal is worded, which the windows' tests use for a failed delivery
// in their sample journal.
func AnswerResult(host string, status int) Result {
	args := map[string]any{"Host": host, "Status": status, "StatusText": http.StatusText(status)}
	switch {
	case status < 400:
		return Result{Status: status}
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly,
		status == http.StatusTooManyRequests, status >= 500:
		return Result{Status: status, Retry: true, Err: sayTryLater.With(args, nil)}
	default:
		return Result{Status: status, Err: sayRefused.With(args, nil)}
	}
}

// GaveUp is the reason of a delivery given up after attempts that could
// have passed later, err the last one's: what the outbox records, and what
// the windows' tests show for a delivery that failed for good.
func GaveUp(attempts int, err error) error {
	if s := sentence.Of(err); s != nil && s.Key == sayTryLater.Key {
		// Its promise to try again no longer holds: the answer alone.
		err = sayAnswered.With(s.Args, nil)
	}
	return sayGaveUp.With(map[string]any{"Attempts": attempts}, err)
}

// transportError turns a client error into a sentence without the URL
// (which carries a caller's number and perhaps a token); a network cause
// is worded as a phone's is (phone.NetCause).
func transportError(host string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	args := map[string]any{"Host": host}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return sayTimeout.With(args, nil)
	case errors.Is(err, context.Canceled):
		return sayCanceled.With(args, nil)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	return sayUnreachable.With(args, phone.NetCause(err))
}
