package phonekeys

import (
	"context"
	"net/http"
	"time"

	"github.com/dialbridge/dialbridge/actionurl"
)

// StatusHandler answers control.RouteKeys with the keys' KeysStatus.
func StatusHandler(w *Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		actionurl.WriteJSON(rw, http.StatusOK, w.Status())
	})
}

// WriteHandler answers control.RouteKeysWrite: it writes the keys now and
// answers the status after the write, its Error saying why when the phone
// refused.
func WriteHandler(w *Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		actionurl.WriteJSON(rw, http.StatusOK, w.Write(ctx))
	})
}
