package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/phone/brands"
	"github.com/dialbridge/dialbridge/ui/form"
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
	w.outcome = wrapped("")
	w.activity = widget.NewActivity()
	w.activity.Hide()
	w.body = container.NewVBox()
	w.back = widget.NewButtonWithIcon(lang.X("wizard.back", "Back"), theme.NavigateBackIcon(), w.Back)
	w.next = widget.NewButtonWithIcon(lang.X("wizard.next", "Next"), theme.NavigateNextIcon(), w.Next)
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance
	w.skip = widget.NewButton(lang.X("wizard.skip", "Skip this test"), w.skipFirewall)
	w.skip.Hide()

	w.address = entry(d.Address, "192.0.2.10")
	w.address.OnSubmitted = func(string) { w.Next() }
	w.brand = widget.NewSelect(d.Pairer.Brands(), nil)
	w.username = entry("admin", "")
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

// pairing is the phone as the wizard's fields describe it so far.
func (w *Wizard) pairing() form.Pairing {
	return form.Pairing{
		Brand:    w.brand.Selected,
		Address:  strings.TrimSpace(w.address.Text),
		Username: strings.TrimSpace(w.username.Text),
		Password: w.password.Text,
	}
}

// settings is the phone to talk to. The certificate pinned for the same
// address stays pinned.
func (w *Wizard) settings() brands.Settings {
	cfg, _ := w.d.Config.Load()
	return w.pairing().Settings(cfg)
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
	enableIf(w.back, step != stepAddress && step != stepDone)

	objs := w.page(step)
	w.body.Objects = objs
	w.body.Refresh()
	switch step {
	case stepAddress:
		w.window.Canvas().Focus(w.address)
	case stepCredentials:
		w.window.Canvas().Focus(w.password)
	}
}

// page builds a step's page; each page is a file of its own
// (wizard_STEP.go) with the work its Next does.
func (w *Wizard) page(step int) []fyne.CanvasObject {
	switch step {
	case stepAddress:
		return w.addressPage()
	case stepBrand:
		return w.brandPage()
	case stepCredentials:
		return w.credentialsPage()
	case stepEvents:
		return w.eventsPage()
	case stepFirewall:
		return w.firewallPage()
	}
	return w.donePage()
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
		w.chooseBrand()
	case stepCredentials:
		w.checkAndSave()
	case stepEvents:
		w.eventsNext()
	case stepFirewall:
		w.firewallNext()
	case stepDone:
		w.window.Close()
	}
}

// untilPassed runs step's work (run) until it has passed, then shows next.
// A failure that trying again cannot mend (retry false: the person enters
// the settings on the phone) moves on too.
func (w *Wizard) untilPassed(step int, retry bool, run func(), next int) {
	if r := w.results[step]; r == nil || !r.ok && retry {
		run()
		return
	}
	w.show(next)
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

// attempt says what the wizard is doing and does it off the UI goroutine,
// within the timeout of one request to the phone.
func (w *Wizard) attempt(doing string, f func(ctx context.Context) func()) {
	w.outcome.Importance = widget.MediumImportance
	w.outcome.SetText(doing)
	w.work(w.timeout(), f)
}

func (w *Wizard) timeout() time.Duration {
	if w.d.Timeout > 0 {
		return w.d.Timeout
	}
	return 20 * time.Second
}
