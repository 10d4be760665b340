package ui

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/phoneevents"
	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// Pairer does the phone-facing work of the pairing wizard; ui/pairing
// implements it against the real brands and their simulators.
type Pairer interface {
	// Brands lists the brands the person can choose from.
	Brands() []string
	// Detect finds out which brand the phone at address is.
	Detect(ctx context.Context, address string) (string, error)
	// Check proves that the phone accepts the credentials, without making
	// it do anything a person would notice.
	Check(ctx context.Context, s brands.Settings) error
	// SetUpEvents points the phone's action URLs at dialbridge where the
	// brand allows it, and otherwise says what to set by hand.
	SetUpEvents(ctx context.Context, s brands.Settings) (pairing.EventSetup, error)
	// FirewallTest makes the phone call dialbridge and waits for it;
	// pairing.ErrNoFirewallTest means the brand has no such test.
	FirewallTest(ctx context.Context, s brands.Settings) error
	// WaitForPhone waits until dialbridge hears from the phone at or after
	// since, e.g. the events of a test call the person makes.
	WaitForPhone(ctx context.Context, since time.Time) error
}

// WizardDeps is what the pairing wizard needs.
type WizardDeps struct {
	Env
	Pairer   Pairer
	Config   ConfigStore
	Secrets  SecretStore
	Resident Resident
	// Address pre-fills the phone's address.
	Address string
}

// The wizard's steps, in order.
const (
	stepAddress = iota
	stepBrand
	stepCredentials
	stepEvents
	stepFirewall
	stepDone
	stepCount
)

// result is one step's outcome in plain words.
type result struct {
	ok   bool
	text string
}

// Wizard pairs dialbridge with a desk phone: address, brand (detected or
// chosen), credentials tested against the phone, secret stored in the
// keyring, the phone's action URLs set (or shown to copy), a firewall test,
// and a summary with each step's result.
type Wizard struct {
	d      WizardDeps
	window fyne.Window

	step    int
	results [stepCount]*result
	busy    bool
	cancel  context.CancelFunc

	title    *widget.Label
	progress *widget.Label
	body     *fyne.Container
	outcome  *widget.Label
	activity *widget.Activity
	back     *widget.Button
	next     *widget.Button

	address, username, password *widget.Entry
	brand                       *widget.Select
	detected                    string
	setup                       pairing.EventSetup
	settingsBox                 *fyne.Container
	saved                       bool
	testCall                    *widget.Button
	skip                        *widget.Button
}

// NewWizard builds the pairing wizard at its first step.
func NewWizard(a fyne.App, d WizardDeps) *Wizard {
	w := &Wizard{d: d}
	w.window = a.NewWindow(lang.X("wizard.title", "Pair a desk phone"))

	w.title = heading("")
	w.progress = captionLabel("")
	w.outcome = widget.NewLabel("")
	w.outcome.Wrapping = fyne.TextWrapWord
	w.activity = widget.NewActivity()
	w.activity.Hide()
	w.body = container.NewVBox()
	w.back = widget.NewButtonWithIcon(lang.X("wizard.back", "Back"), theme.NavigateBackIcon(), w.Back)
	w.next = widget.NewButtonWithIcon(lang.X("wizard.next", "Next"), theme.NavigateNextIcon(), w.Next)
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance
	w.skip = widget.NewButton(lang.X("wizard.skip", "Skip this test"), w.skipFirewall)
	w.skip.Hide()

	w.address = widget.NewEntry()
	w.address.SetPlaceHolder("192.0.2.10")
	w.address.SetText(d.Address)
	w.address.OnSubmitted = func(string) { w.Next() }
	w.brand = widget.NewSelect(d.Pairer.Brands(), nil)
	w.username = widget.NewEntry()
	w.username.SetText("admin")
	w.password = widget.NewPasswordEntry()
	w.password.OnSubmitted = func(string) { w.Next() }

	top := container.NewVBox(w.progress, w.title, widget.NewSeparator())
	result := container.NewBorder(nil, nil, w.activity, nil, w.outcome)
	buttons := container.NewBorder(nil, nil, w.back, container.NewHBox(w.skip, w.next))
	bottom := container.NewVBox(result, widget.NewSeparator(), buttons)
	w.window.SetContent(container.NewPadded(container.NewBorder(top, bottom, nil, nil, container.NewVScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.Padding()*2), w.body)))))
	w.window.Resize(fyne.NewSize(680, 600))
	w.window.SetOnClosed(func() {
		if w.cancel != nil {
			w.cancel()
		}
	})
	w.show(stepAddress)
	return w
}

