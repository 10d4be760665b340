package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

type wizardRig struct {
	w       *Wizard
	pairer  *fakePairer
	store   *memConfig
	secrets *memSecrets
	res     *fakeResident
}

func newWizardRig(t *testing.T, p *fakePairer) *wizardRig {
	t.Helper()
	a := test.NewTempApp(t)
	r := &wizardRig{pairer: p, store: &memConfig{cfg: config.Default()}, secrets: &memSecrets{}, res: &fakeResident{}}
	r.w = NewWizard(a, WizardDeps{
		Env: testEnv(), Pairer: p, Config: r.store, Secrets: r.secrets, Resident: r.res,
		Address: "192.0.2.10",
	})
	r.w.Window().Resize(fyne.NewSize(680, 600))
	return r
}

// signIn goes past the address and the brand (as detected) and enters
// password, which the wizard then tests and saves.
func (r *wizardRig) signIn(password string) {
	r.w.Next()
	r.w.Next()
	test.Type(r.w.password, password)
	r.w.Next()
}

var manualSetup = pairing.EventSetup{
	Settings: []pairing.Setting{{Name: "action_url.incoming_call", Label: "Incoming call", Value: "http://192.0.2.5:61234/phone/T/yealink/incoming"}},
	Where:    "Features › Action URL",
}

func TestWizardPairsAPhoneStepByStep(t *testing.T) {
	p := &fakePairer{brand: "snom", password: "pa55", setup: pairing.EventSetup{
		Automatic: true,
		Settings:  []pairing.Setting{{Name: "action_incoming_url", Value: "http://192.0.2.5:61234/phone/T/snom/incoming"}},
	}}
	r := newWizardRig(t, p)
	w := r.w

	w.Next() // detect
	if w.step != stepBrand || w.brand.Selected != "snom" {
		t.Fatalf("after detection: step %d, brand %q, outcome %q", w.step, w.brand.Selected, w.outcome.Text)
	}
	if got := w.results[stepAddress].text; got != "Found a snom phone at 192.0.2.10." {
		t.Errorf("address result = %q", got)
	}
	w.Next() // brand confirmed
	test.Type(w.password, "pa55")
	w.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter tests and saves
	if w.step != stepEvents {
		t.Fatalf("after the credentials: step %d, outcome %q", w.step, w.outcome.Text)
	}
	if r.secrets.m[config.SecretPhone] != "pa55" {
		t.Errorf("keyring = %v", r.secrets.m)
	}
	if ph := r.store.cfg.Phone; ph.Brand != "snom" || ph.Address != "192.0.2.10" || ph.Username != "admin" || len(ph.PairingToken) < 16 {
		t.Errorf("saved phone = %+v", ph)
	}
	if got := r.store.cfg.Listener.LANAddress; got != "auto" {
		t.Errorf("lan_address = %q: a phone on the network could not reach dialbridge", got)
	}
	if r.res.reloads != 1 {
		t.Errorf("resident reloaded %d times", r.res.reloads)
	}
	if got := w.results[stepEvents].text; got != "dialbridge set 1 action URLs on the phone." {
		t.Errorf("events result = %q", got)
	}
	w.Next() // to the firewall test, which runs at once
	if !w.results[stepFirewall].ok {
		t.Errorf("firewall result = %+v", w.results[stepFirewall])
	}
	w.Next()
	if w.step != stepDone {
		t.Fatalf("step %d, want done", w.step)
	}
	// The summary shows every step's result (wrapped labels split long
	// sentences in the markup, so look at the labels).
	var texts []string
	for _, o := range test.LaidOutObjects(w.body) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	summary := strings.Join(texts, "\n")
	for step := stepAddress; step < stepDone; step++ {
		if r := w.results[step]; r == nil || !r.ok || !strings.Contains(summary, r.text) {
			t.Errorf("summary lacks the result of step %d (%+v):\n%s", step, r, summary)
		}
	}
	if !strings.Contains(summary, "dialbridge is paired with the phone.") {
		t.Errorf("summary does not say the phone is paired:\n%s", summary)
	}
	assertMarkup(t, "wizard_done.xml", w.Window())
}

func TestWizardLetsThePersonChooseTheBrand(t *testing.T) {
	r := newWizardRig(t, &fakePairer{detectErr: errors.New("the phone at 192.0.2.10 did not say which brand it is")})
	r.w.Next()
	if r.w.step != stepBrand || r.w.brand.Selected != "" {
		t.Fatalf("step %d brand %q", r.w.step, r.w.brand.Selected)
	}
	if !strings.Contains(r.w.results[stepAddress].text, "Choose the brand yourself") {
		t.Errorf("address result = %q", r.w.results[stepAddress].text)
	}
	r.w.Next() // nothing chosen
	if r.w.step != stepBrand || r.w.outcome.Text != "Choose a brand to go on." {
		t.Errorf("went on without a brand: step %d, %q", r.w.step, r.w.outcome.Text)
	}
	r.w.brand.SetSelected("yealink")
	r.w.Next()
	if r.w.step != stepCredentials {
		t.Errorf("step %d after choosing", r.w.step)
	}
}

