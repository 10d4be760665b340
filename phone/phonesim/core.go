package phonesim

import (
	"net/http"
	"slices"
	"strings"
	"sync"
)

// CallState is where a simulated call stands, for the simulators whose
// phones name their states in no words of their own.
type CallState string

// The states of a simulated call.
const (
	Ringing   CallState = "ringing"
	Connected CallState = "connected"
	Held      CallState = "held"
)

// Calls is the call table of a simulated phone that keeps calls: the calls
// by id, in the order they came, with ids in the brand's own form (Yealink
// $call_id, Auerswald callId, Polycom handle, Snom $csta_id). It does no
// locking of its own: a simulator changes its calls together with the rest
// of its state in one request, so it holds its own lock around every use.
type Calls[C any] struct {
	byID  map[string]*C
	ids   []string
	count int
	newID func(n int) string
}

// NewCalls returns an empty call table; newID turns the count of calls
// made so far (1 for the first) into the brand's id.
func NewCalls[C any](newID func(n int) string) *Calls[C] {
	return &Calls[C]{byID: map[string]*C{}, newID: newID}
}

// Add puts a new call on the phone: make gets the call's id and returns
// the call. It returns the id.
func (t *Calls[C]) Add(make func(id string) C) string {
	t.count++
	id := t.newID(t.count)
	c := make(id)
	t.byID[id] = &c
	t.ids = append(t.ids, id)
	return id
}

// Get returns the call with id, or nil when the phone has none.
func (t *Calls[C]) Get(id string) *C { return t.byID[id] }

// Delete takes the call with id off the phone (hung up, transferred).
func (t *Calls[C]) Delete(id string) {
	if _, ok := t.byID[id]; !ok {
		return
	}
	delete(t.byID, id)
	t.ids = slices.DeleteFunc(t.ids, func(s string) bool { return s == id })
}

// Find returns the oldest call that match accepts, or nil.
func (t *Calls[C]) Find(match func(c *C) bool) *C {
	for _, id := range t.ids {
		if c := t.byID[id]; match(c) {
			return c
		}
	}
	return nil
}

// List returns a copy of the calls, oldest first.
func (t *Calls[C]) List() []C {
	out := make([]C, 0, len(t.ids))
	for _, id := range t.ids {
		out = append(out, *t.byID[id])
	}
	return out
}

// Snapshot returns a copy of the log *p, read under mu: the getters by
// which tests and the demo look at what a simulated phone did.
func Snapshot[T any](mu *sync.Mutex, p *[]T) []T {
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(*p)
}

// Locked returns read's result, read under mu.
func Locked[T any](mu *sync.Mutex, read func() T) T {
	mu.Lock()
	defer mu.Unlock()
	return read()
}

// Serve starts the server of a brand's simulator sim, which embeds
// *Server at server, with handler behind opts' authentication, and
// returns sim once it listens.
func Serve[S any](sim S, server **Server, handler http.HandlerFunc, opts Options) (S, error) {
	srv, err := Start(handler, opts)
	if err != nil {
		var none S
		return none, err
	}
	*server = srv
	return sim, nil
}

// Accept answers a request the way a phone's web server does when it is
// not for the page the simulator serves: 404 when found is false (another
// path), 405 naming the allowed methods when the method is not one of
// methods. It reports whether the request is the simulator's to handle.
func Accept(w http.ResponseWriter, r *http.Request, found bool, methods ...string) bool {
	if !found {
		http.NotFound(w, r)
		return false
	}
	if !slices.Contains(methods, r.Method) {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return false
	}
	return true
}