// Window is the wizard's window.
func (w *Wizard) Window() fyne.Window { return w.window }

// settings is the phone as the wizard knows it so far. The certificate
// pinned for the same address stays pinned.
func (w *Wizard) settings() brands.Settings {
	s := brands.Settings{
		Brand:    w.brand.Selected,
		Address:  strings.TrimSpace(w.address.Text),
		Username: strings.TrimSpace(w.username.Text),
		Password: w.password.Text,
	}
	if cfg, err := w.d.Config.Load(); err == nil && cfg.Phone.Address == s.Address {
		s.TLSFingerprint = cfg.Phone.TLSFingerprint
	}
	return s
}

func (w *Wizard) stepTitle(step int) string {
	switch step {
	case stepAddress:
		return lang.X("wizard.address.title", "Where is the phone?")
	case stepBrand:
		return lang.X("wizard.brand.title", "Which phone is it?")
	case stepCredentials:
		return lang.X("wizard.credentials.title", "Sign in to the phone")
	case stepEvents:
		return lang.X("wizard.events.title", "Let the phone report its calls")
	case stepFirewall:
		return lang.X("wizard.firewall.title", "Can the phone reach this computer?")
	}
	return lang.X("wizard.done.title", "Done")
}

// show switches to a step and lays out its page.
func (w *Wizard) show(step int) {
	w.step = step
	w.title.SetText(w.stepTitle(step))
	w.progress.SetText(lang.X("wizard.progress", "Step {{.N}} of {{.Total}}", map[string]any{"N": step + 1, "Total": stepCount}))
	w.setOutcome(w.results[step])
	w.skip.Hide()
	w.next.SetText(lang.X("wizard.next", "Next"))
	w.next.Enable()
	if step == stepAddress || step == stepDone {
		w.back.Disable()
	} else {
		w.back.Enable()
	}

	var objs []fyne.CanvasObject
	switch step {
	case stepAddress:
		objs = []fyne.CanvasObject{
			wrapped(lang.X("wizard.address.intro", "Enter the address of your desk phone. You find it in the phone's menu, usually under Information or Network.")),
			newField("", lang.X("wizard.address", "Phone address"), w.address, lang.X("wizard.address.hint", "An IP address or host name, e.g. 192.0.2.10 or https://phone.example")).box,
		}
	case stepBrand:
		intro := lang.X("wizard.brand.choose", "Choose the brand of the phone.")
		if w.detected != "" {
			intro = lang.X("wizard.brand.detected", "dialbridge recognized the phone. Change the brand only if this is wrong.")
		}
		objs = []fyne.CanvasObject{wrapped(intro), newField("", lang.X("wizard.brand", "Brand"), w.brand, "").box}
	case stepCredentials:
		objs = []fyne.CanvasObject{
			wrapped(lang.X("wizard.credentials.intro", "dialbridge signs in to the phone's web interface to make it dial. Enter the user name and password of the phone's web interface.")),
			newField("", lang.X("wizard.username", "User name"), w.username, "").box,
			newField("", lang.X("wizard.password", "Password"), w.password, lang.X("wizard.password.hint", "It is kept in the system keyring, never in a file.")).box,
		}
		w.next.SetText(lang.X("wizard.test", "Test and save"))
	case stepEvents:
		w.settingsBox = container.NewVBox()
		objs = []fyne.CanvasObject{
			wrapped(lang.X("wizard.events.intro", "The phone tells dialbridge when it rings, connects, holds or hangs up by calling web addresses, its action URLs.")),
			w.settingsBox,
		}
		w.fillSettings()
		if w.results[stepEvents] == nil {
			w.runEvents()
		}
	case stepFirewall:
		objs = []fyne.CanvasObject{
			wrapped(lang.X("wizard.firewall.intro", "A firewall on this computer or in the network may block the phone's messages. dialbridge now checks that they arrive.")),
		}
		w.skip.Show()
		if w.results[stepFirewall] == nil {
			w.runFirewall()
		}
	case stepDone:
		objs = w.summary()
		w.next.SetText(lang.X("wizard.finish", "Finish"))
	}
	w.body.Objects = objs
	w.body.Refresh()
	switch step {
	case stepAddress:
		w.window.Canvas().Focus(w.address)
	case stepCredentials:
		w.window.Canvas().Focus(w.password)
	}
}

