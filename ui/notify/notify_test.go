package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
	"golang.org/x/time/rate"
)

// recordingNotifier hands every notification to the test.
type recordingNotifier struct{ got chan note }

func (r recordingNotifier) Notify(title, body string, icon []byte) error {
	r.got <- note{title: title, body: body, icon: icon}
	return nil
}

func newTestNotifications(t *testing.T) (*Notifications, chan note) {
	t.Helper()
	got := make(chan note, Queue)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	ns := New(recordingNotifier{got}, slog.New(slog.DiscardHandler), done)
	ns.now = func() time.Time { return time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC) }
	return ns, got
}

func TestNotifications(t *testing.T) {
	at := time.Date(2026, 3, 25, 10, 34, 0, 0, time.UTC)
	anna := phone.Call{ID: "1", Direction: phone.Inbound, Remote: "+49301234567", RemoteAlias: "Anna Muster", Created: at}
	missed := anna
	missed.Disconnected = at.Add(30 * time.Second)
	answered := missed
	answered.Connected = at.Add(5 * time.Second)
	tests := []struct {
		name      string
		send      func(ns *Notifications)
		wantTitle string
		wantBody  string // "" means no notification at all
	}{
		{"incoming call", func(ns *Notifications) { ns.Call(phone.CallEvent{Action: phone.ActionInbound, Call: anna}) },
			"Incoming call", "Anna Muster (+49301234567)"},
		{"missed call", func(ns *Notifications) { ns.Call(phone.CallEvent{Action: phone.ActionDisconnected, Call: missed}) },
			"Missed call", "Anna Muster (+49301234567), 10:34 AM"},
		{"incoming call with the company a lookup found", func(ns *Notifications) {
			c := anna
			c.RemoteCompany = "Muster\u202e GmbH\n"
			ns.Call(phone.CallEvent{Action: phone.ActionInbound, Call: c})
		}, "Incoming call", "Anna Muster (+49301234567)\nMuster GmbH"},
		{"missed call with the company", func(ns *Notifications) {
			c := missed
			c.RemoteCompany = "Muster GmbH"
			ns.Call(phone.CallEvent{Action: phone.ActionDisconnected, Call: c})
		}, "Missed call", "Anna Muster (+49301234567), 10:34 AM\nMuster GmbH"},
		{"answered call ends quietly", func(ns *Notifications) { ns.Call(phone.CallEvent{Action: phone.ActionDisconnected, Call: answered}) },
			"", ""},
		{"outgoing call is quiet", func(ns *Notifications) {
			ns.Call(phone.CallEvent{Action: phone.ActionOutbound, Call: phone.Call{Direction: phone.Outbound, Remote: "1"}})
		}, "", ""},
		{"refused web page", func(ns *Notifications) {
			ns.Refused(actionurl.RefusalReport{Kind: actionurl.RefusedWebPage, Origin: "https://evil.example", Number: "0900 1234", Reason: "refused: web pages may not dial"})
		}, "Dial request refused", "https://evil.example asked to dial 0900 1234. refused: web pages may not dial"},
		{"refused local program", func(ns *Notifications) {
			ns.Refused(actionurl.RefusalReport{Kind: actionurl.RefusedRate, Number: "123", Reason: "too many"})
		}, "Dial request refused", "A program on this computer asked to dial 123. too many"},
		{"refused hotkey dial names the hotkey in words", func(ns *Notifications) {
			ns.Refused(actionurl.RefusalReport{Kind: actionurl.RefusedBlocked, Origin: control.SourceHotkey, Number: "0900 1234", Reason: "0900 1234 is on the blocked list"})
		}, "Dial request refused", "The hotkey (selected text) asked to dial 0900 1234. 0900 1234 is on the blocked list"},
		{"nobody confirmed", func(ns *Notifications) {
			ns.Refused(actionurl.RefusalReport{Kind: actionurl.RefusedUnconfirmed, Origin: "https://crm.example", Number: "123", Reason: "not confirmed within 60 s (nobody answered the confirmation prompt)"})
		}, "Dial request not confirmed", "https://crm.example asked to dial 123. not confirmed within 60 s (nobody answered the confirmation prompt)"},
		{"needs confirmation", func(ns *Notifications) {
			ns.Confirming(actionurl.ConfirmRequest{Origin: "https://crm.example", Number: "030 1234", Dial: "0301234"})
		}, "Confirm dial request", "https://crm.example wants to dial 0301234."},
		{"phone gone", func(ns *Notifications) { ns.Reachability("snom at 192.0.2.10", false) },
			"Phone unreachable", "snom at 192.0.2.10 does not answer. Calls cannot be placed until it is back."},
		{"phone back", func(ns *Notifications) { ns.Reachability("snom at 192.0.2.10", true) },
			"Phone reachable again", "snom at 192.0.2.10 answers again."},
		{"action failed", func(ns *Notifications) { ns.Failed(errors.New("The phone at 192.0.2.10 cannot be reached")) },
			"dialbridge could not do that", "The phone at 192.0.2.10 cannot be reached"},
		{"caller text is cleaned", func(ns *Notifications) {
			ns.Call(phone.CallEvent{Action: phone.ActionInbound, Call: phone.Call{Remote: "123", RemoteAlias: "Evil\u202e\nName"}})
		}, "Incoming call", "Evil Name (123)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, got := newTestNotifications(t)
			tt.send(ns)
			// A marker shows that everything sent before it was handled.
			ns.send("marker", "", "idle")
			var seen []note
			for n := range got {
				if n.title == "marker" {
					break
				}
				seen = append(seen, n)
			}
			if tt.wantTitle == "" {
				if len(seen) != 0 {
					t.Errorf("got %d notifications (%q ...), want none", len(seen), seen[0].title)
				}
				return
			}
			if len(seen) != 1 || seen[0].title != tt.wantTitle || seen[0].body != tt.wantBody {
				var got []string
				for _, n := range seen {
					got = append(got, n.title+" / "+n.body)
				}
				t.Fatalf("got %q, want %q / %q", got, tt.wantTitle, tt.wantBody)
			}
			if !strings.HasPrefix(string(seen[0].icon), "\x89PNG") {
				t.Error("the notification has no PNG icon")
			}
		})
	}
}

