package phonehttp_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// echoPhone starts a simulated phone that answers every request with its
// body, behind opts' authentication, and stops it when t ends: the client
// is tested by what arrives, not by what a brand's phone makes of it.
func echoPhone(t *testing.T, opts phonesim.Options) *phonesim.Server {
	return simtest.Start(t, func() (*phonesim.Server, error) {
		return phonesim.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			_, _ = w.Write(b)
		}), opts)
	})
}

func TestClientAuth(t *testing.T) {
	tests := []struct {
		name       string
		sim        phonesim.Options
		client     phonehttp.Options
		wantKind   phone.ErrorKind
		wantOK     bool
		wantDetail string
	}{
		{"digest", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "pw"},
			phonehttp.Options{Username: "admin", Password: "pw"}, 0, true, ""},
		{"basic after a basic challenge", phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "pw"},
			phonehttp.Options{Username: "admin", Password: "pw"}, 0, true, ""},
		{"bearer token", phonesim.Options{Auth: phonesim.AuthBearer, Password: "tok"},
			phonehttp.Options{BearerToken: "tok"}, 0, true, ""},
		{"wrong bearer token", phonesim.Options{Auth: phonesim.AuthBearer, Password: "tok"},
			phonehttp.Options{BearerToken: "nope"}, phone.ErrAuth, false, "access token"},
		{"wrong digest password", phonesim.Options{Auth: phonesim.AuthDigest, Username: "admin", Password: "pw"},
			phonehttp.Options{Username: "admin", Password: "nope"}, phone.ErrAuth, false, ""},
		{"wrong basic password", phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "pw"},
			phonehttp.Options{Username: "admin", Password: "nope"}, phone.ErrAuth, false, ""},
		{"no credentials set", phonesim.Options{Auth: phonesim.AuthBasic, Username: "admin", Password: "pw"},
			phonehttp.Options{}, phone.ErrAuth, false, "none is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := echoPhone(t, tt.sim)
			opts := tt.client
			opts.Brand, opts.Address, opts.Timeout = "test", srv.URL(), 10*time.Second
			c := simtest.Client(t, opts)
			// A POST, so that the body must survive the challenge round trip.
			res, err := c.Post(context.Background(), "dial", "/x", nil, "text/xml", []byte("<a/>"))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if got := string(res.Body); got != "<a/>" {
					t.Errorf("body echoed = %q, want %q", got, "<a/>")
				}
				reqs := srv.Requests()
				if len(reqs) != 1 || reqs[0].Header.Get("Content-Type") != "text/xml" {
					t.Errorf("requests = %+v, want one with Content-Type text/xml", reqs)
				}
				return
			}
			if phone.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
			if !strings.Contains(err.Error(), tt.wantDetail) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantDetail)
			}
		})
	}
}

func TestClientTimeout(t *testing.T) {
	srv := echoPhone(t, phonesim.Options{Delay: time.Minute})
	c := simtest.Client(t, phonehttp.Options{Brand: "test", Address: srv.URL(), Timeout: 50 * time.Millisecond})
	_, err := c.Get(context.Background(), "dial", "/", nil)
	if phone.KindOf(err) != phone.ErrUnreachable || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("err = %v, want an unreachable error saying it did not answer in time", err)
	}
}

func TestGetRawKeepsQuery(t *testing.T) {
	srv := echoPhone(t, phonesim.Options{})
	c := simtest.Client(t, phonehttp.Options{Brand: "test", Address: srv.URL(), Timeout: 10 * time.Second})
	if _, err := c.GetRaw(context.Background(), "dial", "/servlet", "key=number=%2B4930&outgoing_uri=1"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests()[0].RawQuery; got != "key=number=%2B4930&outgoing_uri=1" {
		t.Errorf("raw query = %q", got)
	}
}