func (w *Wizard) setOutcome(r *result) {
	if r == nil {
		w.outcome.SetText("")
		w.outcome.Importance = widget.MediumImportance
		w.outcome.Refresh()
		return
	}
	if r.ok {
		w.outcome.Importance = widget.SuccessImportance
	} else {
		w.outcome.Importance = widget.DangerImportance
	}
	w.outcome.SetText(r.text)
}

// record keeps a step's result and shows it.
func (w *Wizard) record(step int, ok bool, text string) {
	w.results[step] = &result{ok: ok, text: text}
	if w.step == step {
		w.setOutcome(w.results[step])
	}
}

// Back returns to the previous step.
func (w *Wizard) Back() {
	if w.busy || w.step == stepAddress {
		return
	}
	w.show(w.step - 1)
}

// Next does the current step's work and moves on when it succeeded.
func (w *Wizard) Next() {
	if w.busy {
		return
	}
	switch w.step {
	case stepAddress:
		w.detect()
	case stepBrand:
		if w.brand.Selected == "" {
			w.record(stepBrand, false, lang.X("wizard.brand.missing", "Choose a brand to go on."))
			return
		}
		w.record(stepBrand, true, lang.X("wizard.brand.chosen", "The phone is a {{.Brand}} phone.", map[string]any{"Brand": w.brand.Selected}))
		w.show(stepCredentials)
	case stepCredentials:
		w.checkAndSave()
	case stepEvents:
		if w.results[stepEvents] == nil || !w.results[stepEvents].ok && w.setup.Automatic {
			w.runEvents()
			return
		}
		w.show(stepFirewall)
	case stepFirewall:
		if w.results[stepFirewall] == nil || !w.results[stepFirewall].ok {
			w.runFirewall()
			return
		}
		w.show(stepDone)
	case stepDone:
		w.window.Close()
	}
}

// work runs f off the UI goroutine with the activity shown, then done on
// the UI goroutine.
func (w *Wizard) work(timeout time.Duration, f func(ctx context.Context) func()) {
	w.busy = true
	w.next.Disable()
	w.back.Disable()
	w.activity.Show()
	w.activity.Start()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	w.cancel = cancel
	w.d.spawn(func() {
		done := f(ctx)
		cancel()
		fyne.Do(func() {
			w.busy = false
			w.activity.Stop()
			w.activity.Hide()
			w.next.Enable()
			if w.step != stepAddress && w.step != stepDone {
				w.back.Enable()
			}
			done()
		})
	})
}

func (w *Wizard) timeout() time.Duration {
	if w.d.Timeout > 0 {
		return w.d.Timeout
	}
	return 20 * time.Second
}

