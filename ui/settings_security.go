package ui

import (
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
	origins, ips *widget.Entry
	confirm      *widget.RadioGroup
	listenerUser *widget.Entry
	listenerPass *widget.Entry
}

func (p *securityPage) read(f *form.Form) {
	f.Origins = p.origins.Text
	f.IPs = p.ips.Text
	f.Confirm = confirmMode(p.confirm.Selected)
	f.ListenerUser = p.listenerUser.Text
	f.ListenerPass = p.listenerPass.Text
}

// securityTab lays out the page's sections.
func (s *Settings) securityTab(f form.Form) fyne.CanvasObject {
	return scroll(
		s.whoMayDialSection(f),
		s.confirmSection(f),
		s.credentialsSection(f),
	)
}

// whoMayDialSection is the web pages and computers allowed to dial.
func (s *Settings) whoMayDialSection(f form.Form) fyne.CanvasObject {
	s.origins = multiLine(f.Origins, "https://crm.example", 3)
	origins := s.add(newField("listener.allowed_origins", lang.X("settings.origins", "Web pages allowed to dial"), s.origins,
		lang.X("settings.origins.hint", "One origin per line, e.g. https://crm.example. These pages may dial without asking; any other page is asked about or refused.")))
	s.origins.OnChanged = func(string) { s.recheck("listener.allowed_origins") }

	s.ips = multiLine(f.IPs, "192.0.2.0/24", 2)
	ips := s.add(newField("listener.allow_ips", lang.X("settings.ips", "Other computers allowed to send dial requests"), s.ips,
		lang.X("settings.ips.hint", "One address or network per line. This computer is always allowed.")))
	s.ips.OnChanged = func(string) { s.recheck("listener.allow_ips") }
	return section(lang.X("settings.section.who", "Who may dial"), "", origins.box, ips.box)
}

// confirmSection is when to ask before dialing.
func (s *Settings) confirmSection(f form.Form) fyne.CanvasObject {
	s.confirm = widget.NewRadioGroup(confirmLabels(), nil)
	s.confirm.Required = true
	s.confirm.SetSelected(confirmLabel(f.Confirm))
	confirm := s.add(newField("listener.confirm", lang.X("settings.confirm", "Ask before dialing"), s.confirm,
		lang.X("settings.confirm.hint", "Numbers you type in dialbridge are always dialed at once.")))
	return section(lang.X("settings.section.confirm", "Confirmation"), "", confirm.box)
}

// credentialsSection is the user name and password the listener asks for.
func (s *Settings) credentialsSection(f form.Form) fyne.CanvasObject {
	s.listenerUser = widget.NewEntry()
	s.listenerUser.SetText(f.ListenerUser)
	s.listenerPass = widget.NewPasswordEntry()
	user := s.add(newField("listener.username", lang.X("settings.listener_user", "User name"), s.listenerUser,
		lang.X("settings.listener_user.hint", "Leave empty to accept dial requests without credentials.")))
	pass := s.add(newField("listener.password", lang.X("settings.listener_pass", "Password"), s.listenerPass, ""))
	s.listenerUser.OnChanged = func(string) { pass.setProblem("") }
	return section(lang.X("settings.section.credentials", "Listener credentials"),
		lang.X("settings.section.credentials.sub", "Clients then send them like to a phone (HTTP Basic). The password is kept in the system keyring."),
		user.box, pass.box)
}

func confirmLabels() []string {
	return []string{
		lang.X("settings.confirm.always", "Always: ask before every dial request that did not come from me"),
		lang.X("settings.confirm.untrusted", "When a web page asks (recommended)"),
		lang.X("settings.confirm.never", "Never: refuse web pages that are not allowed above"),
	}
}

func confirmLabel(mode string) string {
	for i, m := range config.ConfirmModes {
		if m == mode {
			return confirmLabels()[i]
		}
	}
	return confirmLabels()[1]
}

func confirmMode(label string) string {
	for i, l := range confirmLabels() {
		if l == label {
			return config.ConfirmModes[i]
		}
	}
	return config.Default().Listener.Confirm
}
