package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/actionurl/phonekeys"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
)

// FunctionKeysArgs is the function-keys command's argument line.
const FunctionKeysArgs = "[--config FILE] status|write"

// FunctionKeysSummary says what the function-keys command does.
const FunctionKeysSummary = "show whether the [[phone.keys]] bindings are in the phone, or write them now"

// functionKeysAPI is the running dialbridge as the function-keys command
// uses it: a *control.Client, or a recorder in the tests.
type functionKeysAPI interface {
	Keys(ctx context.Context) (control.KeysStatus, error)
	WriteKeys(ctx context.Context) (control.KeysStatus, error)
	Reload(ctx context.Context) error
}

// FunctionKeys is `dialbridge function-keys status|write`: the Settings
// page's "Write to phone" and its result line, on the command line,
// through the same control routes.
func FunctionKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runFunctionKeys(ctx, args, stdout, stderr, func(ctx context.Context, cfgFlag string) (functionKeysAPI, error) {
		return connect(ctx, cfgFlag)
	})
}

func runFunctionKeys(ctx context.Context, args []string, stdout, stderr io.Writer, connect func(context.Context, string) (functionKeysAPI, error)) error {
	fs, cfgPath := cli.NewFlags("function-keys", stderr)
	_ = i18n.Load() // without translations, English
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: 1, OneOf: []string{"status", "write"}, Usage: lang.X("fkeys.usage", "function-keys needs one of status, write")}); err != nil {
		return err
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ask := map[string]func(context.Context) (control.KeysStatus, error){
		"status": c.Keys, "write": c.WriteKeys,
	}[fs.Arg(0)]
	ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	if fs.Arg(0) == "write" {
		// The running dialbridge reads the config file when Settings
		// saves it, not when a person edits it by hand: write reads it
		// first, as Settings' "Write to phone" saves it first, so that
		// the bindings written are the file's and a deleted one is reset.
		if err := c.Reload(ctx); err != nil {
			return err
		}
	}
	st, err := ask(ctx)
	if err != nil && st.Keys == nil {
		return err
	}
	PrintFunctionKeys(stdout, st)
	return err
}

// PrintFunctionKeys writes st for a person: one line per bound key with
// its state, then the keys still to be reset, what to do by hand and why
// the keys' lights cannot be set, as the Settings page shows them.
func PrintFunctionKeys(w io.Writer, st control.KeysStatus) {
	if len(st.Keys) == 0 && len(st.Removed) == 0 {
		fmt.Fprintln(w, lang.X("fkeys.none", "No function key is bound ([[phone.keys]] in the config file)."))
		return
	}
	for _, k := range st.Keys {
		fmt.Fprintf(w, "%-4s %-20s %-28s %s\n", "P"+strconv.Itoa(k.Key), k.Label, k.Action, keyState(k))
	}
	for _, n := range st.Removed {
		fmt.Fprintln(w, lang.X("fkeys.removed", "P{{.Key}} is no longer bound; dialbridge resets it at the next write.", map[string]any{"Key": n}))
	}
	if st.Manual != "" {
		fmt.Fprintln(w, lang.X("fkeys.manual", "dialbridge cannot write this phone's settings: enter what \"dialbridge pairing-urls --keys\" prints in the phone's web interface."))
	}
	if st.Lights != "" {
		fmt.Fprintln(w, lang.X("fkeys.lights", "The keys' lights: {{.Why}}", map[string]any{"Why": display.Text(st.Lights, 300)}))
	}
}

// keyState says in words how the last write left k.
func keyState(k control.KeyStatus) string {
	at := ""
	if k.At != nil {
		at = k.At.Local().Format("2006-01-02 15:04:05")
	}
	switch k.State {
	case control.KeyWritten:
		return lang.X("fkeys.written", "written {{.At}}", map[string]any{"At": at})
	case control.KeyFailed:
		return lang.X("fkeys.failed", "not written: {{.Error}}", map[string]any{"Error": k.Error})
	case control.KeyManual:
		return lang.X("fkeys.enter", "to enter by hand")
	}
	return lang.X("fkeys.pending", "not written yet")
}

// writeKeySettings prints, one per line as "setting = value", the settings
// that bind cfg's function keys: the same ones the resident writes where
// the phone lets it. notes gets what stands in the way, as for the event
// URLs (no lan_address yet).
func writeKeySettings(ctx context.Context, w, notes io.Writer, cfg config.Config, token string) error {
	base, err := phoneevents.KeysBase(ctx, cfg, cfg.Listener.Port, notes)
	if err != nil {
		return err
	}
	settings, err := phonekeys.Settings(cfg, base, token, cfg.Phone.Model, nil)
	if err != nil {
		return errors.New(i18n.Error(err))
	}
	if len(settings) == 0 {
		fmt.Fprintln(w, lang.X("fkeys.none", "No function key is bound ([[phone.keys]] in the config file)."))
	}
	for _, st := range settings {
		fmt.Fprintf(w, "%s = %s\n", st.Name, st.Value)
	}
	return nil
}
