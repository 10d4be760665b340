package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/calls"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/display"
)

// callAPI is the running dialbridge as the call and dnd commands use it: a
// *control.Client, or a recorder in the tests that read what a person typed.
type callAPI interface {
	Calls(ctx context.Context) ([]control.CallEntry, error)
	Call(ctx context.Context, id, op string, cmd control.CallCommand) error
	SetDND(ctx context.Context, on bool) (control.DND, error)
	DND(ctx context.Context) (control.DND, error)
	SetForward(ctx context.Context, target string) (control.Forward, error)
	Forward(ctx context.Context) (control.Forward, error)
	DemoIncoming(ctx context.Context, d control.DemoCall) error
}

// callConnect reaches the running dialbridge of the config the --config
// flag names ("" for the default).
type callConnect func(ctx context.Context, cfgFlag string) (callAPI, error)

// connectAPI is connect for the call and dnd commands.
func connectAPI(ctx context.Context, cfgFlag string) (callAPI, error) {
	return connect(ctx, cfgFlag)
}

// CallArgs is the call command's argument line for the help text; the
// operations are listed in its summary (CallSummary), so the help's
// columns stay readable in a terminal.
const CallArgs = "[--config FILE] [--call ID] OP [ARGS]"

// CallSummary says what the call command does and lists its operations.
const CallSummary = "act on the call in progress: answer, hangup, hold, resume, dtmf DIGITS, transfer [NUMBER], consult NUMBER, conference, clear, ring (the demo phone rings)"

// op is one sub-command of `dialbridge call`: how many arguments it takes
// and how the sentences around it read. The sentences are whole, each a
// translation key "call.none.NAME" or "call.did.NAME", so that a language
// can order its words its own way.
type op struct {
	arg      string // "" none; the argument's name otherwise
	optional bool   // the argument may be left out (transfer)
	none     string // no call for it: "no call is in progress that could be ..."
	did      string // done: "Asked the phone to ... the call{{.With}}.", {{.Arg}} the argument
}

var ops = map[string]op{
	"answer":     {none: "no call is in progress that could be answered", did: "Asked the phone to answer the call{{.With}}."},
	"hangup":     {none: "no call is in progress that could be hung up", did: "Asked the phone to hang up the call{{.With}}."},
	"hold":       {none: "no call is in progress that could be held", did: "Asked the phone to hold the call{{.With}}."},
	"resume":     {none: "no call is in progress that could be resumed", did: "Asked the phone to resume the call{{.With}}."},
	"dtmf":       {arg: "DIGITS", none: "no call is in progress that could be sent tones", did: "Asked the phone to send the tones {{.Arg}} in the call{{.With}}."},
	"transfer":   {arg: "NUMBER", optional: true, none: "no call is in progress that could be transferred", did: "Asked the phone to transfer to {{.Arg}} the call{{.With}}."},
	"consult":    {arg: "NUMBER", none: "no call is in progress that could be held for a consultation", did: "Asked the phone to hold and call {{.Arg}} for the call{{.With}}."},
	"conference": {none: "no call is in progress that could be joined into a conference", did: "Asked the phone to join into a conference the call{{.With}}."},
	"clear":      {none: "no call is in progress that could be cleared", did: "Asked the phone to clear the call{{.With}}."},
}

// Call is `dialbridge call OP`: it answers, hangs up, holds or resumes,
// sends tones, transfers (blind, or attended after consult), joins a
// conference or clears the call named with --call, or the call in progress
// the operation means (calls.Target), through the running resident's
// control API, which does every call operation through the call service,
// the path the tray and the windows take too; "ring" lets the demo phone
// ring, like the tray's "Simulate incoming call", or "ring NUMBER" from
// NUMBER without a name, so that a caller lookup can name it.
func Call(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runCall(ctx, args, stdout, stderr, connectAPI)
}

