package snom

import (
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Snom phone.
type SimOptions struct {
	phonesim.Options
	// NoCommandPage simulates Snom D8xx firmware, which removed
	// command.htm and answers it with 404.
	NoCommandPage bool
	// Events, when set, makes the phone report what it is told to do, as
	// a real one does: a dial becomes an outgoing call, key presses
	// answer, hold, transfer and hang up its calls. Nil records only.
	Events *EventSim
	// BeforeFHold simulates firmware before 8.7.3.7, whose HOLD key is
	// F_R: it refuses F_HOLD as a key it does not know.
	BeforeFHold bool
}

// Sim is a simulated Snom phone speaking the command.htm protocol. It keeps
// the little state a test or the demo mode needs to look at: the last number
// dialed and every key event pressed.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu     sync.Mutex
	dialed []Dialed
	keys   []string
	// keyRequests are the key= values as the phone received them, one
	// per request, times and all.
	keyRequests []string
	dtmf        []string
	dnd         bool
	// settings are the settings saved with dummy.htm, as settings.htm
	// lists them.
	settings map[string]string
	// fetched are the URLs the minibrowser fetched, with their status.
	fetched []string
	// shown are the text screens among what it fetched.
	shown []Screen
	// leds are the key lights the fetched screens set, by light number.
	leds map[int]SimLED
}

// Dialed is one dial the simulated phone carried out: the number, and the
// identity it was dialed from (outgoing_uri) when the request named one.
type Dialed = phone.DialOptions

// StartSim starts a simulated Snom phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("snom D785")
	if opts.NoCommandPage {
		opts.Missing = append(slices.Clip(opts.Missing), commandPath)
	}
	s := &Sim{opts: opts}
	return phonesim.Serve(s, &s.Server, s.serve, opts.Options)
}

// Dialed returns every dial so far, oldest first.
func (s *Sim) Dialed() []Dialed { return phonesim.Snapshot(&s.mu, &s.dialed) }

// Keys returns every key event so far, one per pressed key.
func (s *Sim) Keys() []string { return phonesim.Snapshot(&s.mu, &s.keys) }

// KeyRequests returns the key= value of every request so far, as the phone
// received it (KEY,TIME,PAUSE;...), oldest first.
func (s *Sim) KeyRequests() []string { return phonesim.Snapshot(&s.mu, &s.keyRequests) }

// DTMF returns every key_dtmf string so far.
func (s *Sim) DTMF() []string { return phonesim.Snapshot(&s.mu, &s.dtmf) }

// DND reports whether do not disturb is on, as the phone shows it.
func (s *Sim) DND() bool { return phonesim.Locked(&s.mu, func() bool { return s.dnd }) }

// knownKey is every key event of Snom's list: what a phone does with any
// other name is to refuse the request. The HOLD key has one name per
// firmware.
func (s *Sim) knownKey(k string) bool {
	switch k {
	case keyHold:
		return !s.opts.BeforeFHold
	case keyHoldOld:
		return s.opts.BeforeFHold
	}
	return phone.IsSnomKey(k)
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case settingsSavePath, settingsShowPath, minibrowserPath:
		s.serveSettings(w, r)
		return
	case "/":
		// The start page names the model in its title, as a real
		// phone's does.
		if phonesim.Accept(w, r, true, http.MethodGet) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><head><title>snom D785</title></head><body></body></html>")
		}
		return
	}
	if !phonesim.Accept(w, r, r.URL.Path == commandPath, http.MethodGet, http.MethodPost) {
		return
	}
	// The phone splits its query at '&' only: a key chain's ';' belongs
	// to the value (Go's own parser would refuse it as a separator).
	raw := r.URL.RawQuery
	r.URL.RawQuery = ""
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	for k, v := range phone.ParseQuery(raw) {
		r.Form[k] = v
	}
	if k := r.Form.Get("key"); k != "" {
		for _, ev := range strings.Split(k, ";") {
			if key, _, _ := strings.Cut(ev, ","); !s.knownKey(key) {
				http.Error(w, "unknown key "+key, http.StatusBadRequest)
				return
			}
		}
	}
	var did, pressed []string
	var dial string
	var dnd []bool // the DND states the keys switched to
	s.mu.Lock()
	if n := r.Form.Get("number"); n != "" {
		dial = n
		s.dialed = append(s.dialed, Dialed{Number: n, Identity: r.Form.Get("outgoing_uri")})
		did = append(did, "Dialing "+n)
	}
	if k := r.Form.Get("key"); k != "" {
		s.keyRequests = append(s.keyRequests, k)
		for _, ev := range strings.Split(k, ";") {
			key, _, _ := strings.Cut(ev, ",") // KEY[,time[,pause]]
			s.keys = append(s.keys, key)
			pressed = append(pressed, key)
			if key == "DND" {
				s.dnd = !s.dnd
				dnd = append(dnd, s.dnd)
			}
		}
		did = append(did, "Keys "+k)
	}
	if d := r.Form.Get("key_dtmf"); d != "" {
		s.dtmf = append(s.dtmf, d)
		did = append(did, "DTMF "+d)
	}
	s.mu.Unlock()
	if ev := s.opts.Events; ev != nil {
		if dial != "" {
			ev.Dial(dial)
		}
		if len(pressed) > 0 {
			ev.Press(pressed...)
		}
		for _, on := range dnd {
			ev.DND(on)
		}
	}
	s.pressFunctionKeys(pressed)
	// A real phone answers with its HTML status page whatever it did.
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<html><head><title>snom D785</title></head><body><p>%s</p></body></html>",
		html.EscapeString(strings.Join(did, "; ")))
}

// Simulated starts a simulated Snom phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Auth: phonesim.AuthDigest, Username: user, Password: password}})
}
