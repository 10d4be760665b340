package snom

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// save stores settings as the phone does, whether saved through
// dummy.htm or at the phone itself. The action URL settings reach the
// event simulator; do not disturb (dnd_mode) and the "always" forwarding
// (fwd_all_enabled1, to fwd_all_target1) are reported through their
// action URLs, as when the person switches them at the phone.
func (s *Sim) save(saved map[string]string) {
	s.mu.Lock()
	if s.settings == nil {
		s.settings = map[string]string{}
	}
	maps.Copy(s.settings, saved)
	mode, dnd := saved["dnd_mode"]
	if dnd {
		s.dnd = mode == "on"
	}
	fwd, forward := saved["fwd_all_enabled1"]
	target := s.settings["fwd_all_target1"]
	s.mu.Unlock()
	if ev := s.opts.Events; ev != nil {
		ev.SetActionURLs(saved)
		if dnd {
			ev.DND(mode == "on")
		}
		if forward {
			ev.Forward(fwd == "on", target)
		}
	}
}

// ForwardAtDesk is the person at the phone switching the forwarding of
// every call on, to target, in the phone's menu, or off when target is
// empty: the settings change and the phone reports it.
func (s *Sim) ForwardAtDesk(target string) {
	if target == "" {
		s.save(map[string]string{"fwd_all_enabled1": "off"})
		return
	}
	s.save(map[string]string{"fwd_all_target1": target, "fwd_all_enabled1": "on"})
}

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
		s.save(saved)
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
		status, body := s.fetch(r.Context(), target)
		s.mu.Lock()
		s.fetched = append(s.fetched, fmt.Sprintf("%s %s", status, target))
		if sc, ok := readScreen(body); ok {
			s.shown = append(s.shown, sc)
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>snom D785</title></head><body><p>OK</p></body></html>")
	}
}

// fetch requests target as the phone's minibrowser does and returns the
// status ("200 OK", or the error), which Fetched reports, and the body of
// a successful answer.
func (s *Sim) fetch(ctx context.Context, target string) (string, []byte) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err.Error(), nil
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error(), nil
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil || res.StatusCode != http.StatusOK {
		return res.Status, nil
	}
	return res.Status, body
}

// Screen is a text screen the simulated phone showed: its title and text
// as the display shows them (the XML read, entities resolved), and the
// names of any other elements in it, which a real phone would act on
// (an LED, a fetch of another URL).
type Screen struct {
	Title, Text string
	Elements    []string
}

// readScreen reads a SnomIPPhoneText document as the phone's XML browser
// does; ok is false for anything else (a page that does not parse).
func readScreen(body []byte) (Screen, bool) {
	var doc struct {
		XMLName xml.Name `xml:"SnomIPPhoneText"`
		Title   string   `xml:"Title"`
		Text    string   `xml:"Text"`
		Other   []struct {
			XMLName xml.Name
		} `xml:",any"`
	}
	if len(body) == 0 || xml.Unmarshal(body, &doc) != nil {
		return Screen{}, false
	}
	sc := Screen{Title: doc.Title, Text: doc.Text}
	for _, o := range doc.Other {
		sc.Elements = append(sc.Elements, o.XMLName.Local)
	}
	return sc, true
}

// Shown returns the text screens the minibrowser fetched and showed,
// oldest first.
func (s *Sim) Shown() []Screen { return phonesim.Snapshot(&s.mu, &s.shown) }

// Settings returns the settings saved so far.
func (s *Sim) Settings() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.settings)
}

// Fetched returns what the minibrowser fetched, as "STATUS URL", oldest
// first.
func (s *Sim) Fetched() []string { return phonesim.Snapshot(&s.mu, &s.fetched) }
