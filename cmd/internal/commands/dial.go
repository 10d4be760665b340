package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2/lang"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/cmd/internal/reach"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/sentence"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// Dial is `dialbridge dial NUMBER`: it asks the running dialbridge to dial
// NUMBER, starting one in the background when none runs. The number counts
// as typed by the person, like the dial pad's.
func Dial(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("dial", stderr)
	identity := fs.String("identity", "", "dial from this line or account (outgoing_uri)")
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: cli.Any, Usage: "dial needs a NUMBER"}); err != nil {
		return err
	}
	number := strings.Join(fs.Args(), " ")
	// Typed on the command line by the person: like the dial pad.
	return dialViaResident(ctx, *cfgPath, control.DialCommand{
		Number: number, Identity: *identity, Typed: true, Source: control.SourceCommandLine,
	}, stdout)
}

// Link dials a tel:, callto: or sip: link handed over by the desktop.
// This path must stay light: no GUI, just one request to the resident.
func Link(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return cli.UsageError{Msg: "give exactly one tel:, callto: or sip: link"}
	}
	// A link came from a page or a mail: not typed by the person, so the
	// blocked-number rules apply.
	return dialViaResident(ctx, "", control.DialCommand{Number: args[0], Source: "phone link"}, stdout)
}

// dialViaResident sends cmd to the running resident, starting one in the
// background when none runs.
func dialViaResident(ctx context.Context, cfgFlag string, cmd control.DialCommand, stdout io.Writer) error {
	dialed, err := reach.Dial(ctx, cfgFlag, cmd)
	if err != nil {
		return Worded(err)
	}
	_ = i18n.Load() // without translations, English
	fmt.Fprintln(stdout, lang.X("dial.dialing", "The phone is dialing {{.Number}}", map[string]any{"Number": dialed}))
	return nil
}

// Worded is err in the person's language when it is a sentence of
// dialbridge's (a refusal the resident sent with its sentence, such as a
// blocked number or the phone refusing the password); any other error
// stays as it is, so that its type still counts. An exit status stays
// with its error. Every command's error passes here before it is printed.
func Worded(err error) error {
	if sentence.Of(err) == nil {
		return err
	}
	words := errors.New(i18n.Error(err))
	if ee := (*cli.ExitError)(nil); errors.As(err, &ee) {
		return &cli.ExitError{Code: ee.Code, Err: words}
	}
	return words
}

// Normalize is `dialbridge normalize TEXT`: what the dialing rules of the
// config file would dial for TEXT, and why, without a running dialbridge.
func Normalize(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("normalize", stderr)
	_, cfg, err := parseConfigured(fs, cfgPath, args, cli.Args{Min: 1, Max: cli.Any, Usage: "normalize needs the TEXT to normalize"})
	if err != nil {
		return err
	}
	rd, err := cfg.Dialing.Rules().Read(strings.Join(fs.Args(), " "))
	if err != nil {
		return Worded(err)
	}
	printReading(stdout, rd)
	return nil
}

// printReading writes what `dialbridge normalize` shows of a Reading, in
// the person's language: the steps, then the dial string and, when the
// blocked list refuses it, the rule. The last line is the verdict every
// way in acts on.
func printReading(w io.Writer, rd dialplan.Reading) {
	for _, s := range rd.Steps {
		fmt.Fprintln(w, "  "+i18n.Error(s.Sentence()))
	}
	if rd.Blocked != nil {
		fmt.Fprintln(w, lang.X("normalize.blocked", "dial: {{.Dial}} (only when typed by the person; links and web pages are refused: {{.Err}})",
			map[string]any{"Dial": rd.Dial, "Err": i18n.Error(rd.Blocked)}))
		return
	}
	fmt.Fprintln(w, lang.X("normalize.dial", "dial: {{.Dial}}", map[string]any{"Dial": rd.Dial}))
}
