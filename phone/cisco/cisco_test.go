package cisco

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonehttp"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

var login = simtest.Login{Auth: phonesim.AuthBasic, Username: "ccmuser", Password: "s3cret"}

func startSim(t *testing.T, opts phonesim.Options) *Sim {
	t.Helper()
	login.Protect(&opts)
	return simtest.Start(t, func() (*Sim, error) { return StartSim(SimOptions{Options: opts}) })
}

func newDriver(t *testing.T, url, pw string, timeout time.Duration) *Driver {
	t.Helper()
	return New(simtest.Client(t, phonehttp.Options{Brand: Brand, Address: url, Username: login.Username, Password: pw, Timeout: timeout}))
}

func form(xmlObject string) string { return url.Values{"XML": {xmlObject}}.Encode() }

func TestOperations(t *testing.T) {
	s := startSim(t, phonesim.Options{})
	d := newDriver(t, s.URL(), login.Password, 10*time.Second)
	ctx := context.Background()
	want := func(body string) simtest.Want {
		return simtest.Want{Method: http.MethodPost, Path: "/CGI/Execute",
			Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: body}
	}
	if err := d.Dial(ctx, phone.DialOptions{Number: "+4930123"}); err != nil {
		t.Fatal(err)
	}
	simtest.Request(t, simtest.Last(t, s), want(form(`<CiscoIPPhoneExecute><ExecuteItem URL="Dial:+4930123"/></CiscoIPPhoneExecute>`)))
	if got := s.Dialed(); !reflect.DeepEqual(got, []string{"+4930123"}) {
		t.Errorf("dialed = %q", got)
	}
	s.Reset()
	if err := d.SendDTMF(ctx, "", "12*#5"); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests for five digits, want 2 (three items each at most)", len(reqs))
	}
	simtest.Request(t, reqs[0], want(form(`<CiscoIPPhoneExecute><ExecuteItem URL="Key:KeyPad1"/><ExecuteItem URL="Key:KeyPad2"/><ExecuteItem URL="Key:KeyPadStar"/></CiscoIPPhoneExecute>`)))
	simtest.Request(t, reqs[1], want(form(`<CiscoIPPhoneExecute><ExecuteItem URL="Key:KeyPadPound"/><ExecuteItem URL="Key:KeyPad5"/></CiscoIPPhoneExecute>`)))
	if got := s.DTMF(); got != "12*#5" {
		t.Errorf("DTMF = %q", got)
	}
}

