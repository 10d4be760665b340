package phonekeys

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/snom"
)

// The control client's Keys and WriteKeys reach the handlers as the
// Settings page and `dialbridge function-keys` call them: the status
// before and after a write, and a refused write as the client's error
// with the status beside it.
func TestTheControlClientWritesAndReadsTheKeys(t *testing.T) {
	locked := snom.SimOptions{Options: phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "x"}}
	tests := []struct {
		name  string
		opts  snom.SimOptions
		state string
	}{{"accepted", snom.SimOptions{}, control.KeyWritten}, {"refused", locked, control.KeyFailed}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, w, _ := snomWriter(t, tt.opts)
			mux := http.NewServeMux()
			mux.Handle(control.RouteKeys, StatusHandler(func() *Writer { return w }))
			mux.Handle(control.RouteKeysWrite, WriteHandler(func() *Writer { return w }))
			srv := httptest.NewServer(mux)
			defer srv.Close()
			c := control.NewClient(control.File{URL: srv.URL, Token: "t"}, nil)
			ctx := context.Background()
			before, err := c.Keys(ctx)
			if err != nil || len(before.Keys) != 2 || before.Keys[0].State != control.KeyPending {
				t.Fatalf("before the write: %+v, %v", before, err)
			}
			after, err := c.WriteKeys(ctx)
			if (err != nil) != (tt.state == control.KeyFailed) || after.Keys[1].State != tt.state {
				t.Errorf("WriteKeys = %+v, %v; want keys %s", after, err, tt.state)
			}
			if err != nil && err.Error() != after.Error {
				t.Errorf("the error %q is not the status's %q", err, after.Error)
			}
		})
	}
}

// Before the resident has its keys, the routes say it is not ready.
func TestTheKeysRoutesWaitForTheWriter(t *testing.T) {
	w := httptest.NewRecorder()
	StatusHandler(func() *Writer { return nil }).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/phone/keys", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", w.Code)
	}
}
