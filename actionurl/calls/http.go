package calls

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone"
)

// HTTP answers the control API's call routes. Each handler only reads the
// request, calls the Service method every other entry calls, and writes
// its answer, so the API cannot do a call operation its own way.
type HTTP struct{ S *Service }

// Calls answers control.RouteCalls: the calls in progress.
func (h HTTP) Calls(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, control.CallList{Calls: h.S.Active()})
}

// Journal answers control.RouteJournal.
func (h HTTP) Journal(w http.ResponseWriter, req *http.Request) {
	serveJournal(w, req, h.S.Journal, func(calls []control.CallEntry) any { return control.CallList{Calls: calls} })
}

// Deliveries answers control.RouteDeliveries.
func (h HTTP) Deliveries(w http.ResponseWriter, req *http.Request) {
	serveJournal(w, req, h.S.Deliveries, func(ds []control.DeliveryEntry) any { return control.DeliveryList{Deliveries: ds} })
}

// serveJournal answers a journal listing: the request's query, read by
// list, and the list in the reply that reply wraps it in.
func serveJournal[T any](w http.ResponseWriter, req *http.Request, list func(context.Context, control.JournalQuery) ([]T, error), reply func([]T) any) {
	q, err := journalQuery(req)
	if err == nil {
		var got []T
		if got, err = list(req.Context(), q); err == nil {
			actionurl.WriteJSON(w, http.StatusOK, reply(got))
			return
		}
	}
	writeError(w, err, http.StatusInternalServerError)
}

// Retry answers control.RouteRetry, the journal's "Send again".
func (h HTTP) Retry(w http.ResponseWriter, req *http.Request) {
	if err := h.S.Retry(req.Context(), req.PathValue("id")); err != nil {
		writeError(w, err, http.StatusInternalServerError)
		return
	}
	actionurl.WriteJSON(w, http.StatusAccepted, control.Reply{OK: true})
}

// Seen answers control.RoutePhoneSeen.
func (h HTTP) Seen(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, h.S.Seen())
}

// DemoIncoming answers control.RouteDemoIncoming: the demo phone rings.
func (h HTTP) DemoIncoming(w http.ResponseWriter, req *http.Request) {
	var in control.DemoCall
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	if err := h.S.DemoIncoming(req.Context(), in); err != nil {
		writeError(w, err, http.StatusInternalServerError)
		return
	}
	actionurl.WriteJSON(w, http.StatusAccepted, control.Reply{OK: true})
}

// Call answers control.RouteCall: POST /api/v1/call/{id}/{op}.
func (h HTTP) Call(w http.ResponseWriter, req *http.Request) {
	var in control.CallCommand
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	if err := h.S.Control(req.Context(), req.PathValue("id"), req.PathValue("op"), in); err != nil {
		writePhoneError(w, err)
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
}

// DND answers control.RouteDND: do not disturb on or off.
func (h HTTP) DND(w http.ResponseWriter, req *http.Request) {
	answerSwitch(w, req, func(ctx context.Context, in control.DND) (control.DND, error) { return h.S.SetDND(ctx, in.On) })
}

// PressKeys answers control.RoutePressKeys: the key sequence pressed on the
// phone.
func (h HTTP) PressKeys(w http.ResponseWriter, req *http.Request) {
	var in control.KeyCommand
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	if err := h.S.SendKeys(req.Context(), in.Keys); err != nil {
		var typo *phone.KeyError
		if errors.As(err, &typo) {
			writeError(w, err, http.StatusBadRequest)
			return
		}
		writePhoneError(w, err)
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, control.Reply{OK: true})
}

// DNDStatus answers control.RouteDNDStatus.
func (h HTTP) DNDStatus(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, h.S.DND())
}

// Forward answers control.RouteForward: call forwarding to a target, or
// off.
func (h HTTP) Forward(w http.ResponseWriter, req *http.Request) {
	answerSwitch(w, req, func(ctx context.Context, in control.Forward) (control.Forward, error) {
		return h.S.SetForward(ctx, in.Target)
	})
}

// answerSwitch reads the body of a route that switches a setting of the
// phone, switches it with set and answers what is in force now.
func answerSwitch[T any](w http.ResponseWriter, req *http.Request, set func(context.Context, T) (T, error)) {
	var in T
	if !actionurl.ReadJSON(w, req, &in) {
		return
	}
	now, err := set(req.Context(), in)
	if err != nil {
		writePhoneError(w, err)
		return
	}
	actionurl.WriteJSON(w, http.StatusOK, now)
}

// LookupSources answers control.RouteLookupSources.
func (h HTTP) LookupSources(w http.ResponseWriter, _ *http.Request) {
	l := control.LookupSources{Sources: []control.LookupSource{}}
	for _, st := range h.S.LookupSources() {
		l.Sources = append(l.Sources, st.Wire())
	}
	actionurl.WriteJSON(w, http.StatusOK, l)
}

// ForwardStatus answers control.RouteForwardStatus.
func (h HTTP) ForwardStatus(w http.ResponseWriter, _ *http.Request) {
	actionurl.WriteJSON(w, http.StatusOK, h.S.Forward())
}

// writePhoneError answers what the phone answered: a driver that cannot
// do it, a call the phone no longer has, or a phone that failed.
func writePhoneError(w http.ResponseWriter, err error) {
	status := http.StatusBadGateway
	if e := (*Error)(nil); errors.As(err, &e) {
		writeError(w, err, status) // the service's own refusal: a bad number, no such call
		return
	}
	switch phone.KindOf(err) {
	case phone.ErrNotSupported:
		status = http.StatusNotImplemented
	case phone.ErrNoSuchCall:
		status = http.StatusNotFound
	}
	writeError(w, err, status)
}

// writeError answers err with the status of its Kind, or other when it is
// not the service's refusal.
func writeError(w http.ResponseWriter, err error, other int) {
	status := other
	var e *Error
	if errors.As(err, &e) {
		status = map[Kind]int{
			Invalid: http.StatusBadRequest, NotFound: http.StatusNotFound,
			Gone: http.StatusGone, Conflict: http.StatusConflict,
		}[e.Kind]
	}
	actionurl.WriteJSON(w, status, control.ReplyError(err))
}

// journalQuery reads ?since=...&limit=...&status=...
func journalQuery(req *http.Request) (control.JournalQuery, error) {
	v := req.URL.Query()
	q := control.JournalQuery{Since: v.Get("since"), Status: v.Get("status")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return q, &Error{Kind: Invalid, Msg: fmt.Sprintf("limit %q is not a positive number", l)}
		}
		q.Limit = n
	}
	return q, nil
}
