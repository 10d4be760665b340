// Package notify turns what happens in the resident (calls, refused dial
// requests, confirmations, the phone going away) into desktop
// notifications, in the person's language, with outside text (a caller's
// name, a page's origin) shown as text and never as markup.
//
// It has no Fyne code: the resident runs all day without the GUI toolkit,
// and only fyne.io/fyne/v2/lang translates the words.
package notify

import (
	"log/slog"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/gen2brain/beeep"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// Notifier shows one desktop notification. The tray app uses the
// desktop's (Desktop); tests and desktops without a notification service
// use something else, so the resident never depends on a desktop being
// there.
type Notifier interface {
	Notify(title, body string, icon []byte) error
}

// beeepNotifier shows notifications through beeep: the freedesktop
// notification service on Linux (D-Bus), Notification Center on macOS,
// toasts on Windows. body writes the body for what beeep talks to
// (newBody): text from callers and pages is data there, never markup.
type beeepNotifier struct{ body func(string) string }

func (b beeepNotifier) Notify(title, body string, icon []byte) error {
	return beeep.Notify(title, b.body(body), icon)
}

// Desktop is the notifier of this desktop, or an error saying why there
// is none (no notification service on the session bus), so that a desktop
// without one costs one log line at start instead of a warning per event.
func Desktop() (Notifier, error) {
	if err := service(); err != nil {
		return nil, err
	}
	// The name the desktop shows as the notifications' sender.
	beeep.AppName = "dialbridge"
	return beeepNotifier{body: newBody()}, nil
}

// Queue is how many notifications may wait for the desktop; more are
// dropped (with a log line) rather than blocking the call tracker.
const Queue = 16

// Notifications sends the resident's notifications. Sending happens on one
// goroutine of its own: a slow or missing notification service never holds
// up the tracker or a request.
type Notifications struct {
	n     Notifier
	log   *slog.Logger
	now   func() time.Time
	queue chan note
	// lookups keeps LookupFailed to one notification a failure a day.
	lookups lookupSeen
}

type note struct {
	title, body string
	icon        []byte
}

// New starts the sending goroutine; it ends when done closes. A nil n (no
// notification service) sends nothing.
func New(n Notifier, log *slog.Logger, done <-chan struct{}) *Notifications {
	ns := &Notifications{n: n, log: log, now: time.Now, queue: make(chan note, Queue)}
	go func() {
		for {
			select {
			case <-done:
				return
			case nt := <-ns.queue:
				if err := ns.n.Notify(nt.title, nt.body, nt.icon); err != nil {
					ns.log.Warn("could not show a notification", "title", nt.title, "error", err.Error())
				}
			}
		}
	}()
	return ns
}

func (ns *Notifications) send(title, body string, icon assets.TrayIcon) {
	if ns.n == nil {
		return // no notification service: said once at start
	}
	select {
	case ns.queue <- note{title: title, body: body, icon: assets.TrayPNG(icon)}:
	default:
		ns.log.Warn("too many notifications at once; one was dropped", "title", title)
	}
}

// Call reports an incoming call (name and number) and a missed one.
func (ns *Notifications) Call(ev phone.CallEvent) {
	c := ev.Call
	switch {
	case ev.Action == phone.ActionInbound:
		ns.send(lang.L("Incoming call"), withCompany(tray.Who(lang.L, c), c), assets.TrayRinging)
	case ev.Action == phone.ActionDisconnected && c.Missed():
		body := lang.L("{{.Who}}, {{.When}}", map[string]any{
			"Who": tray.Who(lang.L, c), "When": tray.When(lang.L, c.Created, ns.now()),
		})
		ns.send(lang.L("Missed call"), withCompany(body, c), assets.TrayOffline)
	}
}

// withCompany adds the caller's company, when a caller lookup found one,
// on a line of its own: the name tells who, the company often tells why
// they call.
func withCompany(body string, c phone.Call) string {
	if company := display.Name(c.RemoteCompany); company != "" {
		return body + "\n" + company
	}
	return body
}

// Refused reports a dial request that dialbridge refused: who asked and
// which number, with the reason the client was given.
func (ns *Notifications) Refused(r actionurl.RefusalReport) {
	reason := r.Reason
	if r.Says != nil {
		reason = i18n.Error(r.Says)
	}
	body := lang.L("{{.Origin}} asked to dial {{.Number}}. {{.Reason}}", map[string]any{
		"Origin": origin(r.Origin), "Number": display.Name(r.Number), "Reason": display.Text(reason, 200),
	})
	title := lang.L("Dial request refused")
	if r.Kind == actionurl.RefusedUnconfirmed {
		// Nobody said no: the person was away from the prompt.
		title = lang.L("Dial request not confirmed")
	}
	ns.send(title, body, assets.TrayOffline)
}

// Confirming reports that a dial request waits for the person's answer
// in the confirmation window (which may open behind other windows).
func (ns *Notifications) Confirming(req actionurl.ConfirmRequest) {
	number := req.Dial
	if number == "" {
		number = req.Number
	}
	body := lang.L("{{.Origin}} wants to dial {{.Number}}.", map[string]any{
		"Origin": origin(req.Origin), "Number": display.Name(number),
	})
	ns.send(lang.L("Confirm dial request"), body, assets.TrayRinging)
}

// Reachability reports that the phone stopped or started answering.
func (ns *Notifications) Reachability(phoneName string, reachable bool) {
	data := map[string]any{"Phone": phoneName}
	if reachable {
		ns.send(lang.L("Phone reachable again"), lang.L("{{.Phone}} answers again.", data), assets.TrayIdle)
		return
	}
	ns.send(lang.L("Phone unreachable"), lang.L("{{.Phone}} does not answer. Calls cannot be placed until it is back.", data), assets.TrayOffline)
}

// Notice reports what dialbridge did, or needs the person to do, about
// the phone's set-up (pairing.Healer), in words already translated.
func (ns *Notifications) Notice(title, body string) {
	ns.send(title, body, assets.TrayIdle)
}

// Failed reports that something the person asked for in the tray (or with
// the hotkey or a phone key) failed. The title does not blame the phone:
// the cause may as well be an empty clipboard or a stopped resident, and the
// body, in the person's language where dialbridge built the sentence, says
// which.
func (ns *Notifications) Failed(err error) {
	ns.send(lang.L("dialbridge could not do that"), display.Text(i18n.Error(err), 200), assets.TrayOffline)
}

// origin names who asked, for a person (tray.Asker).
func origin(o string) string {
	return tray.Asker(lang.L, o)
}