// runCall is Call with the way to the resident passed in.
func runCall(ctx context.Context, args []string, stdout, stderr io.Writer, connect callConnect) error {
	fs, cfgPath := cli.NewFlags("call", stderr)
	callID := fs.String("call", "", "act on this call (its GUID or the phone's call id) instead of the current one")
	_ = i18n.Load() // without translations, English
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: cli.Any, Usage: lang.X("call.usage", "call needs one of answer, hangup, hold, resume, dtmf, transfer, consult, conference, clear, ring")}); err != nil {
		return err
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	o, known := ops[name]
	switch {
	case name == "ring":
		// Any words: the NUMBER, spaces and all, or none for a demo caller.
	case !known:
		return cli.UsageError{Msg: lang.X("call.unknown", "call: {{.Op}} is not one of answer, hangup, hold, resume, dtmf, transfer, consult, conference, clear, ring", map[string]any{"Op": strconv.Quote(name)})}
	case len(rest) > 1 && o.arg != "":
		return cli.UsageError{Msg: lang.X("call.args.one", "call {{.Op}} takes one {{.Arg}}", map[string]any{"Op": name, "Arg": o.arg})}
	case len(rest) > 0 && o.arg == "":
		return cli.UsageError{Msg: lang.X("call.args.none", "call {{.Op}} takes no arguments", map[string]any{"Op": name})}
	case len(rest) == 0 && o.arg != "" && !o.optional:
		return cli.UsageError{Msg: lang.X("call.args.need", "call {{.Op}} needs {{.Arg}}", map[string]any{"Op": name, "Arg": o.arg})}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if name == "ring" {
		// "call ring 030 1234567" is one number, as lookup's words are.
		if err := c.DemoIncoming(ctx, control.DemoCall{Number: strings.Join(rest, " ")}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, lang.X("call.ring", "The demo phone is ringing: answer or reject it in the tray or with \"dialbridge call answer|hangup\"."))
		return nil
	}
	call := control.CallEntry{GUID: *callID}
	noCall := errors.New(lang.X("call.none."+name, o.none))
	current := false
	if *callID == "" {
		active, err := c.Calls(ctx)
		if err != nil {
			return err
		}
		var ok bool
		if call, ok = calls.Target(name, active); !ok && name == "transfer" && len(rest) == 0 {
			if dialing, ok := consultDialing(active); ok {
				// "No call is in progress" would be untrue: the held
				// call and the consultation are both there, and the
				// phone completes the transfer once the target answers.
				return errors.New(lang.X("call.none.transfer_dialing", "{{.Number}} has not answered yet: complete the transfer once the call is connected (or end it with \"dialbridge call hangup\" and take back the held call with \"dialbridge call resume\")",
					map[string]any{"Number": display.Name(dialing.Remote)}))
			}
		}
		if !ok {
			// A phone that reports no calls may still have one: its
			// driver finds it (calls.CurrentCall).
			call, current = control.CallEntry{GUID: calls.CurrentCall}, true
		}
	}
	cmd := control.CallCommand{}
	arg := strings.Join(rest, "")
	switch name {
	case "dtmf":
		cmd.Digits = arg
	case "transfer", "consult":
		cmd.Target = arg
	}
	if err := c.Call(ctx, call.GUID, name, cmd); err != nil {
		if current && strings.Contains(err.Error(), calls.NotInProgress) {
			return noCall
		}
		return Worded(err) // a transfer target the dialing rules refuse
	}
	if name == "transfer" && arg == "" {
		fmt.Fprintln(stdout, lang.X("call.did.complete", "Asked the phone to complete the transfer: it connects the held call with the other one."))
		return nil
	}
	fmt.Fprintln(stdout, lang.X("call.did."+name, o.did, map[string]any{"Arg": display.Name(arg), "With": with(call)}))
	return nil
}

// consultDialing is the call a consultation is still dialing, when
// another call waits on hold for it: what "transfer" without a number
// would connect once it is answered.
func consultDialing(active []control.CallEntry) (control.CallEntry, bool) {
	held := false
	var dialing control.CallEntry
	for _, c := range active {
		switch {
		case c.Connected != nil && c.OnHold:
			held = true
		case c.Connected == nil && c.Direction == "outbound":
			dialing = c
		}
	}
	return dialing, held && dialing.Remote != ""
}

// with names the other party of call for a sentence, " with Name (number)".
func with(call control.CallEntry) string {
	switch {
	case call.Remote == "":
		return ""
	case call.RemoteAlias != "":
		return lang.X("call.with.named", " with {{.Name}} ({{.Number}})", map[string]any{"Name": display.Name(call.RemoteAlias), "Number": display.Name(call.Remote)})
	}
	return lang.X("call.with", " with {{.Number}}", map[string]any{"Number": display.Name(call.Remote)})
}

// DND is `dialbridge dnd on|off|status`: it switches the phone's do not
// disturb, or shows it, through the running resident.
func DND(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runDND(ctx, args, stdout, stderr, connectAPI)
}

// runDND is DND with the way to the resident passed in.
func runDND(ctx context.Context, args []string, stdout, stderr io.Writer, connect callConnect) error {
	_ = i18n.Load() // without translations, English
	return runPhoneSetting(ctx, "dnd", args, stderr, connect, func(arg string) bool { return arg == "on" || arg == "off" || arg == "status" },
		lang.X("dnd.usage", "dnd needs one of on, off, status"), func(ctx context.Context, c callAPI, arg string) error {
			var d control.DND
			var err error
			if arg == "status" {
				d, err = c.DND(ctx)
			} else {
				d, err = c.SetDND(ctx, arg == "on")
			}
			if err != nil {
				return err
			}
			switch {
			case !d.Known:
				fmt.Fprintln(stdout, lang.X("dnd.unknown", "Do not disturb: not known (neither the phone nor dialbridge has switched it since dialbridge started)."))
			case d.On:
				fmt.Fprintln(stdout, lang.X("dnd.on", "Do not disturb is on: the phone rejects incoming calls."))
			default:
				fmt.Fprintln(stdout, lang.X("dnd.off", "Do not disturb is off."))
			}
			return nil
		})
}

// runPhoneSetting reads the one argument of a command that switches a
// setting of the phone (dnd, forward), checks it with valid (usage says
// what it takes otherwise), and does it through the running resident.
func runPhoneSetting(ctx context.Context, name string, args []string, stderr io.Writer, connect callConnect,
	valid func(arg string) bool, usage string, do func(ctx context.Context, c callAPI, arg string) error) error {
	fs, cfgPath := cli.NewFlags(name, stderr)
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: 1, Usage: usage}); err != nil {
		return err
	}
	if !valid(fs.Arg(0)) {
		return cli.UsageError{Msg: usage}
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return do(ctx, c, fs.Arg(0))
}

