package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/actionurl"
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// SettingsDeps is what the settings window needs.
type SettingsDeps struct {
	Env
	Config  ConfigStore
	Secrets SecretStore
	// Resident is told to reload after saving.
	Resident Resident
	// Register makes dialbridge the desktop's handler for tel:, callto: and
	// sip: links (`dialbridge register`).
	Register func(ctx context.Context) error
	// OpenWizard opens the pairing wizard; nil hides the button.
	OpenWizard func()
	// Brands are the phone brands to offer, without "demo".
	Brands []string
}

// Settings follows Mia's dialog (seed 004) item by item (1 action URLs
// on/off, 2 TCP port, 3 incoming on/off, 4 make_call on/off, 5 a URL per
// event, 6 enable it, 7 open it in the browser) and adds what dialbridge
// needs beyond Mia: the security of the listener, the dialing rules and the
// phone. Nothing invalid is ever saved: every problem is shown next to its
// field, and the file is written atomically.
type Settings struct {
	d      SettingsDeps
	window fyne.Window
	// base is the config as loaded; edits are applied to a copy of it, so
	// that settings this window does not show survive a save.
	base   config.Config
	fields []*field

	// Mia 1-4
	enabled, incoming, makeCall *widget.Check
	port                        *widget.Entry
	portField                   *field
	incomingField, makeCallHelp *field

	// Mia 5-7
	events []*eventEditor

	// security
	origins, ips   *widget.Entry
	confirm        *widget.RadioGroup
	listenerUser   *widget.Entry
	listenerPass   *widget.Entry
	listenerStored bool

	// dialing rules
	country, area, outside, internalMax *widget.Entry
	intlPrefix                          *widget.Entry
	e164                                *widget.Check
	defaultBlocked                      *widget.Check
	blockedField                        *field
	blocked                             *widget.Entry
	tryNumber                           *widget.Entry
	tryResult                           *widget.Label

	// phone
	brand                                           *widget.Select
	address, phoneUser, phonePass, ident, sipDomain *widget.Entry
	eventsAddr                                      *widget.Entry
	phoneStored                                     bool
	registerBtn                                     *widget.Button
	registerResult                                  *widget.Label

	tabs   *container.AppTabs
	status *widget.Label
	save   *widget.Button
	saving bool
}

// eventEditor edits the outgoing URL of one Mia event (items 5 to 7).
type eventEditor struct {
	event    string
	url      *widget.Entry
	picker   *widget.Select
	enabled  *widget.Check
	browser  *widget.Check
	preview  *widget.Label
	urlField *field
}

// NewSettings loads the config and builds the settings window.
func NewSettings(a fyne.App, d SettingsDeps) *Settings {
	s := &Settings{d: d}
	s.window = a.NewWindow(lang.X("settings.title", "dialbridge settings"))
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord

	cfg, err := d.Config.Load()
	if err != nil {
		// A broken file is shown, not overwritten: the admin's file wins
		// until it is fixed.
		s.window.SetContent(container.NewPadded(container.NewVBox(
			heading(lang.X("settings.unreadable", "The settings file cannot be used")),
			wrapped(err.Error()),
			wrapped(lang.X("settings.unreadable_help", "Fix the file (or ask the administrator who provided it), then open the settings again.")),
		)))
		s.window.Resize(fyne.NewSize(620, 300))
		return s
	}
	s.base = cfg

	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("settings.tab.actionurls", "Action URLs"), theme.SettingsIcon(), s.actionURLsTab()),
		container.NewTabItemWithIcon(lang.X("settings.tab.outgoing", "Outgoing URLs"), theme.UploadIcon(), s.outgoingTab()),
		container.NewTabItemWithIcon(lang.X("settings.tab.security", "Security"), theme.WarningIcon(), s.securityTab()),
		container.NewTabItemWithIcon(lang.X("settings.tab.dialing", "Dialing rules"), theme.ListIcon(), s.dialingTab()),
		container.NewTabItemWithIcon(lang.X("settings.tab.phone", "Phone"), theme.ComputerIcon(), s.phoneTab()),
	)

	cancel := widget.NewButton(lang.X("settings.close", "Close"), func() { s.window.Close() })
	s.save = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), s.Save)
	s.save.Importance = widget.HighImportance
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(cancel, s.save), s.status)
	s.window.SetContent(container.NewBorder(nil, container.NewPadded(bottom), nil, nil, s.tabs))
	s.window.Resize(fyne.NewSize(820, 660))
	s.updateEnabled()
	s.loadSecretsState()
	return s
}

// Window is the settings window.
func (s *Settings) Window() fyne.Window { return s.window }

// SettingsPages names the settings pages, in order, for `dialbridge ui
// settings PAGE` (the tray can open the page the person needs).
func SettingsPages() []string {
	return []string{"actionurls", "outgoing", "security", "dialing", "phone"}
}

