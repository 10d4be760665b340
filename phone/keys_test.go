package phone

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/golden"
)

func TestParseKeysReadsSnomsSyntax(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		text string
		want KeySequence
		back string // String(); "" means the text itself
	}{
		{text: "ENTER", want: KeySequence{{Key: "ENTER"}}},
		{text: "ENTER,50,5000;CANCEL,50,1000", want: KeySequence{
			{Key: "ENTER", Press: 50 * ms, Pause: 5000 * ms, Timed: 2}, {Key: "CANCEL", Press: 50 * ms, Pause: 1000 * ms, Timed: 2}}},
		{text: "OFFHOOK,2000", want: KeySequence{{Key: "OFFHOOK", Press: 2000 * ms, Timed: 1}}},
		{text: "F_HOLD;1;2;*;#;ENTER", want: KeySequence{{Key: "F_HOLD"}, {Key: "1"}, {Key: "2"}, {Key: "*"}, {Key: "#"}, {Key: "ENTER"}}},
		{text: "P1;P15;EK0;EK42", want: KeySequence{{Key: "P1"}, {Key: "P15"}, {Key: "EK0"}, {Key: "EK42"}}},
		{text: "VOLUME_UP,0,0", want: KeySequence{{Key: "VOLUME_UP", Timed: 2}}},
		{text: "enter, 50 ;cancel", want: KeySequence{{Key: "ENTER", Press: 50 * ms, Timed: 1}, {Key: "CANCEL"}}, back: "ENTER,50;CANCEL"},
		{text: "ENTER,050", want: KeySequence{{Key: "ENTER", Press: 50 * ms, Timed: 1}}, back: "ENTER,50"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got, err := ParseKeys(tc.text)
			if err != nil {
				t.Fatalf("ParseKeys(%q): %v", tc.text, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseKeys(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
			back := tc.back
			if back == "" {
				back = tc.text
			}
			if got.String() != back {
				t.Errorf("String() = %q, want %q", got.String(), back)
			}
		})
	}
}

func TestEverySnomKeyOfTheRemoteControlPageIsKnown(t *testing.T) {
	page := "CANCEL ENTER OFFHOOK ONHOOK RIGHT LEFT UP DOWN VOLUME_UP VOLUME_DOWN MENU MUTE REDIAL DND REC " +
		"F1 F2 F3 F4 SPEAKER HEADSET TRANSFER F_HOLD F_R 0 1 2 3 4 5 6 7 8 9 * # P1 P4 P12 P15 EK0 EK1 EK41"
	for _, k := range strings.Fields(page) {
		if _, err := ParseKeys(k); err != nil {
			t.Errorf("ParseKeys(%q): %v", k, err)
		}
	}
}

// refusedKeys are sequences ParseKeys must refuse; their sentences are in
// testdata/keys/refused.golden (go test -run TestParseKeysSaysWhatIsWrong
// -update rewrites it).
var refusedKeys = []string{
	"F_HLD", "ENTR,50", "ENTER;CANCLE", "VOLUMEUP", "HOLD", "BANANA", "P0", "P01", "+", "P100", "EK007", "P+1", "EK-0", "EN\x1b[2JTER", "\u202eRETNE",
	"ENTER,fifty", "ENTER,50,-1", "ENTER,", "ENTER,50,60001", "ENTER,1,2,3",
	"ENTER;;CANCEL", "ENTER;", " ",
	strings.Repeat("1;", MaxKeyEvents) + "1",
	"ENTER,30000,30000;CANCEL,1",
}

// TestParseKeysSaysWhatIsWrong: every refusal is a *KeyError whose
// sentence names the part at fault, and a typo gets the key it meant.
func TestParseKeysSaysWhatIsWrong(t *testing.T) {
	var b strings.Builder
	for _, text := range refusedKeys {
		_, err := ParseKeys(text)
		var ke *KeyError
		if !errors.As(err, &ke) {
			t.Errorf("ParseKeys(%q) = %v, want a *KeyError", text, err)
			continue
		}
		if len(text) > 40 {
			text = text[:40] + "…"
		}
		b.WriteString(strconv.Quote(text) + "\n\tproblem " + strconv.Itoa(int(ke.Problem)) + ": " + err.Error() + "\n")
	}
	golden.Assert(t, b.String(), "keys/refused.golden")
}

func TestNoKeyNamesTheBrand(t *testing.T) {
	if got, want := NoKey("yealink", "P15").Error(), "A Yealink phone has no key P15"; got != want {
		t.Errorf("NoKey = %q, want %q", got, want)
	}
	if KindOf(NoKey("fanvil", "MENU")) != ErrNotSupported {
		t.Error("NoKey is not ErrNotSupported")
	}
}

// waitClock records the waits PressOneByOne asks for instead of sleeping.
type waitClock struct{ waits []time.Duration }

func (c *waitClock) sleep(_ context.Context, d time.Duration) error {
	c.waits = append(c.waits, d)
	return nil
}

func TestPressOneByOneWaitsOutPressAndPause(t *testing.T) {
	seq, err := ParseKeys("ENTER,50,5000;CANCEL,80,1000;1")
	if err != nil {
		t.Fatal(err)
	}
	names := KeyMap{Named: map[string]string{"ENTER": "OK", "CANCEL": "X"}, Digits: true}
	var pressed []string
	var c waitClock
	err = PressOneByOne(context.Background(), "yealink", seq, names, c.sleep, func(_ context.Context, key string) error { pressed = append(pressed, key); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"OK", "X", "1"}; !reflect.DeepEqual(pressed, want) {
		t.Errorf("pressed %q, want %q", pressed, want)
	}
	// Press time after each key, the pause before the next; none after
	// the last key.
	if want := []time.Duration{5050 * time.Millisecond, 1080 * time.Millisecond, 0}; !reflect.DeepEqual(c.waits, want) {
		t.Errorf("waits %v, want %v", c.waits, want)
	}
}

func TestPressOneByOnePressesNothingWhenAKeyIsMissing(t *testing.T) {
	seq, _ := ParseKeys("ENTER;P15")
	pressed := 0
	err := PressOneByOne(context.Background(), "yealink", seq, KeyMap{Named: map[string]string{"ENTER": "OK"}, MaxLine: 14},
		nil, func(context.Context, string) error { pressed++; return nil })
	if got, want := err.Error(), "A Yealink phone has no key P15"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
	if pressed != 0 {
		t.Errorf("%d keys pressed before the missing one was found", pressed)
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want context.Canceled", err)
	}
}

func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"ENTER,50,5000;CANCEL,50,1000", "F_HOLD;1;2;#;ENTER", "enter, 050 ;p1", "ENTER;;", "EK199,1,2", "F_HLD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seq, err := ParseKeys(text)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseKeys(%q): empty error", text)
			}
			return
		}
		// A Snom key name is upper-case letters, digits, '_', '*' and
		// '#': nothing the phone could read as another key or a time.
		if strings.ContainsFunc(seq.String(), func(r rune) bool { return !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_*#,;", r) }) {
			t.Fatalf("ParseKeys(%q) wrote %q", text, seq.String())
		}
		// What String writes reads back as the same sequence, and is
		// written again unchanged: what reaches a Snom phone is stable.
		again, err := ParseKeys(seq.String())
		if err != nil {
			t.Fatalf("ParseKeys(%q) (String of %q): %v", seq.String(), text, err)
		}
		if !reflect.DeepEqual(again, seq) || again.String() != seq.String() {
			t.Fatalf("round trip of %q: %+v then %+v", text, seq, again)
		}
	})
}
