package lookup

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/carddav"
)

// CardDAVOptions configure a CardDAV address book source.
type CardDAVOptions struct {
	// URL is the address book's collection
	// ("https://dav.example/addressbooks/me/contacts/").
	URL      string
	Username string
	Password func() string
	// Every is how old the local copy may get before a lookup starts a
	// sync in the background; 0 means five minutes.
	Every  time.Duration
	Client *http.Client
	Now    func() time.Time
}

// CardDAVSource keeps a local copy of a CardDAV address book, so that a
// call looks a number up without asking the server. The copy is brought
// up to date in the background: with the collection's sync-token
// (RFC 6578) only what changed since the last sync travels, and a server
// that forgot the token gets asked for everything again. A server without
// sync-collection is asked for its ctag (getctag, the CalendarServer
// property most servers keep) and read in full only when the ctag
// changed, or, without a ctag either, whenever the copy is older than
// Every. No goroutine lives between syncs, so an idle dialbridge does
// nothing.
type CardDAVSource struct {
	o   CardDAVOptions
	key KeyFunc

	mu    sync.Mutex
	cards map[string]vcard.Card // by path in the collection
	book  *Book
	token string
	// noSync: the server refused sync-collection once, so syncs go by
	// ctag (or read everything) from then on.
	noSync  bool
	ctag    string    // of the last read by ctag; "" for none
	synced  time.Time // last successful sync
	err     error     // of the last sync
	running chan struct{}
	first   chan struct{} // closed once the first sync is over
}

// NewCardDAVSource checks the URL and starts the first sync.
func NewCardDAVSource(o CardDAVOptions, key KeyFunc) (*CardDAVSource, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, say("carddav_url", "{{.URL}} is not an http:// or https:// address book URL", map[string]any{"URL": strconv.Quote(o.URL)}, nil)
	}
	if o.Every <= 0 {
		o.Every = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Password == nil {
		o.Password = func() string { return "" }
	}
	s := &CardDAVSource{o: o, key: key, cards: map[string]vcard.Card{}, book: newBook(), first: make(chan struct{})}
	s.mu.Lock()
	s.startSync()
	s.mu.Unlock()
	return s, nil
}

// Label names the source by its host.
func (s *CardDAVSource) Label() string {
	u, _ := url.Parse(s.o.URL)
	return "carddav " + u.Host
}

// Find looks the number up in the local copy, starting a sync in the
// background when the copy is old. Before the first sync is over it waits
// for it (as long as ctx lets it).
func (s *CardDAVSource) Find(ctx context.Context, n Number) (Contact, bool, error) {
	select {
	case <-s.first:
	case <-ctx.Done():
		return Contact{}, false, say("carddav_unsynced", "the address book at {{.Host}} is not synced yet", map[string]any{"Host": s.host()}, ctx.Err())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.o.Now().Sub(s.synced) >= s.o.Every {
		s.startSync()
	}
	c, ok := s.book.Find(n.Key)
	return c, ok, s.err
}

// Status reports the last successful sync, how many numbers the copy
// holds, and why the last sync failed (nil when it worked).
func (s *CardDAVSource) Status() (synced time.Time, numbers int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.synced, s.book.Len(), s.err
}

// Sync brings the local copy up to date now and returns its outcome.
func (s *CardDAVSource) Sync(ctx context.Context) error {
	s.mu.Lock()
	done := s.startSync()
	s.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *CardDAVSource) host() string { return s.Label()[len("carddav "):] }

// startSync starts a sync unless one runs; it returns a channel closed
// when the running sync is over. Called with s.mu held.
func (s *CardDAVSource) startSync() chan struct{} {
	if s.running != nil {
		return s.running
	}
	done := make(chan struct{})
	s.running = done
	was := syncState{token: s.token, noSync: s.noSync, ctag: s.ctag, synced: !s.synced.IsZero()}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, full, err := s.fetch(ctx, was)
		s.mu.Lock()
		defer s.mu.Unlock()
		if err == nil {
			s.noSync, s.ctag = res.noSync, res.ctag
			if full {
				s.cards = map[string]vcard.Card{}
			}
			for _, p := range res.Deleted {
				delete(s.cards, p)
			}
			for p, c := range res.updated {
				s.cards[p] = c
			}
			s.rebuild()
			s.token, s.synced = res.SyncToken, s.o.Now()
		}
		s.err = err
		s.running = nil
		close(done)
		select {
		case <-s.first:
		default:
			close(s.first)
		}
	}()
	return done
}

