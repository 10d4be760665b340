package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/ui/form"
)

// securityPage is who may dial through dialbridge, and when to ask. Each
// section has a builder of its own, so that a new section is a new
// builder and a line in securityTab.
type securityPage struct {
	origins *widget.Entry
	confirm *widget.RadioGroup
	lanPage
}

// lanPage is the Security page's section for other computers: the LAN
// socket (listener.lan_address), who may dial through it (allow_ips), the
// listener credentials, and HTTPS (lan_tls) with its fingerprint.
type lanPage struct {
	lanOn        *widget.Check
	eventsAddr   *widget.Entry
	ips          *widget.Entry
	listenerUser *widget.Entry
	listenerPass *widget.Entry
	lanTLS       *widget.Check
	// lanFingerprint is the certificate's fingerprint while HTTPS is on;
	// lanWarning says what opening the socket means while it is open.
	lanFingerprint *widget.Label
	lanWarning     *widget.Label
}

func (p *securityPage) read(f *form.Form) {
	f.Origins = p.origins.Text
	f.Confirm = confirmChoices.value(p.confirm.Selected)
	f.LANAddress = p.eventsAddr.Text
	f.IPs = p.ips.Text
	f.ListenerUser = p.listenerUser.Text
	f.ListenerPass = p.listenerPass.Text
	f.LANTLS = p.lanTLS.Checked
}

// securityTab lays out the page's sections.
func (s *Settings) securityTab(f form.Form) fyne.CanvasObject {
	return scroll(
		s.whoMayDialSection(f),
		s.confirmSection(f),
		s.lanSection(f),
	)
}

// whoMayDialSection is the web pages allowed to dial; computers are in
// lanSection, with the socket they reach.
func (s *Settings) whoMayDialSection(f form.Form) fyne.CanvasObject {
	s.origins = multiLine(f.Origins, "https://crm.example", 3)
	origins := s.add(newField("listener.allowed_origins", lang.X("settings.origins", "Web pages allowed to dial"), s.origins,
		lang.X("settings.origins.hint", "One origin per line, e.g. https://crm.example. These pages may dial without asking; any other page is asked about or refused.")))
	s.origins.OnChanged = func(string) { s.recheck("listener.allowed_origins") }
	return section(lang.X("settings.section.who", "Who may dial"), "", origins.box)
}

// confirmSection is when to ask before dialing.
func (s *Settings) confirmSection(f form.Form) fyne.CanvasObject {
	s.confirm = widget.NewRadioGroup(confirmLabels(), nil)
	s.confirm.Required = true
	s.confirm.SetSelected(confirmChoices.word(f.Confirm))
	confirm := s.add(newField("listener.confirm", lang.X("settings.confirm", "Ask before dialing"), s.confirm,
		lang.X("settings.confirm.hint", "Numbers you type in dialbridge are always dialed at once.")))
	return section(lang.X("settings.section.confirm", "Confirmation"), "", confirm.box)
}

