package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// lanWidgets are the Security page's controls for other computers: the
// LAN socket (listener.lan_address), who may dial through it (allow_ips),
// the listener credentials and HTTPS (lan_tls) with its fingerprint.
type lanWidgets struct {
	lanOn          *widget.Check
	lanTLS         *widget.Check
	lanFingerprint *widget.Label
	lanWarning     *widget.Label
}

// lanSection is the Security page's one section for other computers. It
// holds the socket's address too (the paired phone sends its events there
// as well), so that everything that opens dialbridge to the network is in
// one place, with a plain warning while it is on.
func (s *Settings) lanSection() fyne.CanvasObject {
	l := s.base.Listener

	s.eventsAddr = widget.NewEntry()
	s.eventsAddr.SetText(l.LANAddress)
	s.eventsAddr.SetPlaceHolder("auto")
	addr := s.add(newField("listener.lan_address", lang.X("settings.events_addr", "This computer's LAN address"), s.eventsAddr,
		lang.X("settings.events_addr.hint", "\"auto\" finds the address on the way to the phone, or enter an IP address. The phone sends its call events here, and the computers listed below may send dial requests here.")))

	s.lanOn = widget.NewCheck(lang.X("settings.lan_on", "Listen on the LAN too (for the phone's events and other computers)"), nil)
	s.lanOn.SetChecked(l.LANAddress != "")

	s.ips = widget.NewMultiLineEntry()
	s.ips.SetMinRowsVisible(2)
	s.ips.SetPlaceHolder("192.0.2.0/24")
	s.ips.SetText(strings.Join(l.AllowIPs, "\n"))
	ips := s.add(newField("listener.allow_ips", lang.X("settings.ips", "Other computers allowed to send dial requests"), s.ips,
		lang.X("settings.ips.hint", "One address or network per line, e.g. a CRM server or a PBX. They must send the user name and password below. This computer never needs to be listed.")))
	s.ips.OnChanged = func(string) { ips.setProblem(s.checkIPs()) }

	s.listenerUser = widget.NewEntry()
	s.listenerUser.SetText(l.Username)
	s.listenerPass = widget.NewPasswordEntry()
	user := s.add(newField("listener.username", lang.X("settings.listener_user", "User name"), s.listenerUser,
		lang.X("settings.listener_user.hint", "Required when other computers are allowed. Dial requests from this computer need it too once it is set; leave it empty to accept them without credentials.")))
	pass := s.add(newField("listener.password", lang.X("settings.listener_pass", "Password"), s.listenerPass, ""))
	s.listenerUser.OnChanged = func(string) { pass.setProblem("") }

	s.lanTLS = widget.NewCheck(lang.X("settings.lan_tls", "Use HTTPS on the LAN"), nil)
	s.lanTLS.SetChecked(l.LANTLS)
	tls := s.add(newField("listener.lan_tls", "", s.lanTLS,
		lang.X("settings.lan_tls.hint", "dialbridge makes its own certificate; the sending computer pins its fingerprint. This computer keeps plain HTTP.")))
	s.lanFingerprint = wrapped("")
	s.lanFingerprint.TextStyle = fyne.TextStyle{Monospace: true}

	s.lanWarning = wrapped(lang.X("settings.lan_warning", "While this is on, other computers on your network can reach dialbridge. Only the computers listed here, with the user name and password, can make your phone dial; the phone's events are taken only from the phone."))
	s.lanWarning.Importance = widget.WarningImportance

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
		s.updateLAN()
	}
	s.updateLAN()

	return section(lang.X("settings.section.lan", "Other computers"),
		lang.X("settings.section.lan.sub", "A CRM server or a PBX can send dial requests to this computer, like Mia's http://ADDRESS:PORT/?action=make_call&target=123."),
		s.lanOn, s.lanWarning, addr.box, ips.box, user.box, pass.box, tls.box, s.lanFingerprint)
}

// updateLAN shows the warning while the LAN socket is on, greys out what
// only matters then, and shows the certificate's fingerprint for HTTPS.
func (s *Settings) updateLAN() {
	on := s.lanOn.Checked
	if on {
		s.lanWarning.Show()
		s.lanTLS.Enable()
	} else {
		s.lanWarning.Hide()
		s.lanTLS.Disable()
	}
	switch {
	case !on || !s.lanTLS.Checked:
		s.lanFingerprint.Hide()
		return
	case s.d.LANFingerprint == nil:
		s.lanFingerprint.SetText(lang.X("settings.lan_fp_unknown", "The certificate's fingerprint is shown by: dialbridge pairing-urls"))
	default:
		fp, ok, err := s.d.LANFingerprint()
		switch {
		case err != nil:
			s.lanFingerprint.SetText(err.Error())
		case !ok:
			s.lanFingerprint.SetText(lang.X("settings.lan_fp_later", "dialbridge makes the certificate when it starts with HTTPS on; its fingerprint then appears here and in dialbridge pairing-urls."))
		default:
			s.lanFingerprint.SetText(lang.X("settings.lan_fp", "Certificate fingerprint (SHA-256), to pin on the sending computer: {{.FP}}", map[string]any{"FP": fp}))
		}
	}
	s.lanFingerprint.Show()
}