// detect asks the phone which brand it is.
func (w *Wizard) detect() {
	addr := strings.TrimSpace(w.address.Text)
	if addr == "" {
		w.record(stepAddress, false, lang.X("wizard.address.missing", "Enter the phone's address to go on."))
		return
	}
	w.outcome.Importance = widget.MediumImportance
	w.outcome.SetText(lang.X("wizard.detecting", "Asking the phone at {{.Address}} who it is…", map[string]any{"Address": addr}))
	w.work(w.timeout(), func(ctx context.Context) func() {
		brand, err := w.d.Pairer.Detect(ctx, addr)
		return func() {
			if err != nil {
				w.detected = ""
				w.record(stepAddress, false, lang.X("wizard.detect.failed", "dialbridge could not tell which phone this is ({{.Err}}). Choose the brand yourself.", map[string]any{"Err": err.Error()}))
			} else {
				w.detected = brand
				w.brand.SetSelected(brand)
				w.record(stepAddress, true, lang.X("wizard.detect.ok", "Found a {{.Brand}} phone at {{.Address}}.", map[string]any{"Brand": brand, "Address": addr}))
				w.record(stepBrand, true, lang.X("wizard.brand.chosen", "The phone is a {{.Brand}} phone.", map[string]any{"Brand": brand}))
			}
			if errors.Is(err, pairing.ErrUnreachable) {
				return // stay: the address is wrong
			}
			w.show(stepBrand)
		}
	})
}