// syncState is what a sync starts from: the last sync's token or ctag.
type syncState struct {
	token  string
	noSync bool
	ctag   string
	synced bool // the copy holds a successful sync
}

// syncResult is what changed since the token, with the cards themselves,
// and how the next sync goes (by ctag, and which).
type syncResult struct {
	carddav.SyncResponse
	updated map[string]vcard.Card
	noSync  bool
	ctag    string
}

// fetch asks what changed since the token, or everything (full) when there
// is no token or the server no longer knows it; a server that refuses
// sync-collection is synced by ctag.
func (s *CardDAVSource) fetch(ctx context.Context, was syncState) (syncResult, bool, error) {
	var hc webdav.HTTPClient = s.o.Client
	if s.o.Client == nil {
		hc = http.DefaultClient
	}
	if s.o.Username != "" {
		hc = webdav.HTTPClientWithBasicAuth(hc, s.o.Username, s.o.Password())
	}
	c, err := carddav.NewClient(hc, s.o.URL)
	if err != nil {
		return syncResult{}, false, err
	}
	path := s.o.URL
	if u, err := url.Parse(s.o.URL); err == nil {
		path = u.Path
	}
	if was.noSync {
		return s.fetchByCtag(ctx, hc, c, path, was)
	}
	token := was.token
	resp, err := c.SyncCollection(ctx, path, &carddav.SyncQuery{SyncToken: token})
	full := token == ""
	if err != nil && token != "" {
		// The token may have expired on the server: start over.
		resp, err = c.SyncCollection(ctx, path, &carddav.SyncQuery{})
		full = true
	}
	if err != nil && !strings.Contains(err.Error(), "401 Unauthorized") && ctx.Err() == nil {
		// A server without sync-collection (RFC 6578 is optional)
		// refuses the report (403 with DAV:supported-report, 400 or 501
		// as the server has it); ctags are older and kept by more
		// servers. A refused login stays a refused login.
		return s.fetchByCtag(ctx, hc, c, path, syncState{noSync: true})
	}
	if err != nil {
		return syncResult{}, false, s.explain(err)
	}
	res := syncResult{SyncResponse: *resp, updated: map[string]vcard.Card{}}
	var paths []string
	for _, o := range resp.Updated {
		paths = append(paths, o.Path)
	}
	if len(paths) > 0 {
		objs, err := c.MultiGetAddressBook(ctx, path, &carddav.AddressBookMultiGet{Paths: paths, DataRequest: carddav.AddressDataRequest{AllProp: true}})
		if err != nil {
			return syncResult{}, false, s.explain(err)
		}
		for _, o := range objs {
			res.updated[o.Path] = o.Card
		}
	}
	return res, full, nil
}

// explain turns a WebDAV error into a sentence naming the server.
func (s *CardDAVSource) explain(err error) error {
	// go-webdav keeps its HTTP error type internal; its message carries
	// the status code.
	switch {
	case refusedLogin(err):
		return say("carddav_auth", "the address book at {{.Host}} refused the user name or password", map[string]any{"Host": s.host()}, err)
	case errors.Is(err, context.DeadlineExceeded):
		return say("carddav_timeout", "the address book at {{.Host}} did not answer within a minute", map[string]any{"Host": s.host()}, err)
	}
	return say("carddav_sync", "the address book at {{.Host}} could not be synced", map[string]any{"Host": s.host()}, phone.NetCause(err))
}

// rebuild makes the book from the cards. Called with s.mu held.
func (s *CardDAVSource) rebuild() {
	b := newBook()
	for _, card := range s.cards {
		addCard(b, card, s.key)
	}
	s.book = b.done()
}