// TestAFailureSpeaksThePersonsLanguage shows a sentence dialbridge built
// (an empty clipboard under a phone key or the tray) in German under a
// German title: the notification is where the person reads it.
func TestAFailureSpeaksThePersonsLanguage(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	ns, got := newTestNotifications(t)
	_, err := phonekeys.ClipboardNumber(context.Background(), func(context.Context) (string, error) { return " ", nil })
	ns.Failed(err)
	n := <-got
	if want := "dialbridge konnte das nicht tun"; n.title != want {
		t.Errorf("title %q, want %q", n.title, want)
	}
	if want := "In der Zwischenablage steht keine Telefonnummer."; n.body != want {
		t.Errorf("body %q, want %q", n.body, want)
	}
}

// blockedNotifier never returns until released: a desktop that hangs.
type blockedNotifier struct{ release chan struct{} }

func (b blockedNotifier) Notify(string, string, []byte) error {
	<-b.release
	return nil
}

func TestNotificationsNeverBlockTheCaller(t *testing.T) {
	b := blockedNotifier{release: make(chan struct{})}
	done := make(chan struct{})
	defer close(done)
	defer close(b.release)
	ns := New(b, slog.New(slog.DiscardHandler), done)
	for range 3 * Queue {
		ns.Call(phone.CallEvent{Action: phone.ActionInbound, Call: phone.Call{Remote: "1"}})
	}
	// Reaching this line is the test: a full queue drops, never waits.
}

// TestASourceFailureIsNotifiedOnceADayEachInThePersonsLanguage hands
// LookupFailed what a call's lookup joins (two sources failing), again at
// the next call, and a day later: one notification a source, repeated
// only after a day, worded in German for a German desktop.
func TestASourceFailureIsNotifiedOnceADayEachInThePersonsLanguage(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	ns, got := newTestNotifications(t)
	now := time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC)
	ns.now = func() time.Time { return now }
	// What lookup.Service.Ask joins: a sentence a source, its label first.
	ldap := sentence.New("lookup.source", "{{.Source}}", map[string]any{"Source": "ldap dir.example"},
		sentence.New("lookup.ldap_auth", "the directory at {{.Host}} refused the user name or password of {{.User}}", map[string]any{"Host": "dir.example", "User": "reader"}, nil))
	crm := sentence.New("lookup.source", "{{.Source}}", map[string]any{"Source": "url crm.example"}, errors.New("connection refused"))
	failures := errors.Join(ldap, crm)
	const then = "\nAnrufer aus dieser Quelle erscheinen ohne Namen, bis das behoben ist (Einstellungen → Kontakte)."
	want := []string{
		"ldap dir.example: das Verzeichnis auf dir.example hat Benutzername oder Passwort von reader abgelehnt" + then,
		"url crm.example: connection refused" + then,
	}
	for _, step := range []struct {
		after time.Duration
		want  []string
	}{{0, want}, {time.Minute, nil}, {23 * time.Hour, nil}, {2 * time.Hour, want}} {
		now = now.Add(step.after)
		ns.LookupFailed(failures)
		ns.Reachability("marker", true) // everything before it was handled
		var bodies []string
		for n := range got {
			if n.body == "marker antwortet wieder." {
				break
			}
			if n.title != "Anrufernamen: Eine Quelle ist ausgefallen" {
				t.Errorf("title %q", n.title)
			}
			bodies = append(bodies, n.body)
		}
		if !reflect.DeepEqual(bodies, step.want) {
			t.Errorf("%v later: notified %q, want %q", step.after, bodies, step.want)
		}
	}
}

