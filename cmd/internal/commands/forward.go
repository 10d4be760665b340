package commands

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/phone/display"
)

// Forward is `dialbridge forward NUMBER|off|status`: the phone forwards
// every incoming call to NUMBER (read through the dialing rules, like a
// transfer target), stops forwarding, or says what dialbridge last set
// or the phone last reported (a Snom reports a change made at the phone),
// through the running resident, the path the tray's item takes too.
func Forward(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runForward(ctx, args, stdout, stderr, connectAPI)
}

// runForward is Forward with the way to the resident passed in.
func runForward(ctx context.Context, args []string, stdout, stderr io.Writer, connect callConnect) error {
	_ = i18n.Load() // without translations, English
	return runPhoneSetting(ctx, "forward", args, stderr, connect, func(arg string) bool {
		// "on" is dnd's word; forwarding needs the number to forward to.
		return strings.TrimSpace(arg) != "" && arg != "on"
	},
		lang.X("forward.usage", "forward needs a NUMBER, off or status"), func(ctx context.Context, c callAPI, arg string) error {
			var f control.Forward
			var err error
			switch arg {
			case "status":
				f, err = c.Forward(ctx)
			case "off":
				f, err = c.SetForward(ctx, "")
			default:
				f, err = c.SetForward(ctx, arg)
			}
			if err != nil {
				return Worded(err) // a number the dialing rules refuse
			}
			switch {
			case !f.Known:
				fmt.Fprintln(stdout, lang.X("forward.unknown", "Call forwarding: not known (neither the phone nor dialbridge has switched it since dialbridge started)."))
			case f.Target != "":
				fmt.Fprintln(stdout, lang.X("forward.on", "Calls are forwarded to {{.Number}}: the phone diverts every incoming call there.", map[string]any{"Number": display.Name(f.Target)}))
			default:
				fmt.Fprintln(stdout, lang.X("forward.off", "Call forwarding is off."))
			}
			return nil
		})
}
