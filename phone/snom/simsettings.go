package snom

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// serveSettings answers dummy.htm?settings=save (stores every other
// parameter as a setting; the action URL settings also reach the event
// simulator, so the phone reports its calls where pairing pointed it),
// settings.htm (lists the settings as "name!: value" lines) and
// minibrowser.htm?url=U (fetches U as the phone's XML browser does).
func (s *Sim) serveSettings(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, true, http.MethodGet) {
		return
	}
	q := r.URL.Query()
	switch r.URL.Path {
	case settingsSavePath:
		if q.Get("settings") != "save" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		saved := map[string]string{}
		for name, vs := range q {
			if name != "settings" && len(vs) > 0 {
				saved[name] = vs[len(vs)-1]
			}
		}
		s.mu.Lock()
		if s.settings == nil {
			s.settings = map[string]string{}
		}
		maps.Copy(s.settings, saved)
		// dnd_mode is do not disturb itself, which the phone reports
		// through its DND action URLs as when the key is pressed.
		mode, dnd := saved["dnd_mode"]
		if dnd {
			s.dnd = mode == "on"
		}
		s.mu.Unlock()
		if ev := s.opts.Events; ev != nil {
			ev.SetActionURLs(saved)
			if dnd {
				ev.DND(mode == "on")
			}
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>snom D785</title></head><body><p>Settings saved</p></body></html>")
	case settingsShowPath:
		s.mu.Lock()
		var b strings.Builder
		for _, name := range slices.Sorted(maps.Keys(s.settings)) {
			fmt.Fprintf(&b, "%s!: %s\n", name, s.settings[name])
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, b.String())
	case minibrowserPath:
		target := q.Get("url")
		if target == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		status := s.fetch(r.Context(), target)
		s.mu.Lock()
		s.fetched = append(s.fetched, fmt.Sprintf("%s %s", status, target))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>snom D785</title></head><body><p>OK</p></body></html>")
	}
}

// fetch requests target as the phone's minibrowser does and returns the
// status ("200 OK", or the error), which Fetched reports.
func (s *Sim) fetch(ctx context.Context, target string) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err.Error()
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return err.Error()
	}
	if res.StatusCode == http.StatusOK {
		s.showScreen(body)
	}
	return res.Status
}

// SimLED is a key light as the simulated phone shows it.
type SimLED struct {
	// State is what the screen said: "On", "Off", "Blink", ...
	State string
	Color string
}

// screenXML is the part of a minibrowser screen the simulated phone
// acts on: its LED elements.
type screenXML struct {
	XMLName xml.Name `xml:"SnomIPPhoneText"`
	LEDs    []struct {
		Number string `xml:"number,attr"`
		Color  string `xml:"color,attr"`
		State  string `xml:",chardata"`
	} `xml:"LED"`
}

// showScreen takes a fetched screen as the phone does: every LED element
// sets the light it numbers, and the lights keep their state until a later
// screen changes them. A page that is no SnomIPPhoneText changes nothing.
func (s *Sim) showScreen(body []byte) {
	var doc screenXML
	if xml.Unmarshal(body, &doc) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range doc.LEDs {
		n, err := strconv.Atoi(strings.TrimSpace(l.Number))
		if err != nil {
			continue
		}
		if s.leds == nil {
			s.leds = map[int]SimLED{}
		}
		s.leds[n] = SimLED{State: strings.TrimSpace(l.State), Color: l.Color}
	}
}

// LEDs returns the key lights the phone shows, by light number (Snom's
// numbering, not the key's).
func (s *Sim) LEDs() map[int]SimLED {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.leds)
}

// Settings returns the settings saved so far.
func (s *Sim) Settings() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.settings)
}

// Fetched returns what the minibrowser fetched, as "STATUS URL", oldest
// first.
func (s *Sim) Fetched() []string { return phonesim.Snapshot(&s.mu, &s.fetched) }
