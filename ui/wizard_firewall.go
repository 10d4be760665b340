package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// firewallPage tests whether the phone's messages arrive.
func (w *Wizard) firewallPage() []fyne.CanvasObject {
	w.skip.Show()
	if w.results[stepFirewall] == nil {
		w.runFirewall()
	}
	return []fyne.CanvasObject{
		wrapped(lang.X("wizard.firewall.intro", "A firewall on this computer or in the network may block the phone's messages. dialbridge now checks that they arrive.")),
	}
}

// firewallNext tests again until the test passed, then moves on.
func (w *Wizard) firewallNext() {
	w.untilPassed(stepFirewall, true, w.runFirewall, stepDone)
}

// runFirewall runs the brand's firewall test, or waits for a test call.
func (w *Wizard) runFirewall() {
	s := w.settings()
	w.attempt(lang.X("wizard.firewall.running", "Asking the phone to send a test message to dialbridge…"), func(ctx context.Context) func() {
		err := w.d.Pairer.FirewallTest(ctx, s)
		return func() {
			switch {
			case err == nil:
				w.record(stepFirewall, true, lang.X("wizard.firewall.ok", "The phone's test message arrived: nothing blocks the phone's messages."))
			case errors.Is(err, pairing.ErrNoFirewallTest):
				w.waitForTestCall()
			default:
				w.record(stepFirewall, false, lang.X("wizard.firewall.failed", "The test message did not arrive ({{.Err}}). Check the firewall of this computer for port {{.Port}}, then press Next to try again.", map[string]any{"Err": err.Error(), "Port": w.port()}))
			}
		}
	})
}

// port is the listener's port, for the firewall advice.
func (w *Wizard) port() int {
	if cfg, err := w.d.Config.Load(); err == nil {
		return cfg.Listener.Port
	}
	return config.DefaultPort
}

// waitForTestCall asks the person to make a call on the phone and waits
// until dialbridge hears of it (or the person gives up).
func (w *Wizard) waitForTestCall() {
	since := w.d.now()
	w.outcome.Importance = widget.HighImportance
	w.outcome.SetText(lang.X("wizard.firewall.call", "This phone has no built-in test. Make a test call on the phone now, e.g. dial your own extension or pick up and dial any number. dialbridge waits for it to show up…"))
	w.work(2*time.Minute, func(ctx context.Context) func() {
		err := w.d.Pairer.WaitForPhone(ctx, since)
		return func() {
			switch {
			case err == nil:
				w.record(stepFirewall, true, lang.X("wizard.firewall.call_seen", "dialbridge saw the test call: the phone's messages arrive."))
			case w.results[stepFirewall] != nil && w.results[stepFirewall].text == skippedText():
				// the person skipped the test while it ran
			default:
				w.record(stepFirewall, false, lang.X("wizard.firewall.no_call", "No call arrived. Check the phone's action URLs and the firewall of this computer for port {{.Port}}, then press Next to try again.", map[string]any{"Port": w.port()}))
			}
		}
	})
}

func skippedText() string {
	return lang.X("wizard.firewall.skipped", "Skipped: the firewall was not tested.")
}

// skipFirewall moves on without a successful test, saying so.
func (w *Wizard) skipFirewall() {
	if w.cancel != nil {
		w.cancel()
	}
	w.record(stepFirewall, false, skippedText())
	w.busy = false
	w.activity.Stop()
	w.activity.Hide()
	w.show(stepDone)
}
