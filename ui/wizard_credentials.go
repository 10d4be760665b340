package ui

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/ui/form"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// credentialsPage asks for the phone's user name and password.
func (w *Wizard) credentialsPage() []fyne.CanvasObject {
	w.next.SetText(lang.X("wizard.test", "Test and save"))
	return []fyne.CanvasObject{
		wrapped(lang.X("wizard.credentials.intro", "dialbridge signs in to the phone's web interface to make it dial. Enter the user name and password of the phone's web interface.")),
		newField("", lang.X("wizard.username", "User name"), w.username, "").box,
		newField("", lang.X("wizard.password", "Password"), w.password, lang.X("wizard.password.hint", "It is kept in the system keyring, never in a file.")).box,
	}
}

// checkAndSave tests the credentials against the phone, then pairs it
// through the save sequence of ui/form (password into the keyring, [phone]
// into the file, the resident told), so that the following steps find
// dialbridge listening for this phone.
func (w *Wizard) checkAndSave() {
	p := w.pairing()
	s := w.settings()
	w.attempt(lang.X("wizard.checking", "Signing in to the phone…"), func(ctx context.Context) func() {
		// An HTTPS phone's certificate is trusted on first use: the one
		// seen now is pinned in the config.
		var mu sync.Mutex
		s.OnNewFingerprint = func(fp string) {
			mu.Lock()
			p.Fingerprint = fp
			mu.Unlock()
		}
		err := w.d.Pairer.Check(ctx, s)
		unverified := errors.Is(err, pairing.ErrUnverifiable)
		if err != nil && !unverified {
			return func() {
				w.record(stepCredentials, false, lang.X("wizard.check.failed", "The phone did not accept this: {{.Err}}", map[string]any{"Err": i18n.Error(err)}))
			}
		}
		mu.Lock()
		paired := p
		mu.Unlock()
		err = form.Saver{Files: w.d.Config, Keyring: w.d.Secrets, Resident: w.d.Resident}.Pair(ctx, paired)
		return func() {
			var keyring *form.KeyringError
			switch {
			case errors.As(err, &keyring):
				w.record(stepCredentials, false, lang.X("wizard.secret.failed", "The phone accepted the password, but it could not be stored: {{.Err}}", map[string]any{"Err": err.Error()}))
				return
			case err != nil:
				w.record(stepCredentials, false, lang.X("wizard.save.failed", "The phone accepted the password and it is stored, but the settings could not be saved: {{.Err}}", map[string]any{"Err": err.Error()}))
				return
			}
			w.saved = true
			if unverified {
				w.record(stepCredentials, true, lang.X("wizard.check.unverified", "This phone cannot check a password without acting on it, so it was not tested. It is stored in the system keyring; the first dial will show whether it is right."))
			} else {
				w.record(stepCredentials, true, lang.X("wizard.check.ok", "The phone accepted the user name and password. The password is stored in the system keyring."))
			}
			w.show(stepEvents)
		}
	})
}
