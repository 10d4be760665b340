package ui

import (
	"net/url"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

type confirmRig struct {
	c       *Confirm
	now     time.Time
	answers []Decision
}

func newConfirmRig(t *testing.T, origin string) *confirmRig {
	t.Helper()
	a := test.NewTempApp(t)
	r := &confirmRig{now: testNow}
	env := testEnv()
	env.Now = func() time.Time { return r.now }
	r.c = NewConfirm(a, ConfirmDeps{
		Env: env, Origin: origin, Number: "+49 30 1234567", Dial: "0301234567", Timeout: 30 * time.Second,
		Decided: func(d Decision) { r.answers = append(r.answers, d) },
	})
	r.c.Window().Show()
	return r
}

func TestConfirmAnswers(t *testing.T) {
	tests := []struct {
		name string
		act  func(r *confirmRig)
		want Decision
	}{
		{"dial", func(r *confirmRig) { test.Tap(r.c.dialBtn) }, Dial},
		{"refuse", func(r *confirmRig) { test.Tap(r.c.refuseBtn) }, Refuse},
		{"always allow", func(r *confirmRig) { test.Tap(r.c.alwaysBtn) }, AlwaysAllow},
		{"window closed", func(r *confirmRig) { r.c.Window().Close() }, Refuse},
		{"escape", func(r *confirmRig) {
			r.c.Window().Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		}, Refuse},
		{"time is up", func(r *confirmRig) { r.now = r.now.Add(31 * time.Second); r.c.tick() }, Expired},
		{"two answers, the first counts", func(r *confirmRig) { test.Tap(r.c.dialBtn); test.Tap(r.c.refuseBtn) }, Dial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newConfirmRig(t, "https://crm.example")
			tt.act(r)
			if len(r.answers) != 1 || r.answers[0] != tt.want {
				t.Errorf("answers %v, want exactly [%v]", r.answers, tt.want)
			}
		})
	}
}

func TestConfirmCountsDown(t *testing.T) {
	r := newConfirmRig(t, "https://crm.example")
	if want := "Refused automatically in 30 s unless you choose."; r.c.countdown.Text != want {
		t.Errorf("countdown = %q, want %q", r.c.countdown.Text, want)
	}
	r.now = r.now.Add(12 * time.Second)
	r.c.tick()
	if want := "Refused automatically in 18 s unless you choose."; r.c.countdown.Text != want {
		t.Errorf("countdown = %q, want %q", r.c.countdown.Text, want)
	}
	if len(r.answers) != 0 {
		t.Errorf("answered %v before the time was up", r.answers)
	}
}

func TestConfirmOffersAlwaysAllowOnlyForWebOrigins(t *testing.T) {
	tests := []struct {
		origin string
		offer  bool
	}{
		{"https://crm.example", true},
		{"http://localhost:8080", true},
		{"chrome-extension://abcdefghijklmnop", true},
		{"phone link", false},
		{"", false},
		{"https://crm.example/page", false},
		{"javascript:alert(1)", false},
		{"https://user:pw@crm.example", false},
		{"https://crm.example#x", false},
	}
	for _, tt := range tests {
		r := newConfirmRig(t, tt.origin)
		if got := r.c.alwaysBtn != nil; got != tt.offer {
			t.Errorf("%q: always-allow offered = %v, want %v", tt.origin, got, tt.offer)
		}
	}
}

func TestConfirmMarkup(t *testing.T) {
	r := newConfirmRig(t, "https://crm.example")
	assertMarkup(t, "confirm.xml", r.c.Window())
}

// FuzzIsWebOrigin: whatever a web page puts in its Origin, "always allow"
// is offered only for something that is exactly scheme://host[:port].
func FuzzIsWebOrigin(f *testing.F) {
	f.Add("https://crm.example")
	f.Add("https://crm.example/page?x=1")
	f.Add("null")
	f.Add("file:///etc/passwd")
	f.Fuzz(func(t *testing.T, origin string) {
		if !IsWebOrigin(origin) {
			return
		}
		u, err := url.Parse(origin)
		if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") || u.User != nil {
			t.Errorf("IsWebOrigin(%q) = true for something that is no web origin", origin)
		}
	})
}

func TestConfirmInGerman(t *testing.T) {
	useLanguage(t, "de")
	r := newConfirmRig(t, "https://crm.example")
	if r.c.Window().Title() != "Diese Nummer wählen?" || r.c.dialBtn.Text != "Wählen" || r.c.alwaysBtn.Text != "Diese Herkunft immer erlauben" {
		t.Errorf("title %q, buttons %q %q", r.c.Window().Title(), r.c.dialBtn.Text, r.c.alwaysBtn.Text)
	}
	assertMarkup(t, "confirm_de.xml", r.c.Window())
}

// TestConfirmShowsHostileTextAsText opens the prompt for every string of
// the hostile corpus as the origin and as the number: plain Labels (never
// RichText or Markdown) showing what display.Origin and display.Name make
// of it.
func TestConfirmShowsHostileTextAsText(t *testing.T) {
	corpus := displaytest.Load(t)
	a := test.NewTempApp(t)
	for _, s := range corpus {
		c := NewConfirm(a, ConfirmDeps{Env: testEnv(), Origin: s, Number: s, Decided: func(Decision) {}})
		wantOrigin := display.Origin(s)
		if wantOrigin == "" {
			wantOrigin = "A program on this computer"
		}
		if c.origin.Text != wantOrigin || c.number.Text != display.Name(s) {
			t.Errorf("%.40q: origin %q and number %q, want %q and %q", s, c.origin.Text, c.number.Text, wantOrigin, display.Name(s))
		}
		c.decide(Refuse)
	}
}
