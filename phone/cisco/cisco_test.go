package cisco

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// bench pairs a simulated Cisco phone and the driver with one CUCM user.
var bench = simtest.NewHarness(Brand, simtest.Login{Auth: phonesim.AuthBasic, Username: "ccmuser", Password: "s3cret"}, StartSim, New)

func form(xmlObject string) string { return url.Values{"XML": {xmlObject}}.Encode() }

func TestOperations(t *testing.T) {
	s, d := bench.Pair(t, SimOptions{})
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
	tests := []simtest.Fault[SimOptions, *Sim, *Driver]{
		{Name: "wrong password (CiscoIPPhoneError 4)", Password: "nope", Kind: phone.ErrAuth, Words: []string{"CUCM did not accept the user"}},
		{Name: "cannot dial (Status 1)", Run: func(ctx context.Context, d *Driver) error { return d.Dial(ctx, phone.DialOptions{}) },
			Kind: phone.ErrRefused, Words: []string{"did not carry out Dial: (status 1)"}},
		{Name: "parse error (CiscoIPPhoneError 1)", Handler: simtest.Status(http.StatusOK, "text/xml", `<CiscoIPPhoneError Number="1"/>`),
			Kind: phone.ErrRefused, Words: []string{"error parsing"}},
		{Name: "no push (404)", Handler: simtest.Status(http.StatusNotFound, "text/html", "Not Found"), Kind: phone.ErrRefused, Words: []string{"(HTTP 404)"}},
		{Name: "forbidden (403)", Handler: simtest.Status(http.StatusForbidden, "text/html", "Forbidden"), Kind: phone.ErrProtocol, Words: []string{"(HTTP 403)"}},
		{Name: "server error (500)", Handler: simtest.Status(http.StatusInternalServerError, "text/html", "x"), Kind: phone.ErrProtocol, Words: []string{"(HTTP 500)"}},
		{Name: "not XML", Handler: simtest.Status(http.StatusOK, "text/html", "<html>hi</html>"), Kind: phone.ErrProtocol, Words: []string{"unexpected answer to dial"}},
		{Name: "timeout", Sim: SimOptions{Options: phonesim.Options{Delay: time.Minute}}, Timeout: 50 * time.Millisecond, Kind: phone.ErrUnreachable, Words: []string{"did not answer in time"}},
		{Name: "hang up", Run: func(ctx context.Context, d *Driver) error { return d.Hangup(ctx, "") },
			Kind: phone.ErrNotSupported, Words: []string{"A Cisco phone cannot hang up remotely"}},
		{Name: "DTMF letter", Run: func(ctx context.Context, d *Driver) error { return d.SendDTMF(ctx, "", "1A") },
			Kind: phone.ErrNotSupported, Words: []string{`with the character "A"`}},
	}
	bench.Faults(t, tests)
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
	simtest.Run(t, bench.Conformance(simtest.DialIfConnected))
}
