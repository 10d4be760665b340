package phoneevents

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// ScreenFormat is the name under /phone/<token>/ where the phone fetches
// the XML screens dialbridge shows it (Snom's minibrowser): the key
// lights, a caller's name. It is no event format, so no brand may take it.
const ScreenFormat = "screen"

// screensKept is how many screens stay fetchable: the phone fetches a
// screen at once, so only the latest few are kept.
const screensKept = 16

// Screens keeps the XML screens the phone fetches from dialbridge's
// phone-event path, with the pairing token in their URL, answered only to
// the phone (and loopback) like its events: a screen can say what the
// person's calls are, so nobody else may read it. It is the
// phone.ScreenHost every driver that shows screens by URL is given.
type Screens struct {
	// Base returns the address the phone reaches dialbridge at
	// ("http://192.0.2.5:61234").
	Base func() (string, error)
	// Token returns the pairing token.
	Token func() string

	mu    sync.Mutex
	seq   int
	docs  map[string]string
	order []string
}

// PublishScreen keeps document and returns the URL the phone fetches it
// at: /phone/<token>/screen/<n> on the address the phone reaches.
func (s *Screens) PublishScreen(document string) (string, error) {
	if s.Base == nil || s.Token == nil || s.Token() == "" {
		return "", errors.New("there is no pairing token yet, so the phone has nowhere to fetch its screens")
	}
	base, err := s.Base()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.docs == nil {
		s.docs = map[string]string{}
	}
	s.seq++
	name := strconv.Itoa(s.seq)
	s.docs[name] = document
	s.order = append(s.order, name)
	if len(s.order) > screensKept {
		delete(s.docs, s.order[0])
		s.order = s.order[1:]
	}
	return strings.TrimSuffix(base, "/") + PhoneEventsPrefix + s.Token() + "/" + ScreenFormat + "/" + name, nil
}

// screen returns the screen published as name.
func (s *Screens) screen(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.docs[name]
	return doc, ok
}

// serveScreen answers the phone's fetch of a screen; the caller has
// checked the address and the token.
func (h *PhoneEvents) serveScreen(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		h.refuse(w, r, http.StatusMethodNotAllowed, "screens are fetched with GET")
		return
	}
	var doc string
	ok := h.o.Screens != nil
	if ok {
		doc, ok = h.o.Screens.screen(name)
	}
	if !ok {
		h.refuse(w, r, http.StatusNotFound, "not found: no such screen")
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, doc)
}

// sameToken reports whether token is the pairing token want ("" never is).
func sameToken(token, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(token), []byte(want)) == 1
}
