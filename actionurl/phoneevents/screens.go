package phoneevents

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ScreensPath is the part after the pairing token under which the phone
// fetches the screens dialbridge shows on its display:
// /phone/<token>/screen/<name>. No event format has this name.
const ScreensPath = "screen"

// screenKeep is how long a screen can be fetched after it was published:
// the phone fetches it at once, a retry comes within seconds.
const screenKeep = time.Minute

// screenMax bounds the screens kept, however many calls come at once.
const screenMax = 16

// Screens holds the few XML screens published for the phone to fetch
// (a caller's name pushed to a Snom through its minibrowser). They are
// served under the phone-event path, so that they are answered exactly
// as events are taken: to the phone's addresses only, with the pairing
// token; and each has a random name, so a screen cannot be guessed
// either.
type Screens struct {
	now func() time.Time

	mu      sync.Mutex
	screens map[string]screen
}

type screen struct {
	doc   string
	until time.Time
}

// NewScreens returns an empty store; now is the clock (nil: time.Now).
func NewScreens(now func() time.Time) *Screens {
	if now == nil {
		now = time.Now
	}
	return &Screens{now: now, screens: map[string]screen{}}
}

// Publish keeps doc for a minute and returns its name, the last part of
// the URL the phone fetches it at (ScreenURL).
func (s *Screens) Publish(doc string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	name := hex.EncodeToString(b[:])
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for n, sc := range s.screens {
		if !now.Before(sc.until) {
			delete(s.screens, n)
		}
	}
	if len(s.screens) >= screenMax {
		oldest := ""
		for n, sc := range s.screens {
			if oldest == "" || sc.until.Before(s.screens[oldest].until) {
				oldest = n
			}
		}
		delete(s.screens, oldest)
	}
	s.screens[name] = screen{doc: doc, until: now.Add(screenKeep)}
	return name
}

// get returns the screen called name while it is kept.
func (s *Screens) get(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.screens[name]
	if !ok || !s.now().Before(sc.until) {
		return "", false
	}
	return sc.doc, true
}

// ScreenURL is where the phone fetches the screen called name, with base
// the address the phone reaches dialbridge at (EventsBaseURL).
func ScreenURL(base, token, name string) string {
	return strings.TrimSuffix(base, "/") + PhoneEventsPrefix + token + "/" + ScreensPath + "/" + name
}

// serveScreen answers the phone's fetch of a screen (after the address
// and the token have been checked).
func (h *PhoneEvents) serveScreen(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		h.refuse(w, r, http.StatusMethodNotAllowed, "screens are fetched with GET")
		return
	}
	doc, ok := "", false
	if h.o.Screens != nil {
		doc, ok = h.o.Screens.get(name)
	}
	if !ok {
		h.refuse(w, r, http.StatusNotFound, "not found: this screen is gone (screens are kept for a minute)")
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+doc)
}
