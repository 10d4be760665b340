package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/ui/form"
)

// phonePage is the paired phone and the desktop integration.
type phonePage struct {
	brand                                           *widget.Select
	address, phoneUser, phonePass, ident, sipDomain *widget.Entry
	registerBtn                                     *widget.Button
	registerResult                                  *widget.Label
}

func (p *phonePage) read(f *form.Form) {
	f.Brand = p.brand.Selected
	f.Address = p.address.Text
	f.PhoneUser = p.phoneUser.Text
	f.PhonePass = p.phonePass.Text
	f.Identity = p.ident.Text
	f.SIPDomain = p.sipDomain.Text
}

// phoneTab is the paired phone and the desktop integration.
func (s *Settings) phoneTab(f form.Form) fyne.CanvasObject {
	return scroll(s.deskPhoneSection(f), s.phoneLinksSection())
}

// deskPhoneSection is the phone dialbridge makes dial.
func (s *Settings) deskPhoneSection(f form.Form) fyne.CanvasObject {
	brands := append([]string{"demo"}, s.d.Brands...)
	if f.Brand != "" && !slices.Contains(brands, f.Brand) {
		brands = append(brands, f.Brand)
	}
	// The sip brand's rules tie the address to the PBX domain.
	recheck := func(string) { s.recheck("phone.brand", "phone.address", "phone.sip_domain") }
	s.brand = widget.NewSelect(brands, nil)
	s.brand.SetSelected(f.Brand)
	brand := s.add(newField("phone.brand", lang.X("settings.brand", "Brand"), s.brand,
		lang.X("settings.brand.hint", "\"demo\" is a simulated phone for trying dialbridge without one.")))
	// Example values say so: a grey "http://192.0.2.10" alone reads like
	// an address already set.
	address := s.textField(&s.address, f.Address, lang.X("settings.address.placeholder", "e.g. http://192.0.2.10"), "phone.address", lang.X("settings.address", "Address"),
		lang.X("settings.address.hint", "The phone's web interface: its IP address or host name, e.g. http://192.0.2.10 or https://phone.example. For brand \"sip\", its SIP address, e.g. sip:101@192.0.2.10:5060."))
	user := s.textField(&s.phoneUser, f.PhoneUser, "", "phone.username", lang.X("settings.phone_user", "User name"), "")
	s.phonePass = widget.NewPasswordEntry()
	pass := s.add(newField("phone.password", lang.X("settings.phone_pass", "Password"), s.phonePass, ""))
	ident := s.textField(&s.ident, f.Identity, lang.X("settings.identity.placeholder", "e.g. 101@pbx.example"), "phone.identity", lang.X("settings.identity", "Dial from (identity)"),
		lang.X("settings.identity.hint", "The line or account to dial from when the phone has several. Leave empty for the phone's default."))
	sipDomain := s.textField(&s.sipDomain, f.SIPDomain, lang.X("settings.sip_domain.placeholder", "e.g. pbx.example"), "phone.sip_domain", lang.X("settings.sip_domain", "PBX domain (brand \"sip\")"),
		lang.X("settings.sip_domain.hint", "Only for brand \"sip\": the domain of the PBX the phone is registered with. The phone is sent to sip:NUMBER@this domain."))
	// The address the phone's events go to is the LAN socket's, which
	// other computers reach too: it lives on the Security page.
	events := captionLabel(lang.X("settings.events_addr.where", "A phone on the network sends its call events to this computer's LAN address: Security page, Other computers."))
	s.brand.OnChanged = recheck
	s.address.OnChanged = recheck
	s.sipDomain.OnChanged = recheck

	var wizard fyne.CanvasObject = layoutSpacer()
	if s.d.OpenWizard != nil {
		b := widget.NewButtonWithIcon(lang.X("settings.pair", "Pair a phone step by step…"), theme.ComputerIcon(), s.d.OpenWizard)
		wizard = container.NewHBox(b)
	}
	return section(lang.X("settings.section.phone", "Desk phone"), "", wizard, brand.box, address, user, pass.box, ident, sipDomain, events)
}

// phoneLinksSection makes dialbridge the handler of tel: links.
func (s *Settings) phoneLinksSection() fyne.CanvasObject {
	s.registerBtn = widget.NewButtonWithIcon(lang.X("settings.register", "Make dialbridge the handler for phone links"), theme.LoginIcon(), s.register)
	s.registerResult = wrapped("")
	s.registerResult.Hide()
	return section(lang.X("settings.section.links", "Phone links"),
		lang.X("settings.section.links.sub", "Clicking a tel:, callto: or sip: link then makes your desk phone dial."),
		container.NewHBox(s.registerBtn), s.registerResult)
}

// loadSecretsState finds out whether passwords are stored, to say so in
// the password fields instead of showing them.
func (s *Settings) loadSecretsState() {
	s.d.spawn(func() {
		_, lerr := s.d.Secrets.Get(config.SecretListener)
		_, perr := s.d.Secrets.Get(config.SecretPhone)
		fyne.Do(func() {
			s.stored = form.Stored{Listener: lerr == nil, Phone: perr == nil}
			kept := lang.X("settings.password.stored", "A password is stored. Leave empty to keep it.")
			none := lang.X("settings.password.none", "No password is stored.")
			for e, stored := range map[*widget.Entry]bool{s.listenerPass: s.stored.Listener, s.phonePass: s.stored.Phone} {
				if stored {
					e.SetPlaceHolder(kept)
				} else {
					e.SetPlaceHolder(none)
				}
			}
		})
	})
}

// register runs `dialbridge register` through the Register dependency.
func (s *Settings) register() {
	if s.d.Register == nil {
		return
	}
	s.registerBtn.Disable()
	s.registerResult.Importance = widget.MediumImportance
	s.registerResult.SetText(lang.X("settings.register.running", "Registering…"))
	s.registerResult.Show()
	askDone(s.d.Env, s.d.Register, func(err error) {
		s.registerBtn.Enable()
		if err != nil {
			s.registerResult.Importance = widget.DangerImportance
			s.registerResult.SetText(lang.X("settings.register.failed", "dialbridge could not register itself: {{.Err}}", map[string]any{"Err": err.Error()}))
			return
		}
		s.registerResult.Importance = widget.SuccessImportance
		s.registerResult.SetText(lang.X("settings.register.done", "Done: tel:, callto: and sip: links now open dialbridge."))
	})
}
