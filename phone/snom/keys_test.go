package snom

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/phonesim/simtest"
)

// TestSendKeysPassesTheSequenceThroughUnchanged: one command.htm request
// whose key= is the sequence as written, in Snom's own notation (only '#'
// and '*' escaped); the phone does the timing.
func TestSendKeysPassesTheSequenceThroughUnchanged(t *testing.T) {
	for text, query := range map[string]string{
		"ENTER,50,5000;CANCEL,50,1000": "key=ENTER,50,5000;CANCEL,50,1000",
		"OFFHOOK;1;2;#;*,100;ENTER":    "key=OFFHOOK;1;2;%23;%2A,100;ENTER",
		"P15;EK3,200":                  "key=P15;EK3,200",
		"VOLUME_DOWN,10":               "key=VOLUME_DOWN,10",
	} {
		t.Run(text, func(t *testing.T) {
			s, d := bench.Pair(t, SimOptions{})
			seq, err := phone.ParseKeys(text)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.SendKeys(context.Background(), seq); err != nil {
				t.Fatal(err)
			}
			if got := s.KeyRequests(); !reflect.DeepEqual(got, []string{text}) {
				t.Errorf("the phone got key=%q, want %q", got, text)
			}
			simtest.Request(t, simtest.Last(t, s), simtest.Want{Method: http.MethodGet, Path: commandPath, RawQuery: query})
		})
	}
}

// TestSendKeysSaysWhenTheFirmwareRefusesAKey: F_HOLD on firmware before
// 8.7.3.7 is refused by the phone, in a sentence naming what was asked.
func TestSendKeysSaysWhenTheFirmwareRefusesAKey(t *testing.T) {
	_, d := bench.Pair(t, SimOptions{BeforeFHold: true})
	seq, _ := phone.ParseKeys("F_HOLD")
	err := d.SendKeys(context.Background(), seq)
	if phone.KindOf(err) != phone.ErrRefused {
		t.Fatalf("SendKeys = %v, want a refusal", err)
	}
	if got, want := err.Error(), "The phone at 127.0.0.1 refused to press the keys F_HOLD (HTTP 400): it does not know the request (an older firmware?)"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
}
