package pairing

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/phone/brands/brandsim"
)

// moving is the resident as reached at an address that changes.
type moving struct {
	*resident
	mu   sync.Mutex
	base string
}

func (m *moving) EventsBase(context.Context, string) (string, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.base, m.token, nil
}

func (m *moving) move(base string) {
	m.mu.Lock()
	m.base = base
	m.mu.Unlock()
}

type notes struct{ got []string }

func (n *notes) notify(title, body string) { n.got = append(n.got, title+": "+body) }

// healRig pairs a simulated phone of brand with a resident at
// http://127.0.0.1:PORT, then moves the resident to "localhost".
func healRig(t *testing.T, brand string) (*Healer, *moving, *notes, phone.Simulator, brands.Settings) {
	t.Helper()
	sim, s := startSimulator(t, brand)
	res := startResident(t)
	m := &moving{resident: res, base: res.srv.URL}
	p := &Pairer{Listener: m}
	if _, err := p.SetUpEvents(ctx(t), s); err != nil {
		t.Fatal(err)
	}
	n := &notes{}
	h := &Healer{Pairer: p, Phone: func() (brands.Settings, error) { return s, nil }, Notify: n.notify}
	if got, err := h.Heal(ctx(t)); got != Unchanged || err != nil {
		t.Fatalf("before the move: %v, %v", got, err)
	}
	m.move(strings.Replace(res.srv.URL, "127.0.0.1", "localhost", 1))
	return h, m, n, sim, s
}

func TestAChangedAddressIsRewrittenWhereDialbridgeWroteTheURLs(t *testing.T) {
	for _, brand := range []string{"snom", "snom-csta"} {
		t.Run(brand, func(t *testing.T) {
			h, m, n, sim, _ := healRig(t, brand)
			got, err := h.Heal(ctx(t))
			if got != Rewritten || err != nil {
				t.Fatalf("Heal = %v, %v; want Rewritten", got, err)
			}
			onPhone := sim.(interface{ Settings() map[string]string }).Settings()
			if v := onPhone["action_incoming_url"]; !strings.HasPrefix(v, m.base+"/phone/") {
				t.Errorf("action_incoming_url = %q, want it at %s", v, m.base)
			}
			if len(n.got) != 1 || !strings.Contains(n.got[0], m.base) {
				t.Errorf("notes = %q", n.got)
			}
			if got, _ := h.Heal(ctx(t)); got != Unchanged {
				t.Errorf("after the rewrite: %v, want Unchanged", got)
			}
		})
	}
}

func TestAChangedAddressIsToldWhereDialbridgeCannotWrite(t *testing.T) {
	s := startSim(t, "yealink")
	res := startResident(t)
	m := &moving{resident: res, base: res.srv.URL}
	n := &notes{}
	h := &Healer{Pairer: &Pairer{Listener: m}, Phone: func() (brands.Settings, error) { return s, nil }, Notify: n.notify}
	if got, _ := h.Heal(ctx(t)); got != Unchanged {
		t.Fatalf("first look: %v", got)
	}
	m.move(strings.Replace(res.srv.URL, "127.0.0.1", "localhost", 1))
	for range 2 {
		if got, err := h.Heal(ctx(t)); got != Notified || err != nil {
			t.Fatalf("Heal = %v, %v; want Notified", got, err)
		}
	}
	if len(n.got) != 1 {
		t.Fatalf("told %d times, want once: %q", len(n.got), n.got)
	}
	want := "set action_url.incoming_call to " + m.base + "/phone/" + res.token + "/yealink/incoming?"
	if !strings.Contains(n.got[0], want) || !strings.Contains(n.got[0], "Features › Action URL") {
		t.Errorf("note = %q, want it to contain %q and the page", n.got[0], want)
	}
}

func TestURLsThePersonPointedElsewhereAreNotOverwritten(t *testing.T) {
	h, _, n, sim, s := healRig(t, "snom")
	drv, err := brands.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := "http://crm.example/snom?remote=$remote"
	if err := brands.Underlying(drv).(phone.SettingsWriter).SetSettings(ctx(t), phone.Setting{Name: "action_incoming_url", Value: elsewhere}); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.Heal(ctx(t)); got != Notified {
		t.Errorf("Heal = %v, want Notified", got)
	}
	if v := sim.(interface{ Settings() map[string]string }).Settings()["action_incoming_url"]; v != elsewhere {
		t.Errorf("action_incoming_url = %q, was overwritten", v)
	}
	if len(n.got) != 1 || !strings.Contains(n.got[0], "set action_incoming_url to") {
		t.Errorf("notes = %q", n.got)
	}
}

// TestHealingBacksOffAfterARefusedPassword: a refused password is not
// tried again for an hour (then two), so the phone never locks this
// computer out, and the person is told why.
func TestHealingBacksOffAfterARefusedPassword(t *testing.T) {
	h, _, n, sim, s := healRig(t, "snom")
	s.Password = "changed on the phone"
	h.Phone = func() (brands.Settings, error) { return s, nil }
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	h.Now = func() time.Time { return now }
	if got, _ := h.Heal(ctx(t)); got != BackedOff {
		t.Fatalf("Heal = %v, want BackedOff", got)
	}
	requests := len(sim.(brandsim.Phone).Requests())
	now = now.Add(59 * time.Minute)
	if got, _ := h.Heal(ctx(t)); got != BackedOff {
		t.Errorf("within the hour: %v", got)
	}
	if got := len(sim.(brandsim.Phone).Requests()); got != requests {
		t.Errorf("the phone got %d more requests while backing off", got-requests)
	}
	now = now.Add(2 * time.Minute)
	if got, _ := h.Heal(ctx(t)); got != BackedOff {
		t.Errorf("after the hour, refused again: %v", got)
	}
	if len(n.got) != 2 || !strings.Contains(n.got[0], "for 1h0m0s") || !strings.Contains(n.got[1], "for 2h0m0s") || !strings.Contains(n.got[0], "lock this computer out") {
		t.Errorf("notes = %q", n.got)
	}
}
