package sip

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Status is a SIP status line: what the phone reports about the call a
// REFER made it place (RFC 3515: the body of each NOTIFY is a message/sipfrag
// whose first line is the new call's latest status).
type Status struct {
	Code   int
	Reason string
}

// Final reports whether the referred call has its outcome: a final status
// (200 and up) ends the REFER's subscription.
func (s Status) Final() bool { return s.Code >= 200 }

func (s Status) String() string { return fmt.Sprintf("%d %s", s.Code, s.Reason) }

// errSipfrag is the cause of every sipfrag the parser refuses.
var errSipfrag = errors.New("not a SIP status line")

// ParseSipfrag reads the status line at the start of a message/sipfrag body
// ("SIP/2.0 180 Ringing", headers may follow). The phone writes it, so
// anything that is not a status line with a three-digit code from 100 to 699
// is refused, and the reason is kept only if it is printable.
func ParseSipfrag(body []byte) (Status, error) {
	line, _, _ := strings.Cut(string(body), "\n")
	line = strings.TrimSuffix(line, "\r")
	rest, ok := strings.CutPrefix(line, "SIP/2.0 ")
	if !ok {
		return Status{}, fmt.Errorf("%w: %q", errSipfrag, clip(line))
	}
	code, reason, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || n < 100 || n > 699 {
		return Status{}, fmt.Errorf("%w: bad status code in %q", errSipfrag, clip(line))
	}
	if strings.IndexFunc(reason, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		return Status{}, fmt.Errorf("%w: control characters in %q", errSipfrag, clip(line))
	}
	return Status{Code: n, Reason: strings.TrimSpace(reason)}, nil
}

// clip shortens what the phone sent for an error message.
func clip(s string) string {
	const max = 60
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
