package phonekeys

import (
	"context"
	"net/http"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/control"
)

// StatusHandler answers control.RouteKeys with the keys' KeysStatus from
// the Writer writer returns.
func StatusHandler(writer func() *Writer) http.Handler {
	return handler(writer, func(_ *http.Request, w *Writer) control.KeysStatus { return w.Status() })
}

// WriteHandler answers control.RouteKeysWrite: it writes the keys now and
// answers the status after the write, its Error saying why when the phone
// refused.
func WriteHandler(writer func() *Writer) http.Handler {
	return handler(writer, func(r *http.Request, w *Writer) control.KeysStatus {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		return w.Write(ctx)
	})
}

// handler answers with what do makes of the Writer, which is looked up at
// each request (the resident makes it once its call service is open).
func handler(writer func() *Writer, do func(*http.Request, *Writer) control.KeysStatus) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := writer()
		if w == nil {
			actionurl.WriteJSON(rw, http.StatusServiceUnavailable, control.Reply{Error: "dialbridge is not ready to write the phone's keys yet"})
			return
		}
		actionurl.WriteJSON(rw, http.StatusOK, do(r, w))
	})
}