func TestErrors(t *testing.T) {
	dial := func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{Number: "200"}) }
	tests := []struct {
		name     string
		handler  http.Handler
		pw       string
		delay    bool
		run      func(ctx context.Context, d *Driver) error
		wantKind phone.ErrorKind
		wantMsg  string
	}{
		{name: "wrong password (CiscoIPPhoneError 4)", pw: "nope", run: dial, wantKind: phone.ErrAuth, wantMsg: "CUCM did not accept the user"},
		{name: "cannot dial (Status 1)", run: func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{}) },
			wantKind: phone.ErrRefused, wantMsg: "did not carry out Dial: (status 1)"},
		{name: "parse error (CiscoIPPhoneError 1)", handler: simtest.Status(http.StatusOK, "text/xml", `<CiscoIPPhoneError Number="1"/>`),
			run: dial, wantKind: phone.ErrRefused, wantMsg: "error parsing"},
		{name: "no push (404)", handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"), run: dial,
			wantKind: phone.ErrRefused, wantMsg: "(HTTP 404)"},
		{name: "forbidden (403)", handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"), run: dial,
			wantKind: phone.ErrProtocol, wantMsg: "(HTTP 403)"},
		{name: "server error (500)", handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"), run: dial,
			wantKind: phone.ErrProtocol, wantMsg: "(HTTP 500)"},
		{name: "not XML", handler: simtest.Status(http.StatusOK, "text/html", "<html>hi</html>"), run: dial,
			wantKind: phone.ErrProtocol, wantMsg: "unexpected answer to dial"},
		{name: "timeout", delay: true, run: dial, wantKind: phone.ErrUnreachable, wantMsg: "did not answer in time"},
		{name: "hang up", run: func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "") },
			wantKind: phone.ErrNotSupported, wantMsg: "A Cisco phone cannot hang up remotely"},
		{name: "DTMF letter", run: func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "1A") },
			wantKind: phone.ErrNotSupported, wantMsg: `with the character "A"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var url string
			timeout := 10 * time.Second
			if tt.handler != nil {
				url = simtest.Serve(t, tt.handler, login.Options())
			} else {
				opts := phonesim.Options{}
				if tt.delay {
					opts.Delay, timeout = time.Minute, 50*time.Millisecond
				}
				url = startSim(t, opts).URL()
			}
			pw := tt.pw
			if pw == "" {
				pw = login.Password
			}
			err := tt.run(context.Background(), newDriver(t, url, pw, timeout))
			simtest.Refused(t, err, tt.wantKind, tt.wantMsg)
		})
	}
}

func TestParseResponse(t *testing.T) {
	tests := []struct {
		body    string
		want    Response
		wantErr bool
	}{
		{`<?xml version="1.0" encoding="utf-8"?><CiscoIPPhoneResponse><ResponseItem URL="Dial:200" Data="" Status="0" /></CiscoIPPhoneResponse>`,
			Response{Items: []Item{{Status: 0, URL: "Dial:200"}}}, false},
		{`<CiscoIPPhoneResponse><ResponseItem URL="Key:KeyPad1" Data="x" Status="1"/><ResponseItem URL="Key:KeyPad2" Status="0"/></CiscoIPPhoneResponse>`,
			Response{Items: []Item{{Status: 1, Data: "x", URL: "Key:KeyPad1"}, {URL: "Key:KeyPad2"}}}, false},
		{`<CiscoIPPhoneError Number="4" />`, Response{Error: 4}, false},
		{`<CiscoIPPhoneError Number="x" />`, Response{}, true},
		{`<CiscoIPPhoneResponse></CiscoIPPhoneResponse>`, Response{}, true},
		{`<CiscoIPPhoneResponse><ResponseItem URL="a"/></CiscoIPPhoneResponse>`, Response{}, true},
		{`<html/>`, Response{}, true},
		{``, Response{}, true},
	}
	for _, tt := range tests {
		got, err := ParseResponse([]byte(tt.body))
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseResponse(%s) = %+v, %v; want %+v, error %v", tt.body, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(`<CiscoIPPhoneResponse><ResponseItem URL="Dial:200" Data="" Status="0" /></CiscoIPPhoneResponse>`))
	f.Add([]byte(`<CiscoIPPhoneError Number="4" />`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseResponse(body)
		if err != nil {
			return
		}
		if (r.Error != 0) == (len(r.Items) != 0) || len(r.Items) > maxItems || r.Error < 0 {
			t.Fatalf("response %+v must be either an error or one to three items", r)
		}
	})
}

// TestConformance runs the driver conformance suite against the simulator.
func TestConformance(t *testing.T) {
	simtest.Run(t, simtest.Conformance{
		Setup: func(t *testing.T, state simtest.CallState) (phone.Driver, simtest.Recorder, string) {
			s := startSim(t, phonesim.Options{})
			d := newDriver(t, s.URL(), login.Password, 10*time.Second)
			if state == simtest.Connected {
				_ = d.Dial(context.Background(), phone.DialOptions{Number: "200"})
			}
			return d, s, ""
		},
		StartTLS: func(t *testing.T, addr string) simtest.Phone {
			return startSim(t, phonesim.Options{TLS: true, Addr: addr})
		},
		Client: login.ClientOptions(Brand),
		Open:   func(c *phonehttp.Client) phone.Driver { return New(c) },
	})
}
