package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/config/configtest"
	"github.com/dialbridge/dialbridge/phone/sip/siptest"
)

// serveSIP starts baresip answering in answermode, a PBX, and dialbridge
// paired with the phone and sending its calls to the PBX; it returns the
// PBX and the config file.
func serveSIP(t *testing.T, answermode string) (*siptest.PBX, string) {
	t.Helper()
	bs := siptest.Baresip(t, answermode)
	pbx := siptest.StartPBX(t)
	cfg := configtest.Write(t, t.TempDir(), fmt.Sprintf(`
[listener]
port = %d

[phone]
brand = "sip"
address = %q
sip_domain = %q

[dialing]
country = "DE"
area_code = "30"
`, configtest.FreePort(t), bs.URI, pbx.Domain))
	startServe(t, cfg)
	return pbx, cfg
}

// TestDialMakesARealSIPPhoneCallTheNumber: with brand = "sip",
// `dialbridge dial 030123456` makes baresip, answering automatically, call
// 030123456 at the PBX of sip_domain, and exits 0.
func TestDialMakesARealSIPPhoneCallTheNumber(t *testing.T) {
	pbx, cfg := serveSIP(t, siptest.AutoAnswer)
	out, err := exec.Command(binary, "dial", "--config", cfg, "030123456").CombinedOutput()
	if err != nil {
		t.Fatalf("dialbridge dial: %v\n%s", err, out)
	}
	if got := pbx.WaitCall(t, 10*time.Second); got != "030123456" {
		t.Errorf("the phone called %q at the PBX, want 030123456", got)
	}
}

// TestDialSaysWhenTheSIPPhoneDoesNotAnswerByItself: a phone that rings
// instead of answering makes `dialbridge dial` exit 1 with the setting to
// check, and the PBX hears nothing.
func TestDialSaysWhenTheSIPPhoneDoesNotAnswerByItself(t *testing.T) {
	pbx, cfg := serveSIP(t, siptest.Manual)
	out, err := exec.Command(binary, "dial", "--config", cfg, "030123456").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("dialbridge dial: %v, want exit status 1\n%s", err, out)
	}
	if !strings.Contains(string(out), "rang but did not answer; is auto-answer allowed for calls from this computer (127.0.0.1)?") {
		t.Errorf("dialbridge dial said %q", out)
	}
	if n := pbx.Waiting(); n != 0 {
		t.Errorf("the PBX was offered %d calls", n)
	}
}
