package commands

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/cmd/internal/cli"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone"
)

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
	if err := cli.ParseFlags(fs, args); err != nil {
		return err
	}
	_ = i18n.Load() // without translations, English
	if fs.NArg() == 0 {
		return cli.UsageError{Msg: lang.X("key.usage", "key needs the keys to press, e.g. dialbridge key \"ENTER,50,5000;CANCEL\"")}
	}
	// A sequence typed as several words ("ENTER; CANCEL" unquoted) is
	// one sequence.
	text := strings.Join(fs.Args(), "")
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
	fmt.Fprintln(stdout, lang.X("key.asked", "Asked the phone to press {{.Keys}}.", map[string]any{"Keys": text}))
	return nil
}
