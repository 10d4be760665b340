package cisco

import (
	"crypto/subtle"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
)

// SimOptions configure a simulated Cisco phone.
type SimOptions struct {
	// Options carry the transport settings. The phone checks credentials
	// itself (against CUCM), so Auth must stay AuthNone; Username and
	// Password are the CUCM user that controls the phone.
	phonesim.Options
}

// Sim is a simulated CUCM-controlled Cisco phone taking pushed objects at
// /CGI/Execute. As the phone does, it answers a request without
// credentials with a Basic challenge (401), wrong credentials with
// CiscoIPPhoneError 4, a form without a well-formed CiscoIPPhoneExecute of
// one to three items with CiscoIPPhoneError 1, and a URI it cannot carry
// out with a ResponseItem whose Status is not 0. Another path is 404,
// another method 405.
type Sim struct {
	*phonesim.Server
	opts SimOptions

	mu     sync.Mutex
	dialed []string
	dtmf   string
	inCall bool
	// keyRequests are the Key: URIs of every request, one entry per
	// request, joined by ";" when it held several.
	keyRequests []string
}

// StartSim starts a simulated Cisco phone on a free loopback port.
func StartSim(opts SimOptions) (*Sim, error) {
	opts.Options = opts.WithRealm("Cisco CP-8851")
	s := &Sim{opts: opts}
	inner := opts.Options
	inner.Auth = phonesim.AuthNone
	return phonesim.Serve(s, &s.Server, s.serve, inner)
}

// Dialed returns every number dialed so far.
func (s *Sim) Dialed() []string { return phonesim.Snapshot(&s.mu, &s.dialed) }

// KeyRequests returns the Key: URIs of every request that pressed keys,
// oldest first.
func (s *Sim) KeyRequests() []string { return phonesim.Snapshot(&s.mu, &s.keyRequests) }

// DTMF returns the keypad digits pressed during calls.
func (s *Sim) DTMF() string { return phonesim.Locked(&s.mu, func() string { return s.dtmf }) }

func phoneError(w http.ResponseWriter, n int) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CiscoIPPhoneError Number=\"%d\" />\n", n)
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	if !phonesim.Accept(w, r, r.URL.Path == executePath, http.MethodPost) {
		return
	}
	u, p, ok := r.BasicAuth()
	if !ok {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", s.opts.Realm))
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if subtle.ConstantTimeCompare([]byte(u), []byte(s.opts.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(p), []byte(s.opts.Password)) != 1 {
		phoneError(w, 4)
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		phoneError(w, 1)
		return
	}
	var obj struct {
		XMLName xml.Name `xml:"CiscoIPPhoneExecute"`
		Items   []struct {
			URL string `xml:"URL,attr"`
		} `xml:"ExecuteItem"`
	}
	if xml.Unmarshal([]byte(r.PostForm.Get("XML")), &obj) != nil || len(obj.Items) == 0 || len(obj.Items) > maxItems {
		phoneError(w, 1)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CiscoIPPhoneResponse>\n")
	var keys []string
	for _, it := range obj.Items {
		if strings.HasPrefix(it.URL, "Key:") {
			keys = append(keys, it.URL)
		}
	}
	if len(keys) > 0 {
		s.keyRequests = append(s.keyRequests, strings.Join(keys, ";"))
	}
	for _, it := range obj.Items {
		st := s.run(it.URL)
		b.WriteString(`<ResponseItem URL="`)
		_ = xml.EscapeText(&b, []byte(it.URL))
		fmt.Fprintf(&b, "\" Data=\"\" Status=\"%d\" />\n", st)
	}
	b.WriteString("</CiscoIPPhoneResponse>\n")
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(b.String()))
}

// keypad maps the keypad URIs to their digits.
var keypad = map[string]string{"KeyPadStar": "*", "KeyPadPound": "#"}

// otherKeys are the Key: URIs of the guide's 8800 table besides the keypad
// and the numbered keys: the phone presses them and reports status 0.
var otherKeys = map[string]bool{
	"Applications": true, "Contacts": true, "Directories": true, "Headset": true, "Hold": true, "KemPage": true,
	"Messages": true, "Mute": true, "NavDwn": true, "NavLeft": true, "NavRight": true, "NavSelect": true, "NavUp": true,
	"Release": true, "Services": true, "Settings": true, "Speaker": true, "VolDwn": true, "VolUp": true,
}

// numberedKey reports whether name is prefix followed by 1..max.
func numberedKey(name, prefix string, max int) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(name, prefix))
	return strings.HasPrefix(name, prefix) && err == nil && n >= 1 && n <= max
}

// run carries out one URI and returns its status; s.mu is held.
func (s *Sim) run(uri string) int {
	scheme, arg, _ := strings.Cut(uri, ":")
	switch scheme {
	case "Dial":
		if arg == "" {
			return 1
		}
		s.dialed = append(s.dialed, arg)
		s.inCall = true
		return 0
	case "Key":
		d := keypad[arg]
		if n, ok := strings.CutPrefix(arg, "KeyPad"); ok && len(n) == 1 && n[0] >= '0' && n[0] <= '9' {
			d = n
		}
		if d == "" {
			if arg == "Release" {
				s.inCall = false
			}
			if otherKeys[arg] || numberedKey(arg, "Soft", 5) || numberedKey(arg, "Line", maxLineKey) ||
				numberedKey(arg, "Session", 6) || numberedKey(arg, "Feature", 120) || numberedKey(arg, "FixedFeature", 3) {
				return 0
			}
			return 1
		}
		if s.inCall {
			s.dtmf += d
		}
		return 0
	default:
		return 1
	}
}

// Simulated starts a simulated Cisco phone that takes user and password,
// for the demo mode and for tests that pair with it.
func Simulated(user, password string) (phone.Simulator, error) {
	return StartSim(SimOptions{Options: phonesim.Options{Username: user, Password: password}})
}