func TestWizardStaysWhenNothingAnswers(t *testing.T) {
	r := newWizardRig(t, &fakePairer{detectErr: fmt.Errorf("%w: The phone at 192.0.2.99 cannot be reached", pairing.ErrUnreachable)})
	r.w.address.SetText("192.0.2.99")
	r.w.Next()
	if r.w.step != stepAddress {
		t.Errorf("went on to step %d with an unreachable phone", r.w.step)
	}
	if !strings.Contains(r.w.outcome.Text, "cannot be reached") {
		t.Errorf("outcome = %q", r.w.outcome.Text)
	}
}

func TestWizardWrongPasswordStoresNothing(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "snom", password: "right"})
	r.signIn("wrong")
	if r.w.step != stepCredentials {
		t.Fatalf("went on to step %d with a wrong password", r.w.step)
	}
	if want := "The phone did not accept this: The phone at 192.0.2.10 refused the user name or password (HTTP 401)"; r.w.outcome.Text != want {
		t.Errorf("outcome = %q, want %q", r.w.outcome.Text, want)
	}
	if len(r.secrets.m) != 0 || r.store.saves != 0 {
		t.Errorf("stored %v, saved %d times", r.secrets.m, r.store.saves)
	}
}

func TestWizardPinsTheCertificateItSaw(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "yealink", password: "pw", setup: manualSetup, fingerprint: "AA:BB:CC"})
	r.signIn("pw")
	if got := r.store.cfg.Phone.TLSFingerprint; got != "AA:BB:CC" {
		t.Errorf("phone.tls_fingerprint = %q, want the certificate seen while checking", got)
	}
}

func TestWizardGoesOnWhenThePasswordCannotBeTested(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "grandstream", checkErr: pairing.ErrUnverifiable, setup: manualSetup})
	r.w.brand.SetOptions([]string{"grandstream"})
	r.signIn("1234")
	if r.w.step != stepEvents || r.secrets.m[config.SecretPhone] != "1234" {
		t.Fatalf("step %d, keyring %v", r.w.step, r.secrets.m)
	}
	if got := r.w.results[stepCredentials].text; !strings.Contains(got, "was not tested") {
		t.Errorf("credentials result = %q: it must not claim the password works", got)
	}
}

func TestWizardKeyringFailureIsReported(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "snom", password: "pw"})
	r.secrets.setErr = errors.New("storing the phone password in the system keyring: no keyring")
	r.signIn("pw")
	if r.w.step != stepCredentials || !strings.Contains(r.w.outcome.Text, "could not be stored") {
		t.Errorf("step %d outcome %q", r.w.step, r.w.outcome.Text)
	}
	if r.store.saves != 0 {
		t.Error("the phone was saved without its password")
	}
}

func TestWizardShowsSettingsToCopy(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "yealink", password: "pw", setup: manualSetup, fireErr: pairing.ErrNoFirewallTest})
	r.signIn("pw")
	if r.w.step != stepEvents {
		t.Fatalf("step %d", r.w.step)
	}
	markup := test.RenderToMarkup(r.w.Window().Canvas())
	for _, want := range []string{"Incoming call (action_url.incoming_call)", "http://192.0.2.5:61234/phone/T/yealink/incoming", "Features › Action URL", "contentCopyIcon"} {
		if !strings.Contains(markup, want) {
			t.Errorf("events page lacks %q", want)
		}
	}
	assertMarkup(t, "wizard_events_manual.xml", r.w.Window())
}

func TestWizardWaitsForATestCallWhenThePhoneHasNoTest(t *testing.T) {
	p := &fakePairer{brand: "yealink", password: "pw", setup: manualSetup, fireErr: pairing.ErrNoFirewallTest, waitErr: context.DeadlineExceeded}
	r := newWizardRig(t, p)
	r.signIn("pw")
	r.w.Next() // firewall step: no test, so it waits for a call; none comes
	if got := r.w.results[stepFirewall]; got == nil || got.ok || !strings.Contains(got.text, "No call arrived") {
		t.Errorf("firewall result without a call = %+v", got)
	}
	if !p.waitedSince.Equal(testNow) {
		t.Errorf("waited for events since %v, want %v", p.waitedSince, testNow)
	}
	p.waitErr = nil
	r.w.Next() // tries again; this time the call comes
	if got := r.w.results[stepFirewall]; got == nil || !got.ok || !strings.Contains(got.text, "saw the test call") {
		t.Errorf("firewall result = %+v", got)
	}
}

func TestWizardFirewallFailureCanBeSkipped(t *testing.T) {
	r := newWizardRig(t, &fakePairer{brand: "snom-csta", password: "pw", setup: manualSetup, fireErr: errors.New("the phone's test request did not reach dialbridge")})
	r.signIn("pw")
	r.w.Next()
	if got := r.w.results[stepFirewall]; got == nil || got.ok || !strings.Contains(got.text, "port 61234") {
		t.Errorf("firewall result = %+v", got)
	}
	r.w.Next() // tries again, fails again
	if r.w.step != stepFirewall {
		t.Fatalf("went on after a failed test: step %d", r.w.step)
	}
	test.Tap(r.w.skip)
	if r.w.step != stepDone || r.w.results[stepFirewall].text != "Skipped: the firewall was not tested." {
		t.Errorf("after skipping: step %d, %+v", r.w.step, r.w.results[stepFirewall])
	}
}
