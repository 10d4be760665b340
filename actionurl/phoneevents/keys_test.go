package phoneevents

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// pressRecorder is a KeyPresser that records the keys that got through and
// binds keys 1 and 2 only.
type pressRecorder struct {
	mu      sync.Mutex
	pressed []int
}

func (p *pressRecorder) PressKey(n int) error {
	if n > 2 {
		return ErrKeyNotBound
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pressed = append(p.pressed, n)
	return nil
}

// A key's URL runs its action only with the pairing token and only from
// the phone (or loopback); anything else does nothing, answered as the
// phone's events are.
func TestAKeyURLRunsOnlyWithTheTokenFromThePhone(t *testing.T) {
	phoneAddr := netip.MustParseAddr("192.0.2.10")
	tests := []struct {
		name, remote, path string
		status             int
		pressed            []int
	}{
		{"the phone presses P1", "192.0.2.10:5060", KeyURL("", testToken, 1), http.StatusOK, []int{1}},
		{"loopback presses P2", "127.0.0.1:40000", KeyURL("", testToken, 2), http.StatusOK, []int{2}},
		{"a wrong token", "192.0.2.10:5060", KeyURL("", "f"+testToken[1:], 1), http.StatusNotFound, nil},
		{"no token", "192.0.2.10:5060", "/phone//key/1", http.StatusNotFound, nil},
		{"another computer", "192.0.2.99:5060", KeyURL("", testToken, 1), http.StatusForbidden, nil},
		{"a key nothing is bound to", "192.0.2.10:5060", KeyURL("", testToken, 3), http.StatusNotFound, nil},
		{"not a key number", "192.0.2.10:5060", "/phone/" + testToken + "/key/one", http.StatusNotFound, nil},
		{"key zero", "192.0.2.10:5060", "/phone/" + testToken + "/key/0", http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := &pressRecorder{}
			h := NewPhoneEvents(PhoneEventsOptions{
				Token:      func() string { return testToken },
				PhoneAddrs: func() []netip.Addr { return []netip.Addr{phoneAddr} },
			})
			h.SetKeys(keys)
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.RemoteAddr = tt.remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d (%s)", w.Code, tt.status, w.Body.String())
			}
			if !slices.Equal(keys.pressed, tt.pressed) {
				t.Errorf("pressed %v, want %v", keys.pressed, tt.pressed)
			}
			if seen := h.Seen(); (seen.Format == KeysPath) != (tt.status == http.StatusOK) {
				t.Errorf("seen = %+v after HTTP %d", seen, w.Code)
			}
		})
	}
}

// Without a KeyPresser (nothing bound yet) every key is refused.
func TestKeysAreRefusedBeforeAnyIsBound(t *testing.T) {
	h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken }})
	req := httptest.NewRequest(http.MethodGet, KeyURL("", testToken, 1), nil)
	req.RemoteAddr = "127.0.0.1:40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("status = %d, want 404", w.Code)
	}
}

func TestKeyURL(t *testing.T) {
	got := KeyURL("http://192.0.2.5:61234/", testToken, 12)
	want := "http://192.0.2.5:61234/phone/" + testToken + "/key/12"
	if got != want {
		t.Errorf("KeyURL = %q, want %q", got, want)
	}
}

// FuzzKeyPress: whatever follows /key/ in a request from the phone with the
// right token, a key runs only when it is the decimal number of a bound
// key, and that key is the one pressed; nothing panics.
func FuzzKeyPress(f *testing.F) {
	f.Fuzz(func(t *testing.T, key string) {
		keys := &pressRecorder{}
		h := NewPhoneEvents(PhoneEventsOptions{Token: func() string { return testToken }})
		h.SetKeys(keys)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = "/phone/" + testToken + "/key/" + key
		req.RemoteAddr = "127.0.0.1:40000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		n, err := strconv.Atoi(key)
		bound := err == nil && n >= 1 && n <= 2 && strconv.Itoa(n) == key
		switch {
		case bound && (w.Code != http.StatusOK || !slices.Equal(keys.pressed, []int{n})):
			t.Errorf("key %q: HTTP %d, pressed %v; want key %d pressed", key, w.Code, keys.pressed, n)
		case !bound && (w.Code == http.StatusOK || len(keys.pressed) > 0):
			t.Errorf("key %q: HTTP %d, pressed %v; want nothing pressed", key, w.Code, keys.pressed)
		}
	})
}