// Quit is `dialbridge quit`: it asks the running dialbridge to stop, as the
// tray's Quit does: the way out on a desktop without a tray host.
func Quit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := cli.NewFlags("quit", stderr)
	if err := cli.Parse(fs, args, cli.Args{Usage: "quit takes no arguments besides its flags"}); err != nil {
		return err
	}
	c, err := connect(ctx, *cfgPath)
	if errors.Is(err, control.ErrNotRunning) {
		return control.ErrNotRunning // nothing to quit; no advice to start it
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Quit(ctx); err != nil {
		return err
	}
	_ = i18n.Load() // without translations, English
	fmt.Fprintln(stdout, lang.X("quit.quitting", "dialbridge is quitting."))
	return nil
}

// KeyArgs is the key command's argument line for the help text.
const KeyArgs = "[--config FILE] SEQUENCE"

// KeySummary says what the key command does.
const KeySummary = "press keys on the phone, e.g. \"ENTER,50,5000;CANCEL\" (times in ms; key --help lists the keys)"

// keyAPI is the running dialbridge as the key command uses it: a
// *control.Client, or a recorder in the tests.
type keyAPI interface {
	SendKeys(ctx context.Context, keys string) error
}

// Key is `dialbridge key SEQUENCE`: it presses the keys of SEQUENCE on the
// paired phone through the running resident's control API, which checks
// the sequence and presses it through the call service, the path function
// keys take too. A Snom phone gets the sequence as written; brands whose
// phones take keys without times get their own names, one key at a time.
func Key(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runKey(ctx, args, stdout, stderr, func(ctx context.Context, cfgFlag string) (keyAPI, error) {
		return connect(ctx, cfgFlag)
	})
}

// keyHelp explains the sequence before the flags in `dialbridge key --help`.
func keyHelp() string {
	return "dialbridge key [--config FILE] KEY[,TIME[,PAUSE]][;KEY...]\n\n" +
		"Presses keys on the paired phone. Separate keys with \";\". After a key, TIME is how long it is\n" +
		"held and PAUSE the wait before the next key, both in milliseconds, e.g.\n" +
		"  dialbridge key \"ENTER,50,5000;CANCEL,50,1000\"\n" +
		"Snom phones take the sequence as written. Yealink, Fanvil and Cisco phones take their own names\n" +
		"for the keys they have, one at a time; dialbridge waits out the times itself.\n\n" +
		"Keys: " + phone.SnomKeyList() + "\n\n"
}

// runKey is Key with the way to the resident passed in.
func runKey(ctx context.Context, args []string, stdout, stderr io.Writer, connect func(context.Context, string) (keyAPI, error)) error {
	fs, cfgPath := cli.NewFlags("key", stderr)
	flags := fs.Usage
	fs.Usage = func() {
		fmt.Fprint(stderr, keyHelp())
		flags()
	}
	_ = i18n.Load() // without translations, English
	if err := cli.Parse(fs, args, cli.Args{Min: 1, Max: cli.Any, Usage: lang.X("key.usage", "key needs the keys to press, e.g. dialbridge key \"ENTER,50,5000;CANCEL\"")}); err != nil {
		return err
	}
	// A sequence typed as several words ("ENTER; CANCEL" unquoted) is
	// one sequence.
	text := strings.Join(fs.Args(), "")
	// The resident checks the sequence with the same phone.ParseKeys; it
	// is read here first so that a typo is worded in the person's
	// language, and without a running dialbridge.
	var typo *phone.KeyError
	seq, err := phone.ParseKeys(text)
	if errors.As(err, &typo) {
		return errors.New(i18n.Error(typo.Sentence()))
	}
	// The sentence names the keys as the phone gets them ("p1" is P1).
	pressed := text
	if err == nil {
		pressed = seq.String()
	}
	c, err := connect(ctx, *cfgPath)
	if err != nil {
		return err
	}
	// The sequence's own times come on top: the resident refuses a
	// sequence longer than phone.MaxKeyTime.
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second+phone.MaxKeyTime)
	defer cancel()
	if err := c.SendKeys(ctx, text); err != nil {
		return err
	}
	fmt.Fprintln(stdout, lang.X("key.asked", "Asked the phone to press {{.Keys}}.", map[string]any{"Keys": display.Name(pressed)}))
	return nil
}
