package phoneevents

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// KeysPath is the name, in place of an event format, under which the
// function keys dialbridge programmed call it:
// /phone/<pairing token>/key/<N>. The keys' URLs go through the same door
// as the phone's events: only from the phone (or loopback), only with the
// pairing token, and no brand's event format is named so.
const KeysPath = "key"

// KeyURL is the URL function key n requests when pressed, with base the
// address the phone reaches dialbridge at (EventsBaseURL) and token the
// pairing token.
func KeyURL(base, token string, n int) string {
	return strings.TrimSuffix(base, "/") + PhoneEventsPrefix + token + "/" + KeysPath + "/" + strconv.Itoa(n)
}

// ErrKeyNotBound is a KeyPresser's answer for a key no [[phone.keys]]
// binding names (any more).
var ErrKeyNotBound = errors.New("no dialbridge action is bound to this key")

// KeyPresser runs the action bound to a function key when the phone
// requests the key's URL. PressKey answers at once: ErrKeyNotBound, or
// nil when the action has started; the action itself runs on, and reports
// its own failure, so that the phone's request does not wait for a dial.
type KeyPresser interface {
	PressKey(key int) error
}

// SetKeys sets what pressing a function key runs; nil (the default)
// refuses every key.
func (h *PhoneEvents) SetKeys(k KeyPresser) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = k
}

// pressKey takes a function key's request (already checked for the phone's
// address and the token): event is the key's number.
func (h *PhoneEvents) pressKey(w http.ResponseWriter, r *http.Request, event string) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		h.refuse(w, r, http.StatusMethodNotAllowed, "function keys are pressed with GET")
		return
	}
	// Only the number as KeyURL writes it: "01" or "+1" is no key.
	n, err := strconv.Atoi(event)
	if err != nil || n < 1 || strconv.Itoa(n) != event {
		h.refuse(w, r, http.StatusNotFound, fmt.Sprintf("not found: %q is not a function key's number", clipText(event)))
		return
	}
	h.mu.Lock()
	keys := h.keys
	h.mu.Unlock()
	if keys == nil {
		h.refuse(w, r, http.StatusNotFound, ErrKeyNotBound.Error())
		return
	}
	if err := keys.PressKey(n); err != nil {
		status := http.StatusConflict
		if errors.Is(err, ErrKeyNotBound) {
			status = http.StatusNotFound
		}
		h.refuse(w, r, status, err.Error())
		return
	}
	h.see(r, h.o.Now(), KeysPath, event)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "OK\n")
}