// checkAndSave tests the credentials against the phone, stores the password
// in the keyring, saves the [phone] settings and tells the resident, so
// that the following steps find dialbridge listening for this phone.
func (w *Wizard) checkAndSave() {
	s := w.settings()
	w.outcome.Importance = widget.MediumImportance
	w.outcome.SetText(lang.X("wizard.checking", "Signing in to the phone…"))
	w.work(w.timeout(), func(ctx context.Context) func() {
		// An HTTPS phone's certificate is trusted on first use: the one
		// seen now is pinned in the config.
		var mu sync.Mutex
		fingerprint := ""
		s.OnNewFingerprint = func(fp string) {
			mu.Lock()
			fingerprint = fp
			mu.Unlock()
		}
		err := w.d.Pairer.Check(ctx, s)
		unverified := errors.Is(err, pairing.ErrUnverifiable)
		if err != nil && !unverified {
			return func() {
				w.record(stepCredentials, false, lang.X("wizard.check.failed", "The phone did not accept this: {{.Err}}", map[string]any{"Err": err.Error()}))
			}
		}
		if err := w.d.Secrets.Set(config.SecretPhone, s.Password); err != nil {
			return func() {
				w.record(stepCredentials, false, lang.X("wizard.secret.failed", "The phone accepted the password, but it could not be stored: {{.Err}}", map[string]any{"Err": err.Error()}))
			}
		}
		mu.Lock()
		fp := fingerprint
		mu.Unlock()
		err = w.savePhone(ctx, s, fp)
		return func() {
			if err != nil {
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

// savePhone writes the [phone] table and asks the resident to reload; a
// resident that is not running is no failure (it reads the file at start).
func (w *Wizard) savePhone(ctx context.Context, s brands.Settings, fingerprint string) error {
	cfg, err := w.d.Config.Load()
	if err != nil {
		return err
	}
	if cfg.Phone.Address != s.Address {
		// A new phone: its certificate must be trusted afresh.
		cfg.Phone.TLSFingerprint = ""
	}
	if fingerprint != "" {
		cfg.Phone.TLSFingerprint = fingerprint
	}
	cfg.Phone.Brand = s.Brand
	cfg.Phone.Address = s.Address
	cfg.Phone.Username = s.Username
	if cfg.Phone.PairingToken == "" {
		cfg.Phone.PairingToken = control.NewPairingToken()
	}
	if cfg.Listener.PhoneEventsAddress == "" && !isLoopback(s.Address) {
		// The phone must reach this computer over the network.
		cfg.Listener.PhoneEventsAddress = "auto"
	}
	if err := w.d.Config.Save(cfg); err != nil {
		return err
	}
	if w.d.Resident == nil {
		return nil
	}
	if err := w.d.Resident.Reload(ctx); err != nil && !errors.Is(err, control.ErrNotRunning) {
		return err
	}
	return nil
}

// isLoopback reports whether a phone address names this computer (a
// simulated phone, or a phone behind an SSH tunnel).
func isLoopback(address string) bool {
	host, err := phoneevents.PhoneHost(address)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// runEvents sets the phone's action URLs, or finds out what to show.
func (w *Wizard) runEvents() {
	s := w.settings()
	w.outcome.Importance = widget.MediumImportance
	w.outcome.SetText(lang.X("wizard.events.running", "Setting the phone's action URLs…"))
	w.work(w.timeout(), func(ctx context.Context) func() {
		setup, err := w.d.Pairer.SetUpEvents(ctx, s)
		return func() {
			w.setup = setup
			switch {
			case err != nil && len(setup.Settings) == 0:
				w.record(stepEvents, false, lang.X("wizard.events.failed", "dialbridge cannot tell which action URLs this phone needs: {{.Err}}", map[string]any{"Err": err.Error()}))
			case err != nil:
				w.record(stepEvents, false, lang.X("wizard.events.manual_after_error", "The phone refused to take the settings ({{.Err}}). Enter them in the phone's web interface as shown, then press Next.", map[string]any{"Err": err.Error()}))
				w.setup.Automatic = false
			case setup.Automatic:
				w.record(stepEvents, true, lang.X("wizard.events.set", "dialbridge set {{.Count}} action URLs on the phone.", map[string]any{"Count": len(setup.Settings)}))
			default:
				w.record(stepEvents, true, lang.X("wizard.events.manual", "This phone does not let dialbridge change its settings. Enter them in the phone's web interface as shown, then press Next."))
			}
			if w.step == stepEvents {
				w.fillSettings()
			}
		}
	})
}

// fillSettings lists the action URL settings: done, or to copy.
func (w *Wizard) fillSettings() {
	if w.settingsBox == nil {
		return
	}
	w.settingsBox.RemoveAll()
	if len(w.setup.Settings) == 0 {
		return
	}
	if w.setup.Where != "" {
		w.settingsBox.Add(captionLabel(lang.X("wizard.events.where", "In the phone's web interface: {{.Where}}", map[string]any{"Where": w.setup.Where})))
	}
	for _, st := range w.setup.Settings {
		name := st.Name
		if st.Label != "" && st.Label != st.Name {
			name = st.Label + " (" + st.Name + ")"
		}
		label := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		label.Wrapping = fyne.TextWrapWord
		value := widget.NewLabel(st.Value)
		value.TextStyle = fyne.TextStyle{Monospace: true}
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		var right fyne.CanvasObject
		if w.setup.Automatic {
			right = widget.NewIcon(theme.ConfirmIcon())
		} else {
			v := st.Value
			copyBtn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
				fyne.CurrentApp().Clipboard().SetContent(v)
			})
			right = copyBtn
		}
		w.settingsBox.Add(container.NewBorder(label, nil, nil, right, value))
	}
}

// runFirewall runs the brand's firewall test, or waits for a test call.
func (w *Wizard) runFirewall() {
	s := w.settings()
	w.outcome.Importance = widget.MediumImportance
	w.outcome.SetText(lang.X("wizard.firewall.running", "Asking the phone to send a test message to dialbridge…"))
	w.work(w.timeout(), func(ctx context.Context) func() {
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

// summary is the last page: each step's result in plain words.
func (w *Wizard) summary() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{}
	if w.saved {
		objs = append(objs, wrapped(lang.X("wizard.done.intro", "dialbridge is paired with the phone. Here is what happened:")))
	} else {
		objs = append(objs, wrapped(lang.X("wizard.done.unsaved", "The phone was not paired. Here is what happened:")))
	}
	for step := stepAddress; step < stepDone; step++ {
		r := w.results[step]
		icon := theme.MediaRecordIcon()
		text := lang.X("wizard.done.not_done", "not done")
		if r != nil {
			text = r.text
			if r.ok {
				icon = theme.ConfirmIcon()
			} else {
				icon = theme.WarningIcon()
			}
		}
		name := widget.NewLabelWithStyle(w.stepTitle(step), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, container.New(&tightVBox{}, name, wrapped(text))))
	}
	return objs
}
