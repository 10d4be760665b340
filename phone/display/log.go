package display

import (
	"log/slog"
)

// LogText is a value for a log line: control characters (so a caller
// cannot start a line of their own) and bidi controls (so a terminal shows
// the line in the order it was written) removed. Give it to slog as a
// value, never concatenated into the message.
func LogText(s string) string { return visible(s, false) }

// ReplaceAttr is a slog.HandlerOptions.ReplaceAttr that passes every
// string and error value of a record through LogText, so that a value
// from outside cannot forge or hide a log line whichever handler writes it
// (slog's text handler quotes such values, other handlers need not).
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(LogText(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.StringValue(LogText(err.Error()))
		}
	}
	return a
}
