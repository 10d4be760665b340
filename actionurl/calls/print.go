package calls

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/calls/journal"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Report is what `dialbridge journal` asks for.
type Report struct {
	// Since is how far back, as ParseSince reads it; "" is everything.
	Since string
	// Limit bounds the calls shown (the newest); 0 means the journal's
	// default.
	Limit int
	// JSON prints the control API's CallList instead of text.
	JSON bool
	// Now is the time Since counts back from.
	Now time.Time
	// Word says why a delivery failed in the person's language
	// (i18n.Error, which this package cannot use: it stays free of the
	// toolkit that holds the translations); nil writes the English.
	Word func(error) string
}

// PrintJournal writes the journal at path to w: every call with its times
// and outcome, and under it every outgoing action URL with its status. It
// reads the file directly, so it works whether dialbridge runs or not.
func PrintJournal(ctx context.Context, w io.Writer, path string, r Report) error {
	since, err := ParseSince(r.Since, r.Now)
	if err != nil {
		return err
	}
	j, err := journal.OpenReadOnly(path)
	if errors.Is(err, fs.ErrNotExist) {
		if r.JSON {
			return json.NewEncoder(w).Encode(control.CallList{Calls: []control.CallEntry{}})
		}
		fmt.Fprintln(w, words(r.Word).say(sayNoJournal, map[string]any{"Path": path}))
		return nil
	}
	if err != nil {
		return err
	}
	defer j.Close()
	calls, err := j.Calls(ctx, journal.Query{Since: since, Limit: r.Limit})
	if err != nil {
		return err
	}
	if r.JSON {
		if calls == nil {
			calls = []control.CallEntry{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(control.CallList{Calls: calls})
	}
	if len(calls) == 0 {
		fmt.Fprintln(w, noCalls(words(r.Word), r.Since, since, path))
		return nil
	}
	WriteCalls(w, calls, r.Word)
	return nil
}

// noCalls says which time the journal was searched in when it had nothing
// to show, so that an empty answer is not mistaken for a broken journal.
func noCalls(say words, flag string, since time.Time, path string) string {
	if since.IsZero() {
		return say.say(sayNoCallsYet, map[string]any{"Path": path})
	}
	return say.say(sayNoCallsSince, map[string]any{"Since": since.Format("2006-01-02 15:04"), "Flag": flag})
}

// WriteCalls writes calls oldest first, as a log reads. What the phone
// passed on (numbers, the name the caller chose) is limited by
// display.Name: one line each, no terminal escapes, no bidi tricks. word
// words the printout and why a delivery failed in the person's language
// (Report.Word; nil for English); the columns are as wide as the longest
// words of that language.
func WriteCalls(w io.Writer, calls []control.CallEntry, word func(error) string) {
	say := words(word)
	dirW, outW, evW, stW := say.width(8, "inbound", "outbound"), say.width(12, "active", "answered", "missed", "not answered", "transferred"),
		say.width(12, "inbound", "outbound", "connected", "hold", "disconnected"), say.width(12, "pending", "delivered", "failed")+6
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		who := display.Name(c.Remote)
		if alias := display.Name(c.RemoteAlias); alias != "" {
			who = fmt.Sprintf("%s (%s)", who, alias)
		}
		if who == "" {
			who = say.code("unknown")
		}
		line := c.Created.Local().Format("2006-01-02 15:04:05") + "  " + pad(say.code(c.Direction), dirW) + "  " + pad(say.code(c.Outcome), outW) + "  " + who
		if c.Connected != nil {
			line += "  " + phone.FormatDuration(time.Duration(c.DurationSeconds)*time.Second)
		}
		if c.TransferredTo != "" {
			line += "  -> " + display.Name(c.TransferredTo)
		}
		fmt.Fprintln(w, line)
		for _, d := range c.Deliveries {
			state := say.code(d.Status)
			if d.HTTPStatus != 0 {
				state += fmt.Sprintf(" (HTTP %d)", d.HTTPStatus)
			}
			extra := ""
			switch {
			case d.Status == string(outgoing.StatusPending) && d.NextAttempt != nil:
				extra = "  " + say.say(sayNextAttempt, map[string]any{"Attempt": d.Attempts + 1, "Time": d.NextAttempt.Local().Format("15:04:05")})
			case d.Mode == string(outgoing.ModeBrowser):
				extra = "  (" + say.code("browser") + ")"
			}
			fmt.Fprintf(w, "    %s %s %s%s\n", pad(say.code(d.Action), evW), pad(state, stW), d.URL, extra)
			if err := d.Err(); err != nil && d.Status != string(outgoing.StatusDelivered) {
				fmt.Fprintf(w, "    %s %s %s\n", pad("", evW), pad("", stW), display.LogText(say.err(err)))
			}
		}
	}
}