// lanSection is the one section for other computers. It holds the LAN
// socket's address too (the paired phone sends its events there as well),
// so that everything that opens dialbridge to the network is in one place,
// with a plain warning while it is open.
func (s *Settings) lanSection(f form.Form) fyne.CanvasObject {
	s.lanOn = widget.NewCheck(lang.X("settings.lan_on", "Listen on the LAN too (for the phone's events and other computers)"), nil)
	s.lanOn.SetChecked(f.LANAddress != "")
	s.lanWarning = wrapped(lang.X("settings.lan_warning", "While this is on, other computers on your network can reach dialbridge. Only the computers listed here, with the user name and password, can make your phone dial; the phone's events are taken only from the phone."))
	s.lanWarning.Importance = widget.WarningImportance

	addr := s.textField(&s.eventsAddr, f.LANAddress, "auto", "listener.lan_address", lang.X("settings.events_addr", "This computer's LAN address"),
		lang.X("settings.events_addr.hint", "\"auto\" finds the address on the way to the phone, or enter an IP address. The phone sends its call events here, and the computers listed below may send dial requests here."))

	s.ips = multiLine(f.IPs, "192.0.2.0/24", 2)
	ips := s.add(newField("listener.allow_ips", lang.X("settings.ips", "Other computers allowed to send dial requests"), s.ips,
		lang.X("settings.ips.hint", "One address or network per line, e.g. a CRM server or a PBX. They must send the user name and password below. This computer never needs to be listed.")))
	s.ips.OnChanged = func(string) { s.recheck("listener.allow_ips") }

	user := s.textField(&s.listenerUser, f.ListenerUser, "", "listener.username", lang.X("settings.listener_user", "User name"),
		lang.X("settings.listener_user.hint", "Required when other computers are allowed. Dial requests from this computer need it too once it is set; leave it empty to accept them without credentials."))
	s.listenerPass = widget.NewPasswordEntry()
	pass := s.add(newField("listener.password", lang.X("settings.listener_pass", "Password"), s.listenerPass, ""))
	s.listenerUser.OnChanged = func(string) {
		pass.setProblem("")
		if s.fieldByKey("listener.allow_ips").problem.Visible() {
			s.recheck("listener.allow_ips") // a user name answers "add a user name"
		}
	}

	s.lanTLS = widget.NewCheck(lang.X("settings.lan_tls", "Use HTTPS on the LAN"), nil)
	s.lanTLS.SetChecked(f.LANTLS)
	tls := s.add(newField("listener.lan_tls", "", s.lanTLS,
		lang.X("settings.lan_tls.hint", "dialbridge makes its own certificate; the sending computer pins its fingerprint. This computer keeps plain HTTP.")))
	s.lanFingerprint = wrapped("")
	s.lanFingerprint.TextStyle = fyne.TextStyle{Monospace: true}

	s.lanTLS.OnChanged = func(bool) { s.updateLAN() }
	s.lanOn.OnChanged = func(on bool) {
		switch {
		case on && strings.TrimSpace(s.eventsAddr.Text) == "":
			s.eventsAddr.SetText("auto")
		case !on && s.eventsAddr.Text != "":
			s.eventsAddr.SetText("")
		}
		s.updateLAN()
	}
	s.eventsAddr.OnChanged = func(text string) {
		if on := strings.TrimSpace(text) != ""; on != s.lanOn.Checked {
			s.lanOn.SetChecked(on)
		}
		s.recheck("listener.lan_address")
		s.updateLAN()
	}
	s.updateLAN()

	return section(lang.X("settings.section.lan", "Other computers"),
		lang.X("settings.section.lan.sub", "A CRM server or a PBX can send dial requests to this computer, like Mia's http://ADDRESS:PORT/?action=make_call&target=123."),
		s.lanOn, s.lanWarning, addr, ips.box, user, pass.box, tls.box, s.lanFingerprint)
}

// updateLAN shows the warning while the LAN socket is open, greys out
// HTTPS, which only the LAN socket speaks, while it is closed, and shows
// the certificate's fingerprint for HTTPS.
func (s *Settings) updateLAN() {
	on := s.lanOn.Checked
	showIf(s.lanWarning, on)
	enableIf(s.lanTLS, on)
	if !on || !s.lanTLS.Checked {
		s.lanFingerprint.Hide()
		return
	}
	s.lanFingerprint.SetText(s.fingerprintText())
	s.lanFingerprint.Show()
}

// fingerprintText is the line about the LAN certificate's fingerprint.
func (s *Settings) fingerprintText() string {
	if s.d.LANFingerprint == nil {
		return lang.X("settings.lan_fp_unknown", "The certificate's fingerprint is shown by: dialbridge pairing-urls")
	}
	fp, ok, err := s.d.LANFingerprint()
	switch {
	case err != nil:
		return err.Error()
	case !ok:
		return lang.X("settings.lan_fp_later", "dialbridge makes the certificate when it starts with HTTPS on; its fingerprint then appears here and in dialbridge pairing-urls.")
	}
	return lang.X("settings.lan_fp", "Certificate fingerprint (SHA-256), to pin on the sending computer: {{.FP}}", map[string]any{"FP": fp})
}

// confirmChoices are listener.confirm's modes in the person's words; a mode
// the window does not know shows, and saves, as the default.
var confirmChoices = choices{values: config.ConfirmModes, words: confirmLabels, fallback: config.Default().Listener.Confirm}

func confirmLabels() []string {
	return []string{
		lang.X("settings.confirm.always", "Always: ask before every dial request that did not come from me"),
		lang.X("settings.confirm.untrusted", "When a web page asks (recommended)"),
		lang.X("settings.confirm.never", "Never: refuse web pages that are not allowed above"),
	}
}
