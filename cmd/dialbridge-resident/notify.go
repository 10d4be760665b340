package main

import (
	"log/slog"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/gen2brain/beeep"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/assets"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/ui/tray"
)

// notifier shows one desktop notification. The tray app uses beeep; tests
// and desktops without a notification service use something else, so the
// resident never depends on a desktop being there.
type notifier interface {
	Notify(title, body string, icon []byte) error
}

// beeepNotifier shows notifications through beeep: the freedesktop
// notification service on Linux (D-Bus), Notification Center on macOS,
// toasts on Windows. body writes the body for what beeep talks to
// (newNotificationBody): text from callers and pages is data there, never
// markup.
type beeepNotifier struct{ body func(string) string }

func (b beeepNotifier) Notify(title, body string, icon []byte) error {
	return beeep.Notify(title, b.body(body), icon)
}

func init() {
	// The name the desktop shows as the notifications' sender.
	beeep.AppName = "dialbridge"
}

// notifyQueue is how many notifications may wait for the desktop; more
// are dropped (with a log line) rather than blocking the call tracker.
const notifyQueue = 16

// notifications turns what happens in the resident (calls, refused dial
// requests, confirmations, the phone going away) into desktop
// notifications. Sending happens on one goroutine of its own: a slow or
// missing notification service never holds up the tracker or a request.
type notifications struct {
	n     notifier
	log   *slog.Logger
	now   func() time.Time
	queue chan note
}

type note struct {
	title, body string
	icon        []byte
}

// newNotifications starts the sending goroutine; it ends when done closes.
// A nil n (no notification service) sends nothing.
func newNotifications(n notifier, log *slog.Logger, done <-chan struct{}) *notifications {
	ns := &notifications{n: n, log: log, now: time.Now, queue: make(chan note, notifyQueue)}
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

func (ns *notifications) send(title, body string, icon assets.TrayIcon) {
	if ns.n == nil {
		return // no notification service: said once at start
	}
	select {
	case ns.queue <- note{title: title, body: body, icon: assets.TrayPNG(icon)}:
	default:
		ns.log.Warn("too many notifications at once; one was dropped", "title", title)
	}
}

// call reports an incoming call (name and number) and a missed one.
func (ns *notifications) call(ev phone.CallEvent) {
	c := ev.Call
	switch {
	case ev.Action == phone.ActionInbound:
		ns.send(lang.L("Incoming call"), tray.Who(lang.L, c), assets.TrayRinging)
	case ev.Action == phone.ActionDisconnected && c.Missed():
		body := lang.L("{{.Who}}, {{.When}}", map[string]any{
			"Who": tray.Who(lang.L, c), "When": tray.When(lang.L, c.Created, ns.now()),
		})
		ns.send(lang.L("Missed call"), body, assets.TrayOffline)
	}
}

// refused reports a dial request that dialbridge refused: who asked and
// which number, with the reason the client was given.
func (ns *notifications) refused(r actionurl.RefusalReport) {
	body := lang.L("{{.Origin}} asked to dial {{.Number}}. {{.Reason}}", map[string]any{
		"Origin": origin(r.Origin), "Number": display.Name(r.Number), "Reason": display.Text(r.Reason, 200),
	})
	title := lang.L("Dial request refused")
	if r.Kind == actionurl.RefusedUnconfirmed {
		// Nobody said no: the person was away from the prompt.
		title = lang.L("Dial request not confirmed")
	}
	ns.send(title, body, assets.TrayOffline)
}

// confirming reports that a dial request waits for the person's answer
// in the confirmation window (which may open behind other windows).
func (ns *notifications) confirming(req actionurl.ConfirmRequest) {
	number := req.Dial
	if number == "" {
		number = req.Number
	}
	body := lang.L("{{.Origin}} wants to dial {{.Number}}.", map[string]any{
		"Origin": origin(req.Origin), "Number": display.Name(number),
	})
	ns.send(lang.L("Confirm dial request"), body, assets.TrayRinging)
}

// reachability reports that the phone stopped or started answering.
func (ns *notifications) reachability(phoneName string, reachable bool) {
	data := map[string]any{"Phone": phoneName}
	if reachable {
		ns.send(lang.L("Phone reachable again"), lang.L("{{.Phone}} answers again.", data), assets.TrayIdle)
		return
	}
	ns.send(lang.L("Phone unreachable"), lang.L("{{.Phone}} does not answer. Calls cannot be placed until it is back.", data), assets.TrayOffline)
}

// failed reports that something the person asked for in the tray failed.
func (ns *notifications) failed(err error) {
	ns.send(lang.L("The phone could not do that"), display.Text(err.Error(), 200), assets.TrayOffline)
}

// origin names who asked, for a person: the web origin, or "a program on
// this computer" when the request carried none.
func origin(o string) string {
	if o == "" {
		return lang.L("a program on this computer")
	}
	return display.Origin(o)
}
