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
			if s.leds == nil && sc.LEDs != nil {
				s.leds = map[int]SimLED{}
			}
			maps.Copy(s.leds, sc.LEDs)
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
	status, body, err := phoneGet(ctx, target)
	if err != nil {
		return err.Error(), nil
	}
	return status, body
}

// phoneGet requests target as the phone does, with its User-Agent, and
// returns the answer's status and, for a 200, its body.
func phoneGet(ctx context.Context, target string) (string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("User-Agent", simUserAgent)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil || res.StatusCode != http.StatusOK {
		return res.Status, nil, nil
	}
	return res.Status, body, nil
}

// Screen is a text screen the simulated phone showed: its title and text
// as the display shows them (the XML read, entities resolved), and the
// names of any other elements in it, which a real phone would act on
// (an LED, a fetch of another URL).
type Screen struct {
	Title, Text string
	Elements    []string
	// LEDs are the key lights the screen set, by light number.
	LEDs map[int]SimLED
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
			// An LED element's light number, colour and state.
			Number string `xml:"number,attr"`
			Color  string `xml:"color,attr"`
			Value  string `xml:",chardata"`
		} `xml:",any"`
	}
	if len(body) == 0 || xml.Unmarshal(body, &doc) != nil {
		return Screen{}, false
	}
	sc := Screen{Title: doc.Title, Text: doc.Text}
	for _, o := range doc.Other {
		sc.Elements = append(sc.Elements, o.XMLName.Local)
		if n, err := strconv.Atoi(strings.TrimSpace(o.Number)); err == nil && o.XMLName.Local == "LED" {
			if sc.LEDs == nil {
				sc.LEDs = map[int]SimLED{}
			}
			sc.LEDs[n] = SimLED{State: strings.TrimSpace(o.Value), Color: o.Color}
		}
	}
	return sc, true
}

// SimLED is a key light as the simulated phone shows it.
type SimLED struct {
	// State is what the screen said: "On", "Off", "Blink", ...
	State string
	Color string
}

// LEDs returns the key lights the phone shows, by light number (Snom's
// numbering, not the key's): every LED element of a fetched screen sets
// the light it numbers, which keeps its state until a later screen
// changes it.
func (s *Sim) LEDs() map[int]SimLED {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.leds)
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

// simUserAgent is what the simulated phone's own requests say it is, as a
// Snom D785 does, so that dialbridge can read the model from them.
const simUserAgent = "snom D785-SIP 10.1.159.12"

// PressFunctionKey presses function key n (P1 is 1) as a person does: a
// key whose setting fkeyN (N counting from 0) is "url U" makes the phone
// request U, as a real one does. It returns the answer's status ("200
// OK"), or an error when the key calls no URL or the request failed.
func (s *Sim) PressFunctionKey(ctx context.Context, n int) (string, error) {
	s.mu.Lock()
	value := s.settings[fmt.Sprintf("fkey%d", n-1)]
	s.mu.Unlock()
	target, ok := strings.CutPrefix(value, "url ")
	if !ok {
		return "", fmt.Errorf("key P%d calls no URL (fkey%d = %q)", n, n-1, value)
	}
	status, _, err := phoneGet(ctx, target)
	return status, err
}

// pressFunctionKeys lets the function keys among pressed (P1, P2, …) whose
// setting calls a URL request it, as a real phone does when command.htm
// presses them: in the background, since the phone answers command.htm
// at once.
func (s *Sim) pressFunctionKeys(pressed []string) {
	for _, k := range pressed {
		digits, ok := strings.CutPrefix(k, "P")
		n, err := strconv.Atoi(digits)
		if !ok || err != nil || n < 1 {
			continue
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _ = s.PressFunctionKey(ctx, n)
		}()
	}
}