// ShowTab brings the named page (one of SettingsPages) to the front and
// reports whether it exists.
func (s *Settings) ShowTab(name string) bool {
	for i, n := range SettingsPages() {
		if n == name && s.tabs != nil {
			s.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

func (s *Settings) add(f *field) *field {
	s.fields = append(s.fields, f)
	return f
}

// scroll wraps a tab's content so that a small screen can still reach it.
func scroll(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
}

// actionURLsTab is Mia's items 1 to 4.
func (s *Settings) actionURLsTab() fyne.CanvasObject {
	l := s.base.Listener
	s.enabled = widget.NewCheck(lang.X("settings.enabled", "1  Enable action URLs (basic function)"), func(bool) { s.updateEnabled() })
	s.enabled.SetChecked(l.Enabled)
	enabledField := s.add(newField("listener.enabled", "", s.enabled,
		lang.X("settings.enabled.hint", "Switches action URLs on and off as a whole: dial requests that programs and web pages send to dialbridge, and the URLs dialbridge calls when the phone rings, connects, holds or hangs up.")))

	s.port = widget.NewEntry()
	s.port.SetText(strconv.Itoa(l.Port))
	s.port.OnChanged = func(string) {
		s.portField.setProblem(s.checkPort())
		s.updateExamples()
	}
	s.portField = s.add(newField("listener.port", lang.X("settings.port", "2  TCP port for incoming action URLs"), s.port,
		lang.X("settings.port.hint", "The port dialbridge listens on for HTTP requests (Mia's default is 61234). A new port takes effect when dialbridge restarts.")))

	s.incoming = widget.NewCheck(lang.X("settings.incoming", "3  Enable incoming action URLs"), func(bool) { s.updateEnabled() })
	s.incoming.SetChecked(l.Incoming)
	s.incomingField = s.add(newField("listener.incoming", "", s.incoming, ""))

	s.makeCall = widget.NewCheck(lang.X("settings.make_call", "4  Enable the incoming action URL \"make_call\" (dial a number)"), func(bool) {})
	s.makeCall.SetChecked(l.MakeCall)
	s.makeCallHelp = s.add(newField("listener.make_call", "", s.makeCall, ""))
	s.updateExamples()

	return scroll(
		section(lang.X("settings.section.actionurls", "Action URLs"), "", enabledField.box, s.portField.box),
		section(lang.X("settings.section.incoming", "Incoming action URLs"),
			lang.X("settings.section.incoming.sub", "Commands that programs and click-to-dial extensions send to dialbridge."),
			s.incomingField.box, s.makeCallHelp.box),
	)
}

// updateExamples shows the URL formats with the port being typed.
func (s *Settings) updateExamples() {
	port := strings.TrimSpace(s.port.Text)
	if _, err := strconv.Atoi(port); err != nil {
		port = strconv.Itoa(s.base.Listener.Port)
	}
	base := "http://127.0.0.1:" + port
	s.incomingField.setHint(lang.X("settings.incoming.hint", "Requests have the form {{.Base}}/?action=some_action&parameter=value", map[string]any{"Base": base}))
	s.makeCallHelp.setHint(lang.X("settings.make_call.hint",
		"Dials the number in the request. Mia's form and the Snom and Yealink forms are understood:\n{{.Base}}/?action=make_call&target=123\n{{.Base}}/command.htm?number=123\n{{.Base}}/servlet?key=number=123",
		map[string]any{"Base": base}))
}

// updateEnabled greys out what the switches above it turn off.
func (s *Settings) updateEnabled() {
	if s.enabled == nil || s.incoming == nil || s.makeCall == nil {
		return
	}
	if s.enabled.Checked {
		s.incoming.Enable()
	} else {
		s.incoming.Disable()
	}
	if s.enabled.Checked && s.incoming.Checked {
		s.makeCall.Enable()
	} else {
		s.makeCall.Disable()
	}
}

// outgoingTab is Mia's items 5 to 7: one URL per event.
func (s *Settings) outgoingTab() fyne.CanvasObject {
	tabs := container.NewAppTabs()
	tabs.SetTabLocation(container.TabLocationLeading)
	for _, ev := range config.Events {
		e := s.newEventEditor(ev)
		s.events = append(s.events, e)
		tabs.Append(container.NewTabItem(eventName(ev), e.content()))
	}
	intro := captionLabel(lang.X("settings.outgoing.intro", "5  For each event of a call, dialbridge can call a web address: a CRM pop-up, a ticket, a log. Placeholders like <$remote_party> are filled in from the call."))
	return container.NewBorder(container.NewPadded(intro), nil, nil, nil, tabs)
}

func (s *Settings) newEventEditor(ev string) *eventEditor {
	e := &eventEditor{event: ev}
	var o config.Outgoing
	for _, x := range s.base.Outgoing {
		if x.Event == ev {
			o = x
			break
		}
	}
	e.url = widget.NewMultiLineEntry()
	e.url.Wrapping = fyne.TextWrapBreak
	e.url.SetMinRowsVisible(3)
	e.url.SetPlaceHolder("https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>")
	e.url.SetText(o.URL)
	e.url.OnChanged = func(string) { s.updatePreview(e) }

	tokens := outgoing.Placeholders()
	options := make([]string, len(tokens))
	for i, t := range tokens {
		options[i] = t + "  –  " + describePlaceholder(t)
	}
	e.picker = widget.NewSelect(options, func(chosen string) {
		if chosen == "" {
			return
		}
		i := e.picker.SelectedIndex()
		e.picker.ClearSelected()
		if i < 0 {
			return
		}
		for _, r := range tokens[i] {
			e.url.TypedRune(r)
		}
		s.window.Canvas().Focus(e.url)
	})
	e.picker.PlaceHolder = lang.X("settings.outgoing.insert", "Insert a placeholder…")

	e.enabled = widget.NewCheck(lang.X("settings.outgoing.enabled", "6  Enable this action URL"), func(bool) {})
	e.enabled.SetChecked(o.Enabled)
	e.browser = widget.NewCheck(lang.X("settings.outgoing.browser", "7  Show the action URL in the web browser"), func(bool) {})
	e.browser.SetChecked(o.OpenInBrowser)

	e.preview = widget.NewLabel("")
	e.preview.Wrapping = fyne.TextWrapBreak
	e.preview.TextStyle = fyne.TextStyle{Monospace: true}
	e.urlField = s.add(newField("", lang.X("settings.outgoing.url", "Web address (URL)"), e.url, ""))
	s.updatePreview(e)
	return e
}

func (e *eventEditor) content() fyne.CanvasObject {
	return scroll(
		heading(eventName(e.event)),
		e.urlField.box,
		e.picker,
		e.enabled,
		newField("", "", e.browser, lang.X("settings.outgoing.browser.hint", "Opens the URL in your default web browser instead of calling it in the background.")).box,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.X("settings.outgoing.preview", "Preview with a sample call"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		e.preview,
	)
}

// updatePreview fills the URL from the sample call as the person types.
func (s *Settings) updatePreview(e *eventEditor) {
	tmpl := strings.TrimSpace(e.url.Text)
	if tmpl == "" {
		e.preview.Importance = widget.LowImportance
		e.preview.SetText(lang.X("settings.outgoing.preview.empty", "No URL for this event."))
		return
	}
	out, err := previewURL(tmpl, sampleEvent(phone.Action(e.event)))
	if err != nil {
		e.preview.Importance = widget.DangerImportance
		e.preview.SetText(err.Error())
		return
	}
	e.preview.Importance = widget.MediumImportance
	e.preview.SetText(out)
}

// securityTab is who may dial through dialbridge, and when to ask.
func (s *Settings) securityTab() fyne.CanvasObject {
	l := s.base.Listener
	s.origins = widget.NewMultiLineEntry()
	s.origins.SetMinRowsVisible(3)
	s.origins.SetPlaceHolder("https://crm.example")
	s.origins.SetText(strings.Join(l.AllowedOrigins, "\n"))
	origins := s.add(newField("listener.allowed_origins", lang.X("settings.origins", "Web pages allowed to dial"), s.origins,
		lang.X("settings.origins.hint", "One origin per line, e.g. https://crm.example. These pages may dial without asking; any other page is asked about or refused.")))
	s.origins.OnChanged = func(string) { origins.setProblem(s.checkOrigins()) }

	s.ips = widget.NewMultiLineEntry()
	s.ips.SetMinRowsVisible(2)
	s.ips.SetPlaceHolder("192.0.2.0/24")
	s.ips.SetText(strings.Join(l.AllowIPs, "\n"))
	ips := s.add(newField("listener.allow_ips", lang.X("settings.ips", "Other computers allowed to send dial requests"), s.ips,
		lang.X("settings.ips.hint", "One address or network per line. This computer is always allowed.")))
	s.ips.OnChanged = func(string) { ips.setProblem(s.checkIPs()) }

	s.confirm = widget.NewRadioGroup(confirmLabels(), nil)
	s.confirm.Required = true
	s.confirm.SetSelected(confirmLabel(l.Confirm))
	confirm := s.add(newField("listener.confirm", lang.X("settings.confirm", "Ask before dialing"), s.confirm,
		lang.X("settings.confirm.hint", "Numbers you type in dialbridge are always dialed at once.")))

	s.listenerUser = widget.NewEntry()
	s.listenerUser.SetText(l.Username)
	s.listenerPass = widget.NewPasswordEntry()
	user := s.add(newField("listener.username", lang.X("settings.listener_user", "User name"), s.listenerUser,
		lang.X("settings.listener_user.hint", "Leave empty to accept dial requests without credentials.")))
	pass := s.add(newField("listener.password", lang.X("settings.listener_pass", "Password"), s.listenerPass, ""))
	s.listenerUser.OnChanged = func(string) { pass.setProblem("") }

	return scroll(
		section(lang.X("settings.section.who", "Who may dial"), "", origins.box, ips.box),
		section(lang.X("settings.section.confirm", "Confirmation"), "", confirm.box),
		section(lang.X("settings.section.credentials", "Listener credentials"),
			lang.X("settings.section.credentials.sub", "Clients then send them like to a phone (HTTP Basic). The password is kept in the system keyring."),
			user.box, pass.box),
	)
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
	return actionurl.ConfirmUntrusted
}

// dialingTab holds the dialing rules, with a number to try them on.
func (s *Settings) dialingTab() fyne.CanvasObject {
	d := s.base.Dialing
	s.country = widget.NewEntry()
	s.country.SetText(d.Country)
	s.country.SetPlaceHolder("DE")
	country := s.add(newField("dialing.country", lang.X("settings.country", "Country of the phone"), s.country,
		lang.X("settings.country.hint", "Two-letter code, e.g. DE, AT, CH, US.")))
	s.area = widget.NewEntry()
	s.area.SetText(d.AreaCode)
	s.area.SetPlaceHolder("30")
	area := s.add(newField("dialing.area_code", lang.X("settings.area", "Area code"), s.area,
		lang.X("settings.area.hint", "Without the leading 0, e.g. 30 for Berlin. Optional.")))
	s.outside = widget.NewEntry()
	s.outside.SetText(d.OutsideLine)
	s.outside.SetPlaceHolder("0")
	outside := s.add(newField("dialing.outside_line", lang.X("settings.outside", "Outside line prefix"), s.outside,
		lang.X("settings.outside.hint", "What your PBX needs before external numbers, often 0. Leave empty if none.")))
	s.internalMax = widget.NewEntry()
	s.internalMax.SetText(strconv.Itoa(d.InternalMaxDigits))
	internal := s.add(newField("dialing.internal_max_digits", lang.X("settings.internal", "Longest internal extension (digits)"), s.internalMax,
		lang.X("settings.internal.hint", "Numbers this short are dialed as extensions, without the outside line. 0 to 8.")))
	s.intlPrefix = widget.NewEntry()
	s.intlPrefix.SetText(d.InternationalPrefix)
	s.intlPrefix.SetPlaceHolder("00")
	intl := s.add(newField("dialing.international_prefix", lang.X("settings.intl", "International prefix"), s.intlPrefix,
		lang.X("settings.intl.hint", "Leave empty for your country's own (00 in most of Europe, 011 in North America).")))
	s.e164 = widget.NewCheck(lang.X("settings.e164", "Dial every number in international form (+49…)"), func(bool) { s.updateTry() })
	s.e164.SetChecked(strings.EqualFold(d.Format, "e164"))
	e164 := s.add(newField("dialing.format", "", s.e164,
		lang.X("settings.e164.hint", "For PBXs and SIP trunks that route E.164 numbers; otherwise numbers of your country are dialed in national form.")))

	s.defaultBlocked = widget.NewCheck(lang.X("settings.blocked.default", "Block the premium-rate numbers of my country"), func(on bool) {
		if on {
			s.blocked.Disable()
		} else {
			s.blocked.Enable()
		}
		s.updateTry()
	})
	s.blocked = widget.NewMultiLineEntry()
	s.blocked.SetMinRowsVisible(3)
	s.blocked.SetPlaceHolder("0900*")
	s.blocked.SetText(strings.Join(d.Blocked, "\n"))
	blocked := s.add(newField("dialing.blocked", lang.X("settings.blocked", "Blocked numbers"), s.blocked,
		lang.X("settings.blocked.hint", "One pattern per line, * matches the rest, e.g. 0900*. Links and web pages can never dial these; you still can by typing them.")))
	s.blockedField = blocked
	s.defaultBlocked.SetChecked(d.Blocked == nil)

	s.tryNumber = widget.NewEntry()
	s.tryNumber.SetPlaceHolder("+49 30 1234567")
	s.tryResult = widget.NewLabel("")
	s.tryResult.Wrapping = fyne.TextWrapWord
	for _, e := range []*widget.Entry{s.country, s.area, s.outside, s.internalMax, s.intlPrefix, s.blocked, s.tryNumber} {
		e.OnChanged = func(string) { s.checkDialing(); s.updateTry() }
	}
	try := newField("", lang.X("settings.try", "Try a number"), s.tryNumber, "")
	s.updateTry()

	return scroll(
		section(lang.X("settings.section.rules", "Dialing rules"),
			lang.X("settings.section.rules.sub", "How numbers from links, web pages and the dial pad become what the phone dials."),
			country.box, area.box, outside.box, internal.box, intl.box, e164.box),
		section(lang.X("settings.section.blocked", "Blocked numbers"), "", s.defaultBlocked, blocked.box),
		section(lang.X("settings.section.try", "Check the rules"), "", try.box, s.tryResult),
	)
}

// updateTry shows what the rules being edited make of the sample number.
func (s *Settings) updateTry() {
	if s.tryNumber == nil || s.tryResult == nil {
		return
	}
	if s.blockedField != nil {
		if s.defaultBlocked.Checked {
			country := strings.ToUpper(strings.TrimSpace(s.country.Text))
			s.blockedField.setHint(lang.X("settings.blocked.defaults", "Blocked for {{.Country}}: {{.List}}", map[string]any{
				"Country": country, "List": strings.Join(dialplan.DefaultBlocked(country), "  "),
			}))
		} else {
			s.blockedField.setHint(lang.X("settings.blocked.hint", "One pattern per line, * matches the rest, e.g. 0900*. Links and web pages can never dial these; you still can by typing them."))
		}
	}
	text := strings.TrimSpace(s.tryNumber.Text)
	if text == "" {
		s.tryResult.Importance = widget.LowImportance
		s.tryResult.SetText(lang.X("settings.try.empty", "Type a number to see what the phone would dial."))
		return
	}
	rules := s.dialingFromForm().Rules()
	res, err := rules.Normalize(text)
	if err != nil {
		s.tryResult.Importance = widget.DangerImportance
		s.tryResult.SetText(lang.X("dialpad.preview.error", "Cannot dial this: {{.Err}}", map[string]any{"Err": err.Error()}))
		return
	}
	msg := lang.X("dialpad.preview.ok", "The phone will dial {{.Dial}} ({{.Kind}})", map[string]any{"Dial": res.Dial, "Kind": kindName(res.Kind)})
	if err := rules.CheckBlocked(res); err != nil {
		msg += "\n" + lang.X("settings.try.blocked", "Blocked for links and web pages: {{.Err}}", map[string]any{"Err": err.Error()})
	}
	s.tryResult.Importance = widget.MediumImportance
	s.tryResult.SetText(msg)
}

// phoneTab is the paired phone and the desktop integration.
func (s *Settings) phoneTab() fyne.CanvasObject {
	p := s.base.Phone
	brands := append([]string{"demo"}, s.d.Brands...)
	if p.Brand != "" && !slices.Contains(brands, p.Brand) {
		brands = append(brands, p.Brand)
	}
	s.brand = widget.NewSelect(brands, func(string) { s.checkPhone() })
	s.brand.SetSelected(p.Brand)
	brand := s.add(newField("phone.brand", lang.X("settings.brand", "Brand"), s.brand,
		lang.X("settings.brand.hint", "\"demo\" is a simulated phone for trying dialbridge without one.")))
	s.address = widget.NewEntry()
	s.address.SetText(p.Address)
	s.address.SetPlaceHolder("http://192.0.2.10")
	address := s.add(newField("phone.address", lang.X("settings.address", "Address"), s.address, ""))
	s.address.OnChanged = func(string) { s.checkPhone() }
	s.phoneUser = widget.NewEntry()
	s.phoneUser.SetText(p.Username)
	user := s.add(newField("phone.username", lang.X("settings.phone_user", "User name"), s.phoneUser, ""))
	s.phonePass = widget.NewPasswordEntry()
	pass := s.add(newField("phone.password", lang.X("settings.phone_pass", "Password"), s.phonePass, ""))
	s.ident = widget.NewEntry()
	s.ident.SetText(p.Identity)
	s.ident.SetPlaceHolder("101@pbx.example")
	ident := s.add(newField("phone.identity", lang.X("settings.identity", "Dial from (identity)"), s.ident,
		lang.X("settings.identity.hint", "The line or account to dial from when the phone has several. Leave empty for the phone's default.")))
	s.sipDomain = widget.NewEntry()
	s.sipDomain.SetText(p.SIPDomain)
	s.sipDomain.SetPlaceHolder("pbx.example")
	sipDomain := s.add(newField("phone.sip_domain", lang.X("settings.sip_domain", "PBX domain (brand \"sip\")"), s.sipDomain,
		lang.X("settings.sip_domain.hint", "Only for brand \"sip\": the domain of the PBX the phone is registered with. The phone is sent to sip:NUMBER@this domain.")))

	s.eventsAddr = widget.NewEntry()
	s.eventsAddr.SetText(s.base.Listener.PhoneEventsAddress)
	s.eventsAddr.SetPlaceHolder("auto")
	events := s.add(newField("listener.phone_events_address", lang.X("settings.events_addr", "This computer's address for the phone"), s.eventsAddr,
		lang.X("settings.events_addr.hint", "Where the phone sends its call events: \"auto\" finds the address on the way to the phone, or enter an IP address. Leave empty to accept events from this computer only.")))

	var wizard fyne.CanvasObject = layoutSpacer()
	if s.d.OpenWizard != nil {
		b := widget.NewButtonWithIcon(lang.X("settings.pair", "Pair a phone step by step…"), theme.ComputerIcon(), s.d.OpenWizard)
		wizard = container.NewHBox(b)
	}

	s.registerBtn = widget.NewButtonWithIcon(lang.X("settings.register", "Make dialbridge the handler for phone links"), theme.LoginIcon(), s.register)
	s.registerResult = widget.NewLabel("")
	s.registerResult.Wrapping = fyne.TextWrapWord
	s.registerResult.Hide()

	return scroll(
		section(lang.X("settings.section.phone", "Desk phone"), "", wizard, brand.box, address.box, user.box, pass.box, ident.box, sipDomain.box, events.box),
		section(lang.X("settings.section.links", "Phone links"),
			lang.X("settings.section.links.sub", "Clicking a tel:, callto: or sip: link then makes your desk phone dial."),
			container.NewHBox(s.registerBtn), s.registerResult),
	)
}

// loadSecretsState finds out whether passwords are stored, to say so in
// the password fields instead of showing them.
func (s *Settings) loadSecretsState() {
	s.d.spawn(func() {
		_, lerr := s.d.Secrets.Get(config.SecretListener)
		_, perr := s.d.Secrets.Get(config.SecretPhone)
		fyne.Do(func() {
			s.listenerStored = lerr == nil
			s.phoneStored = perr == nil
			kept := lang.X("settings.password.stored", "A password is stored. Leave empty to keep it.")
			none := lang.X("settings.password.none", "No password is stored.")
			if s.listenerStored {
				s.listenerPass.SetPlaceHolder(kept)
			} else {
				s.listenerPass.SetPlaceHolder(none)
			}
			if s.phoneStored {
				s.phonePass.SetPlaceHolder(kept)
			} else {
				s.phonePass.SetPlaceHolder(none)
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
	s.d.spawn(func() {
		ctx, cancel := s.d.context()
		defer cancel()
		err := s.d.Register(ctx)
		fyne.Do(func() {
			s.registerBtn.Enable()
			if err != nil {
				s.registerResult.Importance = widget.DangerImportance
				s.registerResult.SetText(lang.X("settings.register.failed", "dialbridge could not register itself: {{.Err}}", map[string]any{"Err": err.Error()}))
				return
			}
			s.registerResult.Importance = widget.SuccessImportance
			s.registerResult.SetText(lang.X("settings.register.done", "Done: tel:, callto: and sip: links now open dialbridge."))
		})
	})
}

// fieldByKey finds the field for a config key, e.g. "listener.port" or
// "outgoing[2].url"; a problem about "dialing.blocked[3]" lands on
// "dialing.blocked".
func (s *Settings) fieldByKey(key string) *field {
	var best *field
	for _, f := range s.fields {
		if f.key == "" {
			continue
		}
		if key == f.key || strings.HasPrefix(key, f.key+"[") || strings.HasPrefix(key, f.key+".") {
			if best == nil || len(f.key) > len(best.key) {
				best = f
			}
		}
	}
	return best
}

// Save checks every field, stores passwords in the keyring, writes the
// config file atomically and tells the resident to reload. Nothing is
// written while any field has a problem.
func (s *Settings) Save() {
	if s.saving {
		return
	}
	for _, f := range s.fields {
		f.setProblem("")
	}
	cfg, keyOf := s.collect()
	bad := s.checkAll(keyOf)
	// The config package has the last word: its rules (and the validators
	// other packages register) decide what may be saved.
	var unplaced []string
	for _, p := range cfg.Validate() {
		msg := strings.TrimPrefix(p.Msg, p.Key+": ")
		if f := s.fieldByKey(p.Key); f != nil {
			if !f.problem.Visible() {
				f.setProblem(msg)
			}
		} else {
			unplaced = append(unplaced, p.Msg)
		}
		bad = true
	}
	if bad {
		s.status.Importance = widget.DangerImportance
		msg := lang.X("settings.invalid", "Nothing was saved: fix the fields marked in red.")
		if len(unplaced) > 0 {
			msg += "\n" + strings.Join(unplaced, "\n")
		}
		s.status.SetText(msg)
		s.showFirstProblem()
		return
	}

	listenerPass, phonePass := s.listenerPass.Text, s.phonePass.Text
	dropListener := cfg.Listener.Username == "" && s.listenerStored
	s.saving = true
	s.save.Disable()
	s.status.Importance = widget.MediumImportance
	s.status.SetText(lang.X("settings.saving", "Saving…"))
	s.d.spawn(func() {
		err := s.store(cfg, listenerPass, phonePass, dropListener)
		var reloadErr error
		if err == nil && s.d.Resident != nil {
			ctx, cancel := s.d.context()
			reloadErr = s.d.Resident.Reload(ctx)
			cancel()
		}
		fyne.Do(func() {
			s.saving = false
			s.save.Enable()
			switch {
			case err != nil:
				s.status.Importance = widget.DangerImportance
				s.status.SetText(lang.X("settings.save_failed", "The settings were not saved: {{.Err}}", map[string]any{"Err": err.Error()}))
				return
			case errors.Is(reloadErr, actionurl.ErrNotRunning):
				s.status.Importance = widget.SuccessImportance
				s.status.SetText(lang.X("settings.saved_not_running", "Saved. dialbridge is not running; it uses the new settings when it starts."))
			case reloadErr != nil:
				s.status.Importance = widget.WarningImportance
				s.status.SetText(lang.X("settings.saved_reload", "Saved, but dialbridge reports: {{.Err}}", map[string]any{"Err": reloadErr.Error()}))
			default:
				s.status.Importance = widget.SuccessImportance
				s.status.SetText(lang.X("settings.saved", "Saved. dialbridge uses the new settings now."))
			}
			s.base = cfg
			if listenerPass != "" {
				s.listenerStored = true
			}
			if dropListener {
				s.listenerStored = false
			}
			if phonePass != "" {
				s.phoneStored = true
			}
			s.listenerPass.SetText("")
			s.phonePass.SetText("")
		})
	})
}

// store writes the secrets first, so that a resident reloading the new
// file finds the passwords it names.
func (s *Settings) store(cfg config.Config, listenerPass, phonePass string, dropListener bool) error {
	if listenerPass != "" && cfg.Listener.Username != "" {
		if err := s.d.Secrets.Set(config.SecretListener, listenerPass); err != nil {
			return err
		}
	}
	if dropListener {
		if err := s.d.Secrets.Delete(config.SecretListener); err != nil {
			return err
		}
	}
	if phonePass != "" {
		if err := s.d.Secrets.Set(config.SecretPhone, phonePass); err != nil {
			return err
		}
	}
	return s.d.Config.Save(cfg)
}

// showFirstProblem brings the tab with the first bad field to the front.
func (s *Settings) showFirstProblem() {
	for _, f := range s.fields {
		if !f.problem.Visible() {
			continue
		}
		for _, item := range s.tabs.Items {
			if containsObject(item.Content, f.box) {
				s.tabs.Select(item)
				return
			}
		}
	}
}

// containsObject reports whether o is in the tree under root.
func containsObject(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	switch c := root.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			if containsObject(child, o) {
				return true
			}
		}
	case *container.Scroll:
		return containsObject(c.Content, o)
	case *widget.Card:
		return containsObject(c.Content, o)
	case *container.AppTabs:
		for _, item := range c.Items {
			if containsObject(item.Content, o) {
				return true
			}
		}
	}
	return false
}

// collect builds the config from the form over the loaded one. keyOf maps
// each outgoing entry's index to the editor that owns it, so that problems
// with "outgoing[N].url" land on the right URL field.
func (s *Settings) collect() (config.Config, map[*eventEditor]int) {
	cfg := s.base
	cfg.Listener.Enabled = s.enabled.Checked
	if n, err := strconv.Atoi(strings.TrimSpace(s.port.Text)); err == nil {
		cfg.Listener.Port = n
	}
	cfg.Listener.Incoming = s.incoming.Checked
	cfg.Listener.MakeCall = s.makeCall.Checked
	cfg.Listener.AllowedOrigins = lines(s.origins.Text)
	cfg.Listener.AllowIPs = lines(s.ips.Text)
	cfg.Listener.Confirm = confirmMode(s.confirm.Selected)
	cfg.Listener.Username = strings.TrimSpace(s.listenerUser.Text)
	cfg.Dialing = s.dialingFromForm()
	cfg.Phone.Brand = s.brand.Selected
	cfg.Phone.Address = strings.TrimSpace(s.address.Text)
	cfg.Phone.Username = strings.TrimSpace(s.phoneUser.Text)
	cfg.Phone.Identity = strings.TrimSpace(s.ident.Text)
	cfg.Phone.SIPDomain = strings.TrimSpace(s.sipDomain.Text)
	cfg.Listener.PhoneEventsAddress = strings.TrimSpace(s.eventsAddr.Text)

	// Outgoing: the first entry of each event is the one the editor shows;
	// further entries an admin wrote for the same event are kept as they are.
	keyOf := map[*eventEditor]int{}
	var out []config.Outgoing
	for _, e := range s.events {
		url := strings.TrimSpace(e.url.Text)
		if url == "" && !e.enabled.Checked && !e.browser.Checked {
			e.urlField.key = ""
			continue
		}
		out = append(out, config.Outgoing{Event: e.event, URL: url, Enabled: e.enabled.Checked, OpenInBrowser: e.browser.Checked})
		keyOf[e] = len(out)
		e.urlField.key = fmt.Sprintf("outgoing[%d]", len(out))
	}
	seen := map[string]bool{}
	for _, o := range s.base.Outgoing {
		if !seen[o.Event] && slices.Contains(config.Events, o.Event) {
			seen[o.Event] = true
			continue
		}
		out = append(out, o)
	}
	cfg.Outgoing = out
	return cfg, keyOf
}

func (s *Settings) dialingFromForm() config.Dialing {
	d := s.base.Dialing
	d.Country = strings.ToUpper(strings.TrimSpace(s.country.Text))
	d.AreaCode = strings.TrimSpace(s.area.Text)
	d.OutsideLine = strings.TrimSpace(s.outside.Text)
	if n, err := strconv.Atoi(strings.TrimSpace(s.internalMax.Text)); err == nil {
		d.InternalMaxDigits = n
	}
	d.InternationalPrefix = strings.TrimSpace(s.intlPrefix.Text)
	switch {
	case s.e164.Checked:
		d.Format = "e164"
	case strings.EqualFold(d.Format, "e164"):
		d.Format = "" // switched off: back to the default, national
	}
	if s.defaultBlocked.Checked {
		d.Blocked = nil
	} else {
		d.Blocked = lines(s.blocked.Text)
		if d.Blocked == nil {
			d.Blocked = []string{} // "block nothing", not "the defaults"
		}
	}
	return d
}

// checkAll runs the window's own checks, which explain problems in the
// person's language, and reports whether any failed.
func (s *Settings) checkAll(keyOf map[*eventEditor]int) bool {
	bad := false
	set := func(key, msg string) {
		if msg == "" {
			return
		}
		if f := s.fieldByKey(key); f != nil {
			f.setProblem(msg)
		}
		bad = true
	}
	set("listener.port", s.checkPort())
	set("listener.allowed_origins", s.checkOrigins())
	set("listener.allow_ips", s.checkIPs())
	if strings.TrimSpace(s.listenerUser.Text) != "" && s.listenerPass.Text == "" && !s.listenerStored {
		set("listener.password", lang.X("settings.err.listener_pass", "Set a password for this user name, or clear the user name."))
	}
	for key, msg := range s.dialingProblems() {
		set(key, msg)
	}
	for key, msg := range s.phoneProblems() {
		set(key, msg)
	}
	for e := range keyOf {
		if e.enabled.Checked && strings.TrimSpace(e.url.Text) == "" {
			e.urlField.setProblem(lang.X("settings.err.url_empty", "Enter a URL, or switch this action URL off."))
			bad = true
		}
	}
	return bad
}

func (s *Settings) checkPort() string {
	n, err := strconv.Atoi(strings.TrimSpace(s.port.Text))
	if err != nil || n < 1 || n > 65535 {
		return lang.X("settings.err.port", "Enter a port number from 1 to 65535.")
	}
	return ""
}

func (s *Settings) checkOrigins() string {
	for i, o := range strings.Split(s.origins.Text, "\n") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" || o == "null" {
			return lang.X("settings.err.origin_wildcard", "Line {{.Line}}: \"{{.Value}}\" would let every web page dial; name the pages instead.", map[string]any{"Line": i + 1, "Value": o})
		}
		if _, ok := config.ParseOrigin(o); !ok {
			return lang.X("settings.err.origin", "Line {{.Line}}: \"{{.Value}}\" is not a web origin like https://crm.example (no path).", map[string]any{"Line": i + 1, "Value": o})
		}
	}
	return ""
}

func (s *Settings) checkIPs() string {
	for i, ip := range strings.Split(s.ips.Text, "\n") {
		ip = strings.TrimSpace(ip)
		if ip == "" {
			continue
		}
		probe := config.Default()
		probe.Listener.AllowIPs = []string{ip}
		for _, p := range probe.Validate() {
			if p.Key == "listener.allow_ips" {
				return lang.X("settings.err.ip", "Line {{.Line}}: \"{{.Value}}\" is neither an address nor a network like 192.0.2.0/24.", map[string]any{"Line": i + 1, "Value": ip})
			}
		}
	}
	return ""
}

// checkDialing shows the dialing rules' problems while the person types.
func (s *Settings) checkDialing() {
	problems := s.dialingProblems()
	for _, key := range []string{"dialing.country", "dialing.area_code", "dialing.outside_line", "dialing.internal_max_digits", "dialing.international_prefix", "dialing.format", "dialing.blocked"} {
		if f := s.fieldByKey(key); f != nil {
			f.setProblem(problems[key])
		}
	}
}

func (s *Settings) dialingProblems() map[string]string {
	p := map[string]string{}
	c := strings.TrimSpace(s.country.Text)
	if c != "" && !isLetters(c, 2) {
		p["dialing.country"] = lang.X("settings.err.country", "Enter the two-letter country code, e.g. DE.")
	}
	if !isDigits(strings.TrimSpace(s.area.Text)) {
		p["dialing.area_code"] = lang.X("settings.err.digits", "Only digits, please.")
	}
	if !isDigits(strings.TrimSpace(s.outside.Text)) {
		p["dialing.outside_line"] = lang.X("settings.err.digits", "Only digits, please.")
	}
	if !isDigits(strings.TrimSpace(s.intlPrefix.Text)) {
		p["dialing.international_prefix"] = lang.X("settings.err.digits", "Only digits, please.")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s.internalMax.Text)); err != nil || n < 0 || n > 8 {
		p["dialing.internal_max_digits"] = lang.X("settings.err.internal", "Enter a number from 0 to 8.")
	}
	if len(p) == 0 {
		// The dialing rules know more (is the country known, are the
		// patterns well-formed); their sentences are English.
		for _, err := range s.dialingFromForm().Rules().Validate() {
			key, msg := "dialing.country", err.Error()
			var fe *dialplan.FieldError
			if errors.As(err, &fe) {
				key, msg = fe.Key, fe.Msg
			}
			if _, dup := p[key]; !dup {
				p[key] = msg
			}
		}
	}
	return p
}

func (s *Settings) checkPhone() {
	problems := s.phoneProblems()
	for _, key := range []string{"phone.brand", "phone.address"} {
		if f := s.fieldByKey(key); f != nil {
			f.setProblem(problems[key])
		}
	}
}

func (s *Settings) phoneProblems() map[string]string {
	p := map[string]string{}
	if s.brand == nil || s.address == nil {
		return p
	}
	if s.brand.Selected == "" {
		p["phone.brand"] = lang.X("settings.err.brand", "Choose the brand of your phone.")
	}
	if s.brand.Selected != "demo" && strings.TrimSpace(s.address.Text) == "" {
		p["phone.address"] = lang.X("settings.err.address", "Enter the phone's address, e.g. 192.0.2.10.")
	}
	return p
}

// lines splits a multi-line field into its non-empty, trimmed lines.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
