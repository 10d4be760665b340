package main

import (
	"errors"
	"net/http"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// controlRoutes is the control API's whole table: every endpoint that
// control.Routes names, and the code that answers it. The clients (the
// front, the windows, the tray's own menu) reach them through
// control.Client's methods.
func (r *resident) controlRoutes() map[string]http.Handler {
	h := calls.HTTP{S: r.calls}
	return map[string]http.Handler{
		control.RoutePing:         actionurl.PingHandler(),
		control.RouteDial:         actionurl.DialHandler(r.dial),
		control.RouteShow:         http.HandlerFunc(r.handleShow),
		control.RouteReload:       http.HandlerFunc(r.handleReload),
		control.RouteCalls:        http.HandlerFunc(h.Calls),
		control.RouteJournal:      http.HandlerFunc(h.Journal),
		control.RouteDeliveries:   http.HandlerFunc(h.Deliveries),
		control.RouteRetry:        http.HandlerFunc(h.Retry),
		control.RoutePhoneSeen:    http.HandlerFunc(h.Seen),
		control.RouteState:        http.HandlerFunc(r.handleState),
		control.RouteCall:         http.HandlerFunc(h.Call),
		control.RouteDemoIncoming: http.HandlerFunc(h.DemoIncoming),
		control.RouteQuit:         http.HandlerFunc(r.handleQuit),
	}
}

// handleQuit answers control.RouteQuit: serve (and the tray) end, after
// this answer went out.
func (r *resident) handleQuit(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
	r.mu.Lock()
	stop := r.stop
	r.mu.Unlock()
	if stop != nil {
		stop() // the listener lets this answer go out before it closes
	}
}

// errNoTray answers control.RouteShow from a resident without a tray.
var errNoTray = errors.New("this dialbridge runs without a tray (dialbridge serve): there is no dial pad to bring forward")

// setShow sets what control.RouteShow does: the tray opens its dial pad.
func (r *resident) setShow(show func() error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.show = show
}

// handleShow answers control.RouteShow.
func (r *resident) handleShow(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	show := r.show
	r.mu.Unlock()
	if show == nil {
		actionurl.WriteJSON(w, http.StatusConflict, control.Reply{Error: errNoTray.Error()})
		return
	}
	if err := show(); err != nil {
		actionurl.WriteJSON(w, http.StatusInternalServerError, control.Reply{Error: err.Error()})
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
}

// handleState answers control.RouteState, the browser extension's view:
// which phone, whether it can dial, and the country in which it reads
// numbers on pages.
func (r *resident) handleState(w http.ResponseWriter, _ *http.Request) {
	cfg := r.config()
	st := control.State{Phone: cfg.Phone.Brand, Address: journal.Redact(cfg.Phone.Address),
		Paired: r.currentDriver() != nil, Country: cfg.Dialing.Country}
	if seen := r.calls.Seen(); !seen.At.IsZero() {
		st.LastEvent = &seen.At
	}
	actionurl.WriteJSON(w, http.StatusOK, st)
}

// handleReload answers control.RouteReload: the config file changed.
func (r *resident) handleReload(w http.ResponseWriter, _ *http.Request) {
	if err := r.reload(); err != nil {
		actionurl.WriteJSON(w, http.StatusBadRequest, control.Reply{Error: err.Error()})
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
}
