package commands

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/phone/display"
	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

// TestLogLinesKeepOutsideTextInItsValue logs every string of the hostile
// corpus as a value and as an error through the resident's logger: each
// record stays one line, with no control or bidi character in it, and the
// value reads back as display.LogText made it.
func TestLogLinesKeepOutsideTextInItsValue(t *testing.T) {
	corpus := displaytest.Load(t)
	var buf bytes.Buffer
	log := NewLogger(&buf)
	for _, s := range corpus {
		buf.Reset()
		log.Warn("the clicked link was not dialed", "link", s, "error", errors.New(s))
		line, ok := cleanLine(t, s, buf.String())
		if !ok {
			continue
		}
		// slog's text handler quotes a value (strconv.Quote) when it needs to.
		if want := display.LogText(s); !strings.Contains(line, " link="+want+" ") && !strings.Contains(line, " link="+strconv.Quote(want)+" ") {
			t.Errorf("%.40q: the line %q does not hold %q", s, line, want)
		}
	}
}

// TestJournalCommandPrintsHostileNamesAsText prints a journal entry for
// every caller name of the hostile corpus as `dialbridge journal` does:
// one line per call, with the name as display.Name limits it and nothing a
// terminal would act on.
func TestJournalCommandPrintsHostileNamesAsText(t *testing.T) {
	for _, name := range displaytest.Load(t) {
		var buf bytes.Buffer
		calls.WriteCalls(&buf, []control.CallEntry{{Direction: "inbound", Outcome: "missed", Remote: "+4930901821", RemoteAlias: name, TransferredTo: name}}, nil)
		line, ok := cleanLine(t, name, buf.String())
		if !ok {
			continue
		}
		if n := display.Name(name); n != "" && !strings.Contains(line, "+4930901821 ("+n+")  -> "+n) {
			t.Errorf("%.40q: the line %q does not show %q", name, line, n)
		}
	}
}

// cleanLine checks that out, written for the hostile input in, is one
// line with no character that display.Hidden reports, and returns it
// without its line break.
func cleanLine(t *testing.T, in, out string) (string, bool) {
	t.Helper()
	line, ok := strings.CutSuffix(out, "\n")
	if !ok || strings.Contains(line, "\n") {
		t.Errorf("%.40q: not one line: %q", in, out)
		return "", false
	}
	if i := strings.IndexFunc(line, display.Hidden); i >= 0 {
		t.Errorf("%.40q: the line keeps %q at byte %d", in, line[i:i+1], i)
	}
	return line, true
}
