package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/ui/form"
)

// actionURLsPage is Mia's items 1 to 4: action URLs on or off, the port,
// incoming action URLs and make_call.
type actionURLsPage struct {
	enabled, incoming, makeCall *widget.Check
	port                        *widget.Entry
	portField                   *field
	incomingField, makeCallHelp *field
}

func (p *actionURLsPage) read(f *form.Form) {
	f.Enabled = p.enabled.Checked
	f.Port = p.port.Text
	f.Incoming = p.incoming.Checked
	f.MakeCall = p.makeCall.Checked
}

// actionURLsTab is Mia's items 1 to 4.
func (s *Settings) actionURLsTab(f form.Form) fyne.CanvasObject {
	s.enabled = widget.NewCheck(lang.X("settings.enabled", "1  Enable action URLs (basic function)"), func(bool) { s.updateEnabled() })
	s.enabled.SetChecked(f.Enabled)
	enabledField := s.add(newField("listener.enabled", "", s.enabled,
		lang.X("settings.enabled.hint", "Switches action URLs on and off as a whole: dial requests that programs and web pages send to dialbridge, and the URLs dialbridge calls when the phone rings, connects, holds or hangs up.")))

	s.port = entry(f.Port, "")
	s.port.OnChanged = func(string) {
		s.recheck("listener.port")
		s.updateExamples()
	}
	s.portField = s.add(newField("listener.port", lang.X("settings.port", "2  TCP port for incoming action URLs"), s.port,
		lang.X("settings.port.hint", "The port dialbridge listens on for HTTP requests (Mia's default is 61234). A new port takes effect when dialbridge restarts.")))

	s.incoming = widget.NewCheck(lang.X("settings.incoming", "3  Enable incoming action URLs"), func(bool) { s.updateEnabled() })
	s.incoming.SetChecked(f.Incoming)
	s.incomingField = s.add(newField("listener.incoming", "", s.incoming, ""))

	s.makeCall = widget.NewCheck(lang.X("settings.make_call", "4  Enable the incoming action URL \"make_call\" (dial a number)"), func(bool) {})
	s.makeCall.SetChecked(f.MakeCall)
	s.makeCallHelp = s.add(newField("listener.make_call", "", s.makeCall, ""))
	s.updateExamples()

	return scroll(
		section(lang.X("settings.section.actionurls", "Action URLs"), miaNumbers(), enabledField.box, s.portField.box),
		section(lang.X("settings.section.incoming", "Incoming action URLs"),
			lang.X("settings.section.incoming.sub", "Commands that programs and click-to-dial extensions send to dialbridge."),
			s.incomingField.box, s.makeCallHelp.box),
	)
}

// miaNumbers says what the numbers before the action URL settings are:
// a person moving from Mia CSTA finds each item under its old number.
func miaNumbers() string {
	return lang.X("settings.mia_numbers", "The numbers 1 to 7 are the items of Mia CSTA's settings dialog.")
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
	enableIf(s.incoming, s.enabled.Checked)
	enableIf(s.makeCall, s.enabled.Checked && s.incoming.Checked)
}