// TestABlockedNumberIsNotifiedInThePersonsLanguage: the dial service
// refuses a premium-rate number from a web page by the blocked list, and
// the notification words the rule in German.
func TestABlockedNumberIsNotifiedInThePersonsLanguage(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	ns, got := newTestNotifications(t)
	ds := &actionurl.DialService{
		Prepare:   actionurl.PrepareWith(func() dialplan.Rules { return dialplan.Rules{Country: "DE"} }),
		OnRefused: ns.Refused,
	}
	if _, err := ds.Dial(context.Background(), actionurl.DialRequest{Number: "0900 1234567"}, actionurl.Verdict{Origin: "https://crm.example"}); err == nil {
		t.Fatal("the premium-rate number was dialed")
	}
	n := <-got
	if want := `https://crm.example wollte 0900 1234567 wählen lassen. Gesperrte Nummer: "+49 900 1 234567" ist durch die Regel "0900*" gesperrt (Premium-Nummer)`; n.body != want {
		t.Errorf("body:\n got %q\nwant %q", n.body, want)
	}
}

// confirmFunc is a Confirmer that answers as the test says.
type confirmFunc func(actionurl.ConfirmRequest) (actionurl.Decision, error)

func (f confirmFunc) Confirm(_ context.Context, req actionurl.ConfirmRequest) (actionurl.Decision, error) {
	return f(req)
}

// TestEveryRefusalIsNotifiedInThePersonsLanguage: each way the dial
// service refuses a request it did not expect, driven for real (a web page
// under confirm = "never", the rate limit, nobody to ask, nobody
// answering), reaches a German desk in German, while the web page still
// gets the English sentence.
func TestEveryRefusalIsNotifiedInThePersonsLanguage(t *testing.T) {
	i18ntest.UseLanguage(t, "de")
	asPage := func(confirm string) actionurl.Verdict {
		p, err := actionurl.NewPolicy(8081, nil, nil, confirm, "", "")
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "http://127.0.0.1:8081/?number=123", nil)
		r.Header.Set("Origin", "https://evil.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		return p.Judge(r, true)
	}
	tests := []struct {
		name      string
		limit     *rate.Limiter
		confirmer actionurl.Confirmer
		v         actionurl.Verdict
		want      string
		wantReply string
	}{
		{"a web page under confirm never", nil, nil, asPage(actionurl.ConfirmNever),
			"abgelehnt: https://evil.example darf dieses Telefon nicht wählen lassen",
			"refused: https://evil.example may not make this phone dial"},
		{"the rate limit", rate.NewLimiter(0, 0), nil, actionurl.Verdict{Origin: "https://crm.example"},
			"zu viele Wählanfragen; warten Sie einen Moment",
			"too many dial requests"},
		{"nobody to ask", nil, nil, actionurl.Verdict{Origin: "https://crm.example", Confirm: true},
			"diese Anfrage muss bestätigt werden, und niemand ist am Bildschirm",
			"this request needs confirmation and no one is at the screen"},
		{"nobody answering", nil, confirmFunc(func(actionurl.ConfirmRequest) (actionurl.Decision, error) {
			return actionurl.Decision{Unanswered: time.Minute}, nil
		}), actionurl.Verdict{Origin: "https://crm.example", Confirm: true},
			"nicht innerhalb von 60 s bestätigt",
			"not confirmed within 60 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, got := newTestNotifications(t)
			ds := &actionurl.DialService{
				Prepare:   func(number string, _ bool) (string, error) { return number, nil },
				Limit:     tt.limit,
				Confirmer: tt.confirmer,
				OnRefused: ns.Refused,
			}
			_, err := ds.Dial(context.Background(), actionurl.DialRequest{Number: "123"}, tt.v)
			if err == nil || !strings.Contains(err.Error(), tt.wantReply) {
				t.Errorf("the asker was told %v; want %q", err, tt.wantReply)
			}
			if n := <-got; !strings.Contains(n.body, tt.want) {
				t.Errorf("notified %q; want it to say %q", n.body, tt.want)
			}
		})
	}
}
