package sip_test

import (
	"context"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/sip"
	"github.com/dialbridge/dialbridge/phone/sip/siptest"
)

// TestARealSIPPhoneCallsTheNumber: baresip, answering automatically, is
// called over UDP and over TCP, referred to 030123456 at the PBX, and calls
// it there; when the phone reports the referred call's outcome (the PBX's
// 486), dialbridge ends its own call.
func TestARealSIPPhoneCallsTheNumber(t *testing.T) {
	for _, tc := range []struct{ name, param, trace string }{
		{"UDP", "", "UDP 127.0.0.1"},
		{"TCP", ";transport=tcp", "TCP 127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := siptest.Baresip(t, siptest.AutoAnswer)
			pbx := siptest.StartPBX(t)
			d, err := sip.Open(phone.Settings{Brand: sip.Brand, Address: bs.URI + tc.param, SIPDomain: pbx.Domain, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Dial(context.Background(), phone.DialOptions{Number: "030123456"}); err != nil {
				t.Fatalf("Dial: %v", err)
			}
			if got := pbx.WaitCall(t, 10*time.Second); got != "030123456" {
				t.Errorf("the phone called %q at the PBX, want 030123456", got)
			}
			bs.WaitTrace(t, tc.trace, time.Second)
			bs.WaitTrace(t, "SIP/2.0 486 Busy Here", 10*time.Second)
			bs.WaitTrace(t, "BYE sip:phone", 10*time.Second)
		})
	}
}
