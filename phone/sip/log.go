package sip

import (
	"context"
	"log/slog"

	gosip "github.com/emiago/sipgo/sip"
)

// The SIP library logs through one package-wide logger, and at Info it
// reports every retransmission it ignores. dialbridge's log should carry
// only what a person may need: the library's errors, through whatever
// logger the program set up.
func init() {
	gosip.SetDefaultLogger(slog.New(errorsOnly{}).With("component", "sip"))
}

// errorsOnly passes records at Error and above to slog's default handler
// of the moment (the program sets it after this package initialises).
type errorsOnly struct {
	attrs []slog.Attr
	group string
}

func (errorsOnly) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (h errorsOnly) Handle(ctx context.Context, r slog.Record) error {
	dh := slog.Default().Handler().WithAttrs(h.attrs)
	if h.group != "" {
		dh = dh.WithGroup(h.group)
	}
	return dh.Handle(ctx, r)
}

func (h errorsOnly) WithAttrs(as []slog.Attr) slog.Handler {
	h.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return h
}

func (h errorsOnly) WithGroup(name string) slog.Handler {
	if h.group != "" {
		name = h.group + "." + name
	}
	h.group = name
	return h
}
