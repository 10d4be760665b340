package main

import (
	"errors"
	"net/http"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/cmd/internal/resident"
)

// controlRoutes is the control API's whole table: every endpoint that
// control.Routes names, and the code that answers it. The clients (the
// front, the windows, the tray's own menu) reach them through
// control.Client's methods.
func controlRoutes(app *resident.App) map[string]http.Handler {
	h := calls.HTTP{S: app.Calls()}
	return map[string]http.Handler{
		control.RoutePing:          actionurl.PingHandler(),
		control.RouteDial:          actionurl.DialHandler(app.Dial()),
		control.RouteShow:          replyHandler(app.Show, http.StatusInternalServerError),
		control.RouteReload:        replyHandler(app.Reload, http.StatusBadRequest),
		control.RouteCalls:         http.HandlerFunc(h.Calls),
		control.RouteJournal:       http.HandlerFunc(h.Journal),
		control.RouteDeliveries:    http.HandlerFunc(h.Deliveries),
		control.RouteRetry:         http.HandlerFunc(h.Retry),
		control.RoutePhoneSeen:     http.HandlerFunc(h.Seen),
		control.RouteState:         stateHandler(app),
		control.RouteCall:          http.HandlerFunc(h.Call),
		control.RouteDND:           http.HandlerFunc(h.DND),
		control.RouteDNDStatus:     http.HandlerFunc(h.DNDStatus),
		control.RouteForward:       http.HandlerFunc(h.Forward),
		control.RouteForwardStatus: http.HandlerFunc(h.ForwardStatus),
		control.RouteDemoIncoming:  http.HandlerFunc(h.DemoIncoming),
		control.RoutePressKeys:     http.HandlerFunc(h.PressKeys),
		control.RouteKeys:          phonekeys.StatusHandler(app.FunctionKeys),
		control.RouteKeysWrite:     phonekeys.WriteHandler(app.FunctionKeys),
		control.RouteLookupSources: http.HandlerFunc(h.LookupSources),
		control.RouteQuit: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
			app.Stop() // the listener lets this answer go out before it closes
		}),
	}
}

// replyHandler answers with what do says: OK, or its error with
// failStatus (a resident without a tray cannot show: 409).
func replyHandler(do func() error, failStatus int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		err := do()
		switch {
		case errors.Is(err, resident.ErrNoTray):
			actionurl.WriteJSON(w, http.StatusConflict, control.ReplyError(err))
		case err != nil:
			actionurl.WriteJSON(w, failStatus, control.ReplyError(err))
		default:
			actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
		}
	})
}

// stateHandler answers control.RouteState, the browser extension's view:
// which phone, whether it can dial, and the country in which it reads
// numbers on pages.
func stateHandler(app *resident.App) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		cfg := app.Config()
		st := control.State{Phone: cfg.Phone.Brand, Address: journal.Redact(cfg.Phone.Address),
			Paired: app.Phone().Driver() != nil, Country: cfg.Dialing.Country}
		if seen := app.Calls().Seen(); !seen.At.IsZero() {
			st.LastEvent = &seen.At
		}
		actionurl.WriteJSON(w, http.StatusOK, st)
	})
}
